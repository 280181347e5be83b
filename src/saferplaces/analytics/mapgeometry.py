"""Shapes for the crime map: simplified LSOA boundaries and repeat locations on a public grid."""

from __future__ import annotations

import json
import math
from typing import Any

from crimestats.engines import Engine

__all__ = ["COARSE_GRID_M", "area_geometry", "coarsen_points"]

# 0.0001° is about 7 m east-west and 11 m north-south in England: invisible at the zoom a
# partnership map opens at, and it drops the near-collinear vertices of the generalised files.
SIMPLIFY_TOLERANCE = 0.0001
COORDINATE_PLACES = 5  # about 1 m; more digits only make the file bigger
COARSE_GRID_M = 500  # repeat locations on a public page: the centre of a 500 m grid square


def _rounded(coordinates: Any, places: int) -> Any:
    if coordinates and isinstance(coordinates[0], int | float):
        return [round(float(value), places) for value in coordinates]
    return [_rounded(part, places) for part in coordinates]


def area_geometry(engine: Engine, codes: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Simplified GeoJSON geometry of each LSOA in ``codes`` (cached on the engine per area)."""
    key = f"map-geometry:{SIMPLIFY_TOLERANCE}:{COORDINATE_PLACES}:" + ",".join(codes)

    def build() -> dict[str, dict[str, Any]]:
        import shapely

        table = engine.geography("lsoa_geometry")
        rows = engine.fetch(table.filter(table.lsoa21_code.isin(list(codes))))
        shapes = shapely.from_geojson(rows["geojson"].to_pylist())
        simple = shapely.simplify(shapes, SIMPLIFY_TOLERANCE, preserve_topology=True)
        found = {}
        for code, text in zip(
            rows["lsoa21_code"].to_pylist(), shapely.to_geojson(simple), strict=True
        ):
            geometry = json.loads(text)
            geometry["coordinates"] = _rounded(geometry["coordinates"], COORDINATE_PLACES)
            found[code] = geometry
        return found

    return engine.cached(key, build)


def coarsen_points(
    points: list[dict[str, Any]], grid_m: int = COARSE_GRID_M
) -> list[dict[str, Any]]:
    """Snap points to the centre of their ``grid_m`` British National Grid square and merge them.

    A public page must not point at a doorstep: police.uk map points are already snapped to a
    street or a landmark, and a 500 m square hides which one. Points that fall in one square
    become one point with their counts added; the street description is dropped.
    """
    from pyproj import Transformer

    to_grid = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    to_lonlat = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    cells: dict[tuple[int, int], int] = {}
    for point in points:
        x, y = to_grid.transform(point["longitude"], point["latitude"])
        cell = (math.floor(x / grid_m), math.floor(y / grid_m))
        cells[cell] = cells.get(cell, 0) + int(point["count"])
    merged = []
    for (i, j), count in sorted(cells.items(), key=lambda item: (-item[1], item[0])):
        lon, lat = to_lonlat.transform((i + 0.5) * grid_m, (j + 0.5) * grid_m)
        merged.append({"longitude": round(lon, 6), "latitude": round(lat, 6), "count": count})
    return [
        {
            **point,
            "rank": rank,
            "location": f"a {grid_m} m square",
            "description": _crimes_text(point["count"])
            + f" recorded at the busiest map points in this {grid_m} m square",
        }
        for rank, point in enumerate(merged, start=1)
    ]


def _crimes_text(count: int) -> str:
    return f"{count:,} {'crime' if count == 1 else 'crimes'}"
