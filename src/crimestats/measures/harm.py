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
import pyarrow.compute as pc

from crimestats.areas import Area, lsoa_lookup
from crimestats.categories import ASB, CRIME_TYPES, SLUG_TO_NAME
from crimestats.engines import Engine
from crimestats.measures._scope import (
    NO_MONTHS,
    Cube,
    Scope,
    build_scope,
    fetch_cube,
    fetch_sorted,
    rolled,
)
from crimestats.methods.dispersion import DispersionResult, estimate_dispersion, not_estimated
from crimestats.methods.harm import (
    DEFAULT_WEIGHTS_VERSION,
    FEW_EVENTS,
    HarmInterval,
    HarmResult,
    QuadrantResult,
    harm_dispersion,
    harm_interval,
    harm_quadrants,
    harm_rank_intervals,
    harm_totals,
    harm_weights,
)
from crimestats.provenance import Provenance
from crimestats.query import Query, checked_query

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
        ``lsoa21_code, lsoa21_name, count, harm, harm_lower, harm_upper, harm_share,
        count_share, quadrant, rank, rank_best, rank_worst, events_driving, driven_by_few``
        (count = crimes in the included categories; every LSOA of the area). ``harm_lower``/
        ``harm_upper`` is the 95 % interval of the LSOA's harm and ``rank_best``…``rank_worst``
        the 95 % range of its rank (seeded parametric bootstrap); ``events_driving`` is the
        fewest crimes making up more than half the LSOA's harm and ``driven_by_few`` flags
        ``1 ≤ events_driving ≤ 3``.
    interval : HarmInterval or None
        95 % interval of the area's harm total, the variance share per category and the
        few-events flag (``None`` when no month has data).
    dispersion : DispersionResult
        φ of the area's monthly all-crime series (methods reference §10.1) from which the
        interval's dispersion is taken (an upper confidence bound, :func:`harm_dispersion`).
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
    interval: HarmInterval | None = None
    dispersion: DispersionResult | None = None


CRIME_ONLY = tuple(s for s in CRIME_TYPES.values() if s != ASB)


def area_dispersion(scope: Scope) -> tuple[DispersionResult, int]:
    """φ of the area's monthly all-crime series up to the period's end, and its months with crimes.

    The series runs from the first month held for the area's forces to ``scope.last``, missing
    months as gaps; :func:`estimate_dispersion` fits the longest run of complete months (its
    latest 36). Returns the result and how many of the fitted months had any crime.
    """
    engine = scope.engine
    parts = engine.partitions("street")
    if scope.principal:
        parts = parts.filter(pc.is_in(parts["force"], pa.array(list(scope.principal))))
    if not parts.num_rows:
        return not_estimated("no month of data held for the area's forces"), 0
    earliest = min(pc.min(parts["month"]).as_py(), scope.last)
    history = build_scope(
        engine, Query(scope.area, earliest, scope.last, categories=CRIME_ONLY, forces=scope.forces)
    )
    key = f"harm-dispersion:{history.first}:{history.last}:{history.forces}:" + ",".join(
        history.area.lsoa_codes
    )
    return engine.cached(key, lambda: _fit_dispersion(history))


def _monthly_by_lsoa(history: Scope) -> pa.Table:
    """All-crime counts by LSOA and month over the history, one scan cached per engine."""
    engine = history.engine
    key = f"crime-by-lsoa-month:{history.first}:{history.last}:{history.forces}"

    def build() -> pa.Table:
        rows = engine.street((history.first, history.last), history.forces)
        rows = rows.filter(
            rows.crime_type.isin(list(CRIME_ONLY)), rows.lsoa21_code.notnull(),
            rows.month.between(history.first, history.last),
        )  # fmt: skip
        grouped = rows.group_by(["lsoa21_code", "month"]).aggregate(n=rows.count())
        return fetch_sorted(engine, grouped, [])

    return engine.cached(key, build)


