"""2021 LSOA boundaries: polygons, queen-contiguity neighbours and islands.

Boundaries are the ONS generalised clipped GeoJSON files in CRS84 (longitude, latitude).
Contiguity is a topological property, so it is computed in lon/lat directly; projecting to
EPSG:27700 first would give the same neighbours. Only the island step measures distance, and it
uses a local equirectangular scale, which ranks nearest centroids the same way as British National
Grid over an area the size of a police force.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import shapely

_EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class Boundaries:
    """LSOA polygons in one order: ``codes[i]`` is the code of ``geometries[i]``."""

    codes: np.ndarray
    names: np.ndarray
    lad_codes: np.ndarray
    geometries: np.ndarray  # shapely geometries, lon/lat


def read_lsoa21_boundaries(folder: Path) -> Boundaries:
    """Read every ``*.geojson`` in ``folder``: 2021 LSOA polygons with code, name and LAD.

    Features need ``LSOA21CD``; ``LSOA21NM`` and ``LADCD_ACTIVE`` are read when present.

    Parameters
    ----------
    folder : Path
        e.g. ``boundaries/lsoa`` of the shared data layout (one file per local authority).

    Returns
    -------
    Boundaries
        Sorted by LSOA code; a code found in two files is kept once.

    Raises
    ------
    ValueError
        If the folder holds no GeoJSON features or a feature lacks ``LSOA21CD``.
    """
    codes: list[str] = []
    names: list[str] = []
    lads: list[str | None] = []
    shapes: list[str] = []
    for path in sorted(folder.glob("*.geojson")):
        collection = json.loads(path.read_text(encoding="utf-8"))
        for feature in collection.get("features", []):
            props = feature.get("properties") or {}
            if "LSOA21CD" not in props:
                raise ValueError(f"{path}: a feature has no LSOA21CD property")
            codes.append(props["LSOA21CD"])
            names.append(props.get("LSOA21NM") or "")
            lads.append(props.get("LADCD_ACTIVE") or props.get("LAD22CD"))
            shapes.append(json.dumps(feature["geometry"]))
    if not codes:
        raise ValueError(f"{folder}: no LSOA 2021 GeoJSON features found")
    code_array = np.array(codes, dtype=object)
    _, first = np.unique(code_array, return_index=True)
    geometries = shapely.from_geojson(np.array(shapes, dtype=object)[first])
    geometries = shapely.make_valid(geometries)
    return Boundaries(
        codes=code_array[first],
        names=np.array(names, dtype=object)[first],
        lad_codes=np.array(lads, dtype=object)[first],
        geometries=geometries,
    )


def _local_xy(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    scale = np.cos(np.radians(np.mean(lat)))
    return np.column_stack((np.radians(lon) * scale, np.radians(lat))) * _EARTH_RADIUS_M


def queen_neighbours(boundaries: Boundaries) -> tuple[pa.Table, pa.Table]:
    """Queen contiguity (shared edge or corner), with islands attached to their nearest LSOA.

    Parameters
    ----------
    boundaries : Boundaries

    Returns
    -------
    (neighbours, islands)
        ``neighbours``: ``lsoa21_code, neighbour_code``, both directions, sorted. ``islands``:
        ``lsoa21_code, attached_to, distance_m`` for each LSOA that had no queen neighbour and was
        linked (both ways) to the LSOA with the nearest centroid.

    Notes
    -----
    Methods reference §5.1: queen contiguity as ``libpysal.weights.Queen``; islands joined as
    ``libpysal.weights.util.attach_islands`` with a k=1 nearest-neighbour graph of centroids.
    Touching is tested with ``intersects``, so slivers that overlap slightly after
    generalisation count as neighbours, as shared vertices do.
    """
    geoms = boundaries.geometries
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left != right
    left, right = left[keep], right[keep]
    has_neighbour = np.zeros(len(geoms), dtype=bool)
    has_neighbour[left] = True
    islands = np.flatnonzero(~has_neighbour)
    centroids = shapely.centroid(geoms)
    xy = _local_xy(shapely.get_x(centroids), shapely.get_y(centroids))
    attached_to: list[int] = []
    distances: list[float] = []
    for island in islands:  # islands are a handful at most; the loop is not over rows
        d = np.hypot(*(xy - xy[island]).T)
        d[island] = np.inf
        nearest = int(np.argmin(d)) if len(d) > 1 else int(island)
        attached_to.append(nearest)
        distances.append(float(d[nearest]) if nearest != island else 0.0)
    pairs_left = np.concatenate([left, islands, np.array(attached_to, dtype=np.int64)])
    pairs_right = np.concatenate([right, np.array(attached_to, dtype=np.int64), islands])
    codes = boundaries.codes
    neighbours = pa.table(
        {
            "lsoa21_code": pa.array(codes[pairs_left], pa.string()),
            "neighbour_code": pa.array(codes[pairs_right], pa.string()),
        }
    )
    neighbours = neighbours.group_by(["lsoa21_code", "neighbour_code"]).aggregate([])
    neighbours = neighbours.sort_by([("lsoa21_code", "ascending"), ("neighbour_code", "ascending")])
    island_table = pa.table(
        {
            "lsoa21_code": pa.array(codes[islands], pa.string()),
            "attached_to": pa.array(codes[np.array(attached_to, dtype=np.int64)], pa.string()),
            "distance_m": pa.array(distances, pa.float64()),
        }
    )
    return neighbours, island_table


def geometry_table(boundaries: Boundaries) -> pa.Table:
    """``lsoa21_code, geojson, centroid_lon, centroid_lat`` for maps and distance work."""
    centroids = shapely.centroid(boundaries.geometries)
    return pa.table(
        {
            "lsoa21_code": pa.array(boundaries.codes, pa.string()),
            "geojson": pa.array(shapely.to_geojson(boundaries.geometries), pa.string()),
            "centroid_lon": pa.array(shapely.get_x(centroids), pa.float64()),
            "centroid_lat": pa.array(shapely.get_y(centroids), pa.float64()),
        }
    )
