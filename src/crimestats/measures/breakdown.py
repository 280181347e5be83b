"""Counts cross-tabulated by crime category and place (ward or LSOA): the dashboard's heat table.

A roll-up of the same area cube as :func:`crimestats.measures.counts` (no new statistic): each
cell is the number of crimes of one category located in one place over the months used, missing
months left out (§1.5). Every place of the area is listed, zeros included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from crimestats.areas import Area, lsoa_lookup
from crimestats.categories import SLUG_TO_NAME
from crimestats.engines import Engine
from crimestats.measures._scope import build_scope, fetch_cube, rolled
from crimestats.measures.counts import METHOD
from crimestats.provenance import Provenance
from crimestats.query import Query, checked_query

__all__ = ["PLACES", "BreakdownResult", "category_by_place"]

# Place level → (code column, name column) of the store's lsoa table.
PLACES: dict[str, tuple[str, str]] = {
    "ward": ("ward_code", "ward_name"),
    "lsoa": ("lsoa21_code", "lsoa21_name"),
}


@dataclass(frozen=True, slots=True)
class BreakdownResult:
    """Crimes by category and place.

    Attributes
    ----------
    area : Area
    categories : tuple of str
    place : str
        ``"ward"`` or ``"lsoa"``.
    table : pyarrow.Table
        ``place_code, place_name, crime_type, category, count``: one row per place of the area
        and category asked for (zeros included), sorted by place name then category.
    provenance : Provenance
    """

    area: Area
    categories: tuple[str, ...]
    place: str
    table: pa.Table
    provenance: Provenance


def category_by_place(
    engine: Engine,
    query: Query,
    *,
    place: str = "ward",
    computed_at: datetime | None = None,
) -> BreakdownResult:
    """Count crimes by category and ward (or LSOA) inside an area.

    Parameters
    ----------
    engine, query, computed_at
        As :func:`crimestats.measures.counts`.
    place : {"ward", "lsoa"}, default "ward"

    Returns
    -------
    BreakdownResult

    Notes
    -----
    A roll-up of the area cube by category and 2021 LSOA, summed to wards through the store's
    LSOA lookup (best-fit wards, as :func:`crimestats.measures.counts`); missing months are
    left out (§1.5).
    """
    if place not in PLACES:
        raise ValueError(f"place must be one of {', '.join(PLACES)}, not {place!r}")
    scope = build_scope(engine, checked_query(query))
    cube = fetch_cube(scope, scope.categories)
    by_lsoa = rolled(scope, cube, ["crime_type", "lsoa21_code"])
    code_column, name_column = PLACES[place]
    lookup = lsoa_lookup(engine)
    rows = lookup.filter(pc.is_in(lookup["lsoa21_code"], pa.array(list(scope.area.lsoa_codes))))
    place_of = dict(
        zip(rows["lsoa21_code"].to_pylist(), rows[code_column].to_pylist(), strict=True)
    )
    names = dict(zip(rows[code_column].to_pylist(), rows[name_column].to_pylist(), strict=True))
    cells: dict[tuple[str, str], int] = {}
    for slug, lsoa, n in zip(
        by_lsoa["crime_type"].to_pylist(),
        by_lsoa["lsoa21_code"].to_pylist(),
        by_lsoa["n"].to_pylist(),
        strict=True,
    ):
        code = place_of.get(lsoa)
        if code is not None:
            cells[(code, slug)] = cells.get((code, slug), 0) + int(n)
    places = sorted(names, key=lambda code: (names[code] or code, code))
    records = [
        {
            "place_code": code,
            "place_name": names[code] or code,
            "crime_type": slug,
            "category": SLUG_TO_NAME.get(slug, slug),
            "count": cells.get((code, slug), 0),
        }
        for code in places
        for slug in scope.categories
    ]
    schema = pa.schema(
        [("place_code", pa.string()), ("place_name", pa.string()), ("crime_type", pa.string()),
         ("category", pa.string()), ("count", pa.int64())]
    )  # fmt: skip
    table = pa.Table.from_pylist(records, schema=schema)
    provenance = scope.provenance(METHOD, computed_at, place=place)
    return BreakdownResult(scope.area, scope.categories, place, table, provenance)