def _fit_dispersion(history: Scope) -> tuple[DispersionResult, int]:
    table = _monthly_by_lsoa(history)
    mine = table.filter(
        pc.is_in(table["lsoa21_code"], pa.array(list(history.area.lsoa_codes), pa.string()))
    )
    found: dict[Any, int] = {}
    for month, n in zip(mine["month"].to_pylist(), mine["n"].to_pylist(), strict=True):
        found[month] = found.get(month, 0) + int(n)
    values = [None if m in history.missing else int(found.get(m, 0)) for m in history.months]
    labels = [f"{m.year:04d}-{m.month:02d}" for m in history.months]
    result = estimate_dispersion(values, labels)
    used = 0
    if result.estimated and result.last_month is not None:
        stop = labels.index(result.last_month) + 1
        used = sum(1 for v in values[stop - result.months_used : stop] if v)
    return result, used


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
    rows: list[dict[str, Any]] = []  # one Arrow row per category
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
    harm_by: dict[str, float] = {}
    count_by: dict[str, int] = {}
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
    dispersion, months_with_crimes = area_dispersion(scope)
    phi_harm = harm_dispersion(dispersion, months_with_crimes)
    cat_by_lsoa: dict[str, dict[str, int]] = {}
    for code, slug, n in zip(
        lsoa_rows["lsoa21_code"].to_pylist(),
        lsoa_rows["crime_type"].to_pylist(),
        lsoa_rows["n"].to_pylist(),
        strict=True,
    ):
        cat_by_lsoa.setdefault(code, {})[slug] = int(n)
    included_weights = {slug: weights[slug] for slug in included}
    heaviest = max(included_weights.values(), default=0.0)
    lsoa_intervals = [
        harm_interval(
            {slug: cat_by_lsoa.get(c, {}).get(slug, 0) for slug in included},
            included_weights, phi_harm, max_weight=heaviest,
        )
        for c in codes
    ]  # fmt: skip
    rank_best, rank_worst = harm_rank_intervals(
        [i.total for i in lsoa_intervals], [i.variance for i in lsoa_intervals]
    )
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
            "harm_lower": pa.array(
                [None if gap else lsoa_intervals[i].lower for i in order], pa.float64()
            ),
            "harm_upper": pa.array(
                [None if gap else lsoa_intervals[i].upper for i in order], pa.float64()
            ),
            "harm_share": pa.array([float(quadrants.harm_share[i]) for i in order], pa.float64()),
            "count_share": pa.array([float(quadrants.count_share[i]) for i in order], pa.float64()),
            "quadrant": [quadrants.quadrant[i] for i in order],
            "rank": pa.array([rank[i] for i in order], pa.int64()),
            "rank_best": pa.array([int(rank_best[i]) for i in order], pa.int64()),
            "rank_worst": pa.array([int(rank_worst[i]) for i in order], pa.int64()),
            "events_driving": pa.array(
                [lsoa_intervals[i].events_driving for i in order], pa.int64()
            ),
            "driven_by_few": pa.array([lsoa_intervals[i].driven_by_few for i in order], pa.bool_()),
        }
    )
    interval = harm_interval({slug: counts[slug] for slug in included}, included_weights, phi_harm)
    provenance = replace(
        scope.provenance(result.method, computed_at, include_proactive=include_proactive),
        weights_version=result.weights_version,
    ).with_notes(
        "harm weights stand one representative offence for a whole police.uk category; "
        "harm is shown beside counts, never instead of them (methods reference §6)",
        *result.warnings,
    )
    provenance = provenance.with_notes(
        f"harm intervals: {interval.method}; {dispersion.description}; dispersion used "
        f"{phi_harm:.2f} (upper 90 % bound of phi, from {months_with_crimes} months with "
        "crimes); the area's phi is applied to each LSOA",
        f"a rank is flagged 'driven by few crimes' when {FEW_EVENTS} or fewer of its crimes "
        "(heaviest first) make up more than half of its harm",
    )
    if dispersion.caveat:
        provenance = provenance.with_notes(dispersion.caveat)
    shown: HarmInterval | None = interval
    if not scope.months_used:  # nothing was counted: the total is a gap, not zero harm
        result = replace(result, total=None)
        shown = None
        provenance = provenance.with_notes(NO_MONTHS)
    return HarmMeasure(
        scope.area, result, by_category, by_lsoa, quadrants, result.weights_version,
        include_proactive, provenance, shown, dispersion,
    )  # fmt: skip


def harm(
    engine: Engine,
    query: Query,
    *,
    weights_version: str = DEFAULT_WEIGHTS_VERSION,
    include_proactive: bool = False,
    computed_at: datetime | None = None,
) -> HarmMeasure:
    """Harm-weighted totals and rankings by category and LSOA, beside counts (§6).

    Parameters
    ----------
    engine, query, computed_at
        As :func:`crimestats.measures.counts`, except that ``query.categories`` left as
        ``None`` means ``"all"`` here: ASB is counted but never weighted.
    weights_version : str, default "cchi-v1.1"
    include_proactive : bool, default False
        Add drugs and possession of weapons to the total.

    Returns
    -------
    HarmMeasure
    """
    query = checked_query(query)
    if query.categories is None:
        query = replace(query, categories="all")
    scope = build_scope(engine, query, default_months=12)
    return harm_from_cube(
        scope, fetch_cube(scope, scope.categories), computed_at,
        weights_version=weights_version, include_proactive=include_proactive,
    )  # fmt: skip
