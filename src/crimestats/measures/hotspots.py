"""Place: Gi* hot spots, top LSOAs, repeat map points and concentration (methods reference §5).

The LSOA counts and the map-point counts are aggregated in the engine; Gi*, Benjamini–Hochberg,
the bins, top-N and Gini come from :mod:`crimestats.methods`. Neighbours are the store's queen
contiguity restricted to the area; an LSOA left without a neighbour inside the area is attached
to the nearest LSOA of the area by centroid distance and listed (§5.1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
import pyarrow as pa
from scipy import sparse

from crimestats.areas import Area, _centroids, lsoa_lookup
from crimestats.engines import Engine
from crimestats.measures._scope import (
    Cube,
    Scope,
    area_rows,
    build_scope,
    fetch_cube,
    fetch_sorted,
    rolled,
)
from crimestats.measures.population import lsoa_populations, population_choice
from crimestats.methods.hotspots import MIN_NONZERO_SHARE, GiStarResult, getis_ord_gi_star
from crimestats.methods.place import (
    ConcentrationResult,
    concentration,
    map_point_description,
    top_n_by_count,
    top_n_by_rate,
)
from crimestats.provenance import Provenance
from crimestats.query import Query

__all__ = [
    "HotspotsResult",
    "area_adjacency",
    "hotspots",
    "hotspots_from_cube",
    "map_points",
    "significant_lsoas",
]

MAP_POINT_LABEL = "map point (snapped)"
SNAP_NOTE = (
    "police.uk snaps many nearby crimes to the same map point, especially at supermarkets, "
    "stations, parks and car parks; a map point is not an address (methods reference §5.6)"
)
LSOA_NOTE = (
    "LSOA counts use the LSOA of the anonymised map point, so crimes near a boundary can fall "
    "in the neighbouring LSOA; differences of a few crimes are not meaningful (§1.2)"
)


@dataclass(frozen=True, slots=True)
class HotspotsResult:
    """Where crime concentrates inside an area.

    Attributes
    ----------
    area : Area
    categories : tuple of str
    lsoas : pyarrow.Table
        Every LSOA of the area: ``lsoa21_code, lsoa21_name, count, neighbours, on_boundary,
        gi_z, p, p_adjusted, bin, label, testable, not_testable_reason``.
    significant : pyarrow.Table
        Every hot and cold spot (bin ≠ 0), hottest first: ``lsoa21_code, lsoa21_name, count,
        gi_z, p_adjusted, bin, label`` — the list the summary counts.
    gi : GiStarResult
        Getis-Ord Gi* (esda ``G_Local(transform='B', star=True)`` z-scores), BH-adjusted p and
        confidence bins; ``few_areas`` / ``no_variation`` flags.
    islands : pyarrow.Table
        ``lsoa21_code, attached_to``: LSOAs with no neighbour inside the area, attached to the
        nearest LSOA of the area by centroid.
    top_by_count : pyarrow.Table
        ``rank, lsoa21_code, lsoa21_name, count, lower, upper, share``.
    top_by_rate : pyarrow.Table
        ``rank, lsoa21_code, lsoa21_name, count, population, rate, lower, upper, town_centre``
        among LSOAs with at least 10 crimes.
    small_number_lsoas : tuple of str
        LSOAs with fewer than 10 crimes (not ranked by rate).
    map_points : pyarrow.Table
        ``rank, longitude, latitude, location, count, label, description``: the top map
        points, labelled "map point (snapped)".
    concentration : ConcentrationResult
        Over all LSOAs of the area, zeros included (Gini, k for 25 %/50 %).
    provenance : Provenance
    """

    area: Area
    categories: tuple[str, ...]
    lsoas: pa.Table
    gi: GiStarResult
    significant: pa.Table
    islands: pa.Table
    top_by_count: pa.Table
    top_by_rate: pa.Table
    small_number_lsoas: tuple[str, ...]
    map_points: pa.Table
    concentration: ConcentrationResult
    provenance: Provenance


def area_adjacency(engine: Engine, area: Area) -> tuple[sparse.csr_array, pa.Table, np.ndarray]:
    """Queen adjacency among the area's LSOAs (in ``area.lsoa_codes`` order), islands attached.

    Returns
    -------
    (adjacency, islands, on_boundary)
        Binary CSR matrix without self-loops; ``islands`` lists ``lsoa21_code, attached_to``;
        ``on_boundary`` marks LSOAs with a queen neighbour outside the area.
    """
    key = "adjacency:" + ",".join(area.lsoa_codes)
    return engine.cached(key, lambda: _adjacency(engine, area))


def _adjacency(engine: Engine, area: Area) -> tuple[sparse.csr_array, pa.Table, np.ndarray]:
    codes = list(area.lsoa_codes)
    position = {code: i for i, code in enumerate(codes)}
    neighbours = engine.geography("lsoa_neighbours")
    pairs = engine.fetch(neighbours.filter(neighbours.lsoa21_code.isin(codes)))
    left = pairs["lsoa21_code"].to_pylist()
    right = pairs["neighbour_code"].to_pylist()
    on_boundary = np.zeros(len(codes), dtype=bool)
    rows, cols = [], []
    for a, b in zip(left, right, strict=True):
        if b in position:
            if a != b:
                rows.append(position[a])
                cols.append(position[b])
        else:
            on_boundary[position[a]] = True
    degree = np.bincount(np.asarray(rows, dtype=np.int64), minlength=len(codes))
    islands: list[tuple[str, str]] = []
    if len(codes) > 1 and (degree == 0).any():
        cents = _centroids(engine)
        lookup = dict(
            zip(
                cents["lsoa21_code"].to_pylist(),
                zip(
                    cents["centroid_lon"].to_pylist(),
                    cents["centroid_lat"].to_pylist(),
                    strict=True,
                ),
                strict=True,
            )
        )
        xy = np.array([lookup.get(c, (np.nan, np.nan)) for c in codes], dtype=float)
        scale = np.cos(np.radians(np.nanmean(xy[:, 1])))  # equirectangular: ranks like BNG
        for i in np.flatnonzero(degree == 0):
            d = np.hypot((xy[:, 0] - xy[i, 0]) * scale, xy[:, 1] - xy[i, 1])
            d[i] = np.inf
            j = int(np.nanargmin(d))
            rows += [int(i), j]
            cols += [j, int(i)]
            islands.append((codes[i], codes[j]))
    matrix = sparse.csr_array(
        (np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(len(codes), len(codes))
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1
    island_table = pa.table(
        {
            "lsoa21_code": pa.array([a for a, _ in islands], pa.string()),
            "attached_to": pa.array([b for _, b in islands], pa.string()),
        }
    )
    return matrix, island_table, on_boundary


def map_points(scope: Scope, n: int = 10) -> pa.Table:
    """Top ``n`` map points (lon/lat rounded to 6 d.p.) with their Location text (§5.6)."""
    rows = area_rows(scope)
    rows = rows.filter(rows.crime_type.isin(list(scope.categories)), rows.longitude.notnull())
    if scope.missing:
        rows = rows.filter(~rows.month.isin(sorted(scope.missing)))
    points = rows.group_by(
        longitude=rows.longitude.round(6), latitude=rows.latitude.round(6)
    ).aggregate(n=rows.count(), location=rows.location.min())
    top = points.order_by(
        [points.n.desc(), points.location, points.longitude, points.latitude]
    ).limit(n)
    table = fetch_sorted(scope.engine, top, [])
    table = table.sort_by(
        [("n", "descending"), ("location", "ascending"), ("longitude", "ascending")]
    )
    counts = [int(v) for v in table["n"].to_pylist()]
    return pa.table(
        {
            "rank": pa.array(range(1, len(counts) + 1), pa.int64()),
            "longitude": table["longitude"],
            "latitude": table["latitude"],
            "location": table["location"],
            "count": pa.array(counts, pa.int64()),
            "label": pa.array([MAP_POINT_LABEL] * len(counts), pa.string()),
            "description": pa.array([map_point_description(c) for c in counts], pa.string()),
        }
    )


def hotspots_from_cube(
    scope: Scope,
    cube: Cube,
    computed_at: datetime | None = None,
    *,
    top: int = 10,
    fdr: bool = True,
) -> HotspotsResult:
    """Hot spots from an area cube (plus one map-point query)."""
    engine = scope.engine
    codes = list(scope.area.lsoa_codes)
    by_lsoa = rolled(scope, cube, ["lsoa21_code"])
    found = dict(zip(by_lsoa["lsoa21_code"].to_pylist(), by_lsoa["n"].to_pylist(), strict=True))
    y = np.array([found.get(c, 0) for c in codes], dtype=np.int64)
    adjacency, islands, on_boundary = area_adjacency(engine, scope.area)
    gi = getis_ord_gi_star(
        y.astype(float), adjacency, fdr=fdr, scores="ranks", min_nonzero_share=MIN_NONZERO_SHARE
    )
    lookup = lsoa_lookup(engine)
    names_map = dict(
        zip(lookup["lsoa21_code"].to_pylist(), lookup["lsoa21_name"].to_pylist(), strict=True)
    )
    names = [names_map.get(c) for c in codes]
    lsoas = pa.table(
        {
            "lsoa21_code": codes,
            "lsoa21_name": names,
            "count": pa.array(y, pa.int64()),
            "neighbours": pa.array(gi.cardinality - 1, pa.int64()),
            "on_boundary": pa.array(on_boundary, pa.bool_()),
            "gi_z": pa.array(gi.z, pa.float64()),
            "p": pa.array(gi.p, pa.float64()),
            "p_adjusted": pa.array(gi.p_adjusted, pa.float64()),
            "bin": pa.array(gi.bins, pa.int64()),
            "label": pa.array(list(gi.labels), pa.string()),
            "testable": pa.array(gi.testable, pa.bool_()),
            "not_testable_reason": pa.array(list(gi.not_testable), pa.string()),
        }
    )
    significant = significant_lsoas(lsoas)
    by_count = top_n_by_count(codes, y, n=top)
    top_count = pa.table(
        {
            "rank": pa.array(range(1, len(by_count.codes) + 1), pa.int64()),
            "lsoa21_code": list(by_count.codes),
            "lsoa21_name": [names_map.get(c) for c in by_count.codes],
            "count": pa.array(by_count.counts, pa.int64()),
            "lower": pa.array(by_count.lower, pa.float64()),
            "upper": pa.array(by_count.upper, pa.float64()),
            "share": pa.array(by_count.share, pa.float64()),
        }
    )
    choice = population_choice(engine, scope.first, scope.last)
    pops = lsoa_populations(engine, scope.area.lsoa_codes, choice.year_used)
    pop_array = np.array([pops.get(c, np.nan) for c in codes], dtype=float)
    by_rate = top_n_by_rate(codes, y, pop_array, n=top, population_year=choice.year_used)
    top_rate = pa.table(
        {
            "rank": pa.array(range(1, len(by_rate.codes) + 1), pa.int64()),
            "lsoa21_code": list(by_rate.codes),
            "lsoa21_name": [names_map.get(c) for c in by_rate.codes],
            "count": pa.array(by_rate.counts, pa.int64()),
            "population": pa.array(by_rate.populations, pa.float64()),
            "rate": pa.array(by_rate.rate, pa.float64()),
            "lower": pa.array(by_rate.lower, pa.float64()),
            "upper": pa.array(by_rate.upper, pa.float64()),
            "town_centre": pa.array(by_rate.town_centre, pa.bool_()),
        }
    )
    provenance = scope.provenance(gi.method, computed_at, fdr=fdr, top=top)
    provenance = provenance.with_notes(SNAP_NOTE, LSOA_NOTE)
    provenance = replace(
        provenance,
        population_year_used=choice.year_used,
        population_year_wanted=choice.year_wanted,
        population_note=choice.note,
    )
    if islands.num_rows:
        provenance = provenance.with_notes(
            "LSOAs with no neighbour inside the area were attached to the nearest LSOA: "
            + ", ".join(
                f"{a}→{b}"
                for a, b in zip(
                    islands["lsoa21_code"].to_pylist(),
                    islands["attached_to"].to_pylist(),
                    strict=True,
                )
            )
        )
    if gi.reason is not None:
        provenance = provenance.with_notes(f"No hot-spot test: {gi.reason}")
    untestable = [c for c, t, r in zip(codes, gi.testable, gi.not_testable, strict=True)
                  if not t and r and r != gi.reason]  # fmt: skip
    if untestable:
        provenance = provenance.with_notes(
            f"Not testable ({len(untestable)} LSOA{'s' if len(untestable) != 1 else ''} that "
            "border every other LSOA of the area): " + ", ".join(untestable)
        )
    return HotspotsResult(
        scope.area, scope.categories, lsoas, gi, significant, islands, top_count, top_rate,
        by_rate.small_number_codes, map_points(scope, top), concentration(y), provenance,
    )  # fmt: skip


def significant_lsoas(lsoas: pa.Table) -> pa.Table:
    """Every LSOA with a hot or cold spot bin: hot spots, then cold spots, strongest first."""
    rows = [r for r in lsoas.to_pylist() if r["bin"]]
    rows.sort(key=lambda r: (r["bin"] < 0, -abs(r["bin"]), -abs(r["gi_z"] or 0.0),
                             r["lsoa21_code"]))  # fmt: skip
    keep = ["lsoa21_code", "lsoa21_name", "count", "gi_z", "p_adjusted", "bin", "label"]
    schema = lsoas.select(keep).schema
    return pa.Table.from_pylist([{k: r[k] for k in keep} for r in rows], schema=schema)


def hotspots(
    engine: Engine,
    query: Query,
    *,
    top: int = 10,
    fdr: bool = True,
    computed_at: datetime | None = None,
) -> HotspotsResult:
    """Gi* hot spots, top LSOAs by count and rate, repeat map points and concentration.

    Parameters
    ----------
    engine, query, computed_at
        As :func:`crimestats.measures.counts`.
    top : int, default 10
        How many LSOAs and map points to list.
    fdr : bool, default True
        Benjamini–Hochberg correction of the Gi* p-values before binning (§5.3); False gives
        the uncorrected bins.

    Returns
    -------
    HotspotsResult

    Notes
    -----
    Gi* uses binary queen weights with self-weight 1 on the area's LSOAs, computed on the
    ranks of the counts (``esda.G_Local(rankdata(y), w, transform="B", star=True)``), two-sided
    p, BH over the testable LSOAs of the area (Getis & Ord 1992; Ord & Getis 1995; Benjamini &
    Hochberg 1995; Conover & Iman 1981). An LSOA that borders every other LSOA of the area is
    not testable; a map where fewer than 40 % of LSOAs have any crime is not tested
    (calibration under spatial randomness, docs/calibration.md).
    """
    scope = build_scope(engine, query, default_months=12)
    return hotspots_from_cube(
        scope, fetch_cube(scope, scope.categories), computed_at, top=top, fdr=fdr
    )
