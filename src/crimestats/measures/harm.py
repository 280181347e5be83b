"""Harm: harm-weighted totals and rankings by category and by LSOA, always beside counts (§6).

The weights are versioned data (``crimestats/data/harm_weights.json``, default ``cchi-v1.1``);
ASB is never in a harm total, and drugs and possession of weapons (mostly proactively detected)
are left out unless ``include_proactive=True`` (§6.4).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pyarrow as pa

from crimestats.areas import Area, lsoa_lookup
from crimestats.categories import SLUG_TO_NAME
from crimestats.engines import Engine
from crimestats.measures._scope import (
    NO_MONTHS,
    Cube,
    Scope,
    build_scope,
    fetch_cube,
    rolled,
)
from crimestats.methods.harm import (
    DEFAULT_WEIGHTS_VERSION,
    HarmResult,
    QuadrantResult,
    harm_quadrants,
    harm_totals,
    harm_weights,
)
from crimestats.provenance import Provenance

__all__ = ["HarmMeasure", "harm", "harm_from_cube"]


@dataclass(frozen=True, slots=True)
class HarmMeasure:
    """Harm-weighted totals beside counts.

    Attributes
    ----------
    area : Area
    total : HarmResult
        Harm index over the included categories, with the weights, the exclusions and why.
    by_category : pyarrow.Table
        ``crime_type, category, count, weight, harm, harm_share, count_share, included`` ranked
        by harm (then count).
    by_lsoa : pyarrow.Table
        ``lsoa21_code, lsoa21_name, count, harm, harm_share, count_share, quadrant, rank``
        (count = crimes in the included categories; every LSOA of the area).
    quadrants : QuadrantResult
        Count-versus-harm quadrants of the LSOAs (§6.5).
    weights_version : str
    include_proactive : bool
    provenance : Provenance
    """

    area: Area
    total: HarmResult
    by_category: pa.Table
    by_lsoa: pa.Table
    quadrants: QuadrantResult
    weights_version: str
    include_proactive: bool
    provenance: Provenance


def harm_from_cube(
    scope: Scope,
    cube: Cube,
    computed_at: datetime | None = None,
    *,
    weights_version: str = DEFAULT_WEIGHTS_VERSION,
    include_proactive: bool = False,
) -> HarmMeasure:
    """Harm measure from an area cube holding every category."""
    engine = scope.engine
    by_cat = rolled(scope, cube, ["crime_type"])
    counts = {s: 0 for s in scope.categories}
    counts.update(
        {
            s: int(n)
            for s, n in zip(by_cat["crime_type"].to_pylist(), by_cat["n"].to_pylist(), strict=True)
            if s in scope.categories
        }
    )
    result = harm_totals(counts, weights_version, include_proactive)
    weights = harm_weights(weights_version).weights
    total_count = sum(counts.values())
    # With no month of data in the period every figure is a gap: None, never zero harm.
    gap = not scope.months_used
    rows = []
    for slug, n in counts.items():
        harm_value = result.harm_by_category.get(slug, 0.0)
        rows.append(
            {
                "crime_type": slug,
                "category": SLUG_TO_NAME.get(slug, slug),
                "count": None if gap else n,
                "weight": weights.get(slug),
                "harm": harm_value if slug in result.included and not gap else None,
                "harm_share": harm_value / result.total
                if result.total and slug in result.included
                else None,
                "count_share": n / total_count if total_count else None,
                "included": slug in result.included,
            }
        )
    rows.sort(key=lambda r: (-(r["harm"] or -1.0), -(r["count"] or 0), r["crime_type"]))
    by_category = pa.Table.from_pylist(rows)
    included = result.included
    lsoa_rows = rolled(scope, cube, ["lsoa21_code", "crime_type"], included)
    harm_by, count_by = {}, {}
    for code, slug, n in zip(
        lsoa_rows["lsoa21_code"].to_pylist(),
        lsoa_rows["crime_type"].to_pylist(),
        lsoa_rows["n"].to_pylist(),
        strict=True,
    ):
        harm_by[code] = harm_by.get(code, 0.0) + weights[slug] * n
        count_by[code] = count_by.get(code, 0) + n
    codes = list(scope.area.lsoa_codes)
    harm_values = [harm_by.get(c, 0.0) for c in codes]
    count_values = [count_by.get(c, 0) for c in codes]
    quadrants = harm_quadrants(codes, count_values, harm_values)
    lookup = lsoa_lookup(engine)
    names = dict(
        zip(lookup["lsoa21_code"].to_pylist(), lookup["lsoa21_name"].to_pylist(), strict=True)
    )
    order = sorted(range(len(codes)), key=lambda i: (-harm_values[i], -count_values[i], codes[i]))
    rank = {i: r + 1 for r, i in enumerate(order)}
    by_lsoa = pa.table(
        {
            "lsoa21_code": [codes[i] for i in order],
            "lsoa21_name": [names.get(codes[i]) for i in order],
            "count": pa.array([None if gap else count_values[i] for i in order], pa.int64()),
            "harm": pa.array([None if gap else harm_values[i] for i in order], pa.float64()),
            "harm_share": pa.array([float(quadrants.harm_share[i]) for i in order], pa.float64()),
            "count_share": pa.array([float(quadrants.count_share[i]) for i in order], pa.float64()),
            "quadrant": [quadrants.quadrant[i] for i in order],
            "rank": pa.array([rank[i] for i in order], pa.int64()),
        }
    )
    provenance = replace(
        scope.provenance(result.method, computed_at, include_proactive=include_proactive),
        weights_version=result.weights_version,
    ).with_notes(
        "harm weights stand one representative offence for a whole police.uk category; "
        "harm is shown beside counts, never instead of them (methods reference §6)",
        *result.warnings,
    )
    if not scope.months_used:  # nothing was counted: the total is a gap, not zero harm
        result = replace(result, total=None)
        provenance = provenance.with_notes(NO_MONTHS)
    return HarmMeasure(
        scope.area, result, by_category, by_lsoa, quadrants, result.weights_version,
        include_proactive, provenance,
    )  # fmt: skip


def harm(
    engine: Engine,
    area: Any,
    *,
    first: Any = None,
    last: Any = None,
    months: int = 12,
    categories: Any = "all",
    forces: Any = None,
    weights_version: str = DEFAULT_WEIGHTS_VERSION,
    include_proactive: bool = False,
    computed_at: datetime | None = None,
) -> HarmMeasure:
    """Harm-weighted totals and rankings by category and LSOA, beside counts (§6).

    Parameters
    ----------
    engine, area, first, last, months, forces, computed_at
        As :func:`crimestats.measures.counts`.
    categories : str or list, default "all"
        Categories to consider; ASB is counted but never weighted.
    weights_version : str, default "cchi-v1.1"
    include_proactive : bool, default False
        Add drugs and possession of weapons to the total.

    Returns
    -------
    HarmMeasure
    """
    scope = build_scope(
        engine, area, first=first, last=last, months=months, categories=categories, forces=forces
    )
    return harm_from_cube(
        scope, fetch_cube(scope, scope.categories), computed_at,
        weights_version=weights_version, include_proactive=include_proactive,
    )  # fmt: skip
