"""Shapes for the crime map: simplified LSOA boundaries and repeat locations on a public grid."""

from __future__ import annotations

import json
import math
from typing import Any

from crimestats.engines import Engine

__all__ = ["COARSE_GRID_M", "area_geometry", "coarsen_points"]

# Simplification tolerances in degrees, tried in order until the shapes fit GEOMETRY_BUDGET.
# 0.0001° is about 7 m east-west and 11 m north-south in England: invisible at the zoom a
# district's map opens at. A city of 200 small LSOAs needs 0.0003° (about 20-30 m), still under
# a pixel at the zoom that shows the whole city. The budget leaves room for the figures, so the
# whole GeoJSON of a partnership stays under 200 KB (issue #13).
SIMPLIFY_TOLERANCES = (0.0001, 0.0002, 0.0003, 0.0005, 0.001)
GEOMETRY_BUDGET = 110_000  # bytes of GeoJSON geometry
COORDINATE_PLACES = 5  # about 1 m; more digits only make the file bigger
COARSE_GRID_M = 500  # repeat locations on a public page: the centre of a 500 m grid square


def _rounded(coordinates: Any, places: int) -> Any:
    if coordinates and isinstance(coordinates[0], int | float):
        return [round(float(value), places) for value in coordinates]
    return [_rounded(part, places) for part in coordinates]


def _simplified(shapes: Any, tolerance: float) -> list[dict[str, Any]]:
    import shapely

    simple = shapely.simplify(shapes, tolerance, preserve_topology=True)
    geometries = []
    for text in shapely.to_geojson(simple):
        geometry = json.loads(text)
        geometry["coordinates"] = _rounded(geometry["coordinates"], COORDINATE_PLACES)
        geometries.append(geometry)
    return geometries


def _size(geometries: list[dict[str, Any]]) -> int:
    return len(json.dumps(geometries, separators=(",", ":")))


def area_geometry(engine: Engine, codes: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Simplified GeoJSON geometry of each LSOA in ``codes`` (cached on the engine per area).

    The least simplification of :data:`SIMPLIFY_TOLERANCES` whose shapes fit
    :data:`GEOMETRY_BUDGET` (the last one otherwise).
    """
    key = f"map-geometry:{SIMPLIFY_TOLERANCES}:{GEOMETRY_BUDGET}:" + ",".join(codes)

    def build() -> dict[str, dict[str, Any]]:
        import shapely

        table = engine.geography("lsoa_geometry")
        rows = engine.fetch(table.filter(table.lsoa21_code.isin(list(codes))))
        shapes = shapely.from_geojson(rows["geojson"].to_pylist())
        for tolerance in SIMPLIFY_TOLERANCES:
            geometries = _simplified(shapes, tolerance)
            if _size(geometries) <= GEOMETRY_BUDGET:
                break
        return dict(zip(rows["lsoa21_code"].to_pylist(), geometries, strict=True))

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
