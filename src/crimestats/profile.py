"""The CSP profile: every question of the measures layer for one area, in one result.

Designed to be fast on one partnership and to scale to a national store: the period and the
files are chosen from the catalogue, the area's rows are reduced inside the engine to one small
cube (month × force × category × LSOA × outcome), fetched once into Arrow, and every question is
a roll-up of that cube. Row-level data never reaches Python.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from crimestats.areas import Area
from crimestats.categories import ASB, CRIME_SLUGS
from crimestats.engines import Engine, StoreLike, open_engine
from crimestats.measures._scope import build_scope, fetch_cube
from crimestats.measures.change import ChangeResult, change_from_cube, default_periods
from crimestats.measures.counts import CountsResult, counts_from_cube
from crimestats.measures.harm import HarmMeasure, harm_from_cube
from crimestats.measures.hotspots import HotspotsResult, hotspots_from_cube
from crimestats.measures.outcomes import OutcomesMeasure, outcomes_from_cube
from crimestats.measures.quality import QualityResult, quality_from_cube
from crimestats.measures.rates import (
    ComparisonResult,
    RateMeasure,
    compare_from_cube,
    rates_from_cube,
)
from crimestats.measures.trends import (
    ControlMeasure,
    SeasonalMeasure,
    TrendMeasure,
    control_from_cube,
    seasonal_from_cube,
    trend_from_cube,
)
from crimestats.months import add_months
from crimestats.provenance import Provenance
from crimestats.query import Query, checked_query

__all__ = ["ProfileResult", "csp_profile"]

CONTROL_BASELINE_MONTHS = 36  # §3.6: the same month of the previous three years


@dataclass(frozen=True, slots=True)
class ProfileResult:
    """Everything the measures layer can say about one area and period.

    Attributes
    ----------
    area : Area
    counts : CountsResult
        All crime (ASB excluded) by month, category, LSOA, ward and recording force.
    asb : CountsResult
        Anti-social behaviour, reported separately.
    rate : RateMeasure
        All crime per 1,000 residents.
    comparison : ComparisonResult
        Against the comparator (default: rest of the force area).
    change : ChangeResult
        Latest 12 months against the previous 12 (no test when a month is missing).
    trend : TrendMeasure
    seasonal : SeasonalMeasure
    control : ControlMeasure
    hotspots : HotspotsResult
    harm : HarmMeasure
    outcomes : OutcomesMeasure
    quality : QualityResult
    provenance : Provenance
    """

    area: Area
    counts: CountsResult
    asb: CountsResult
    rate: RateMeasure
    comparison: ComparisonResult
    change: ChangeResult
    trend: TrendMeasure
    seasonal: SeasonalMeasure
    control: ControlMeasure
    hotspots: HotspotsResult
    harm: HarmMeasure
    outcomes: OutcomesMeasure
    quality: QualityResult
    provenance: Provenance


def _engine(store_or_engine: Engine | StoreLike) -> Engine:
    if isinstance(store_or_engine, Engine):
        return store_or_engine
    return open_engine(store_or_engine)


def csp_profile(
    store_or_engine: Engine | StoreLike,
    query: Query,
    *,
    top: int = 10,
    include_proactive: bool = False,
    computed_at: datetime | None = None,
) -> ProfileResult:
    """Run every question for one area (a CSP by default) over ``months`` months.

    Parameters
    ----------
    store_or_engine : Engine or Store
        Pass an :class:`~crimestats.engines.Engine` to reuse its connection and caches (the
        web app keeps one per process); a store opens a DuckDB engine.
    query : Query
        The area (e.g. ``Query("E22000170")``), the period (default the 36 months ending at the
        latest month held for the area's force), the comparator (default the rest of the force
        area) and the recording forces. The profile covers every category, so
        ``query.categories`` must be left as ``None``.
    top : int, default 10
    include_proactive : bool, default False
        Harm totals with drugs and weapons.
    computed_at : datetime, optional
        The caller's clock, stamped into every provenance.

    Returns
    -------
    ProfileResult

    Notes
    -----
    One engine query reduces the area's rows to a cube (month × force × category × LSOA ×
    outcome), fetched once into Arrow; every breakdown is an in-memory roll-up of it. Three
    other small queries run in the engine: force-level facts (cached per engine), map points
    and repeated Crime IDs. Statistics follow ``reference/analytics-methods.md`` through
    :mod:`crimestats.methods`.
    """
    query = checked_query(query)
    if query.categories is not None:
        raise ValueError("the profile covers every category: leave the categories unset")
    engine = _engine(store_or_engine)
    forces = query.forces
    scope = build_scope(engine, replace(query, categories="all"), default_months=36)
    crime = replace(scope, categories=CRIME_SLUGS)
    asb = replace(scope, categories=(ASB,))
    period_1, period_2 = default_periods(scope.last, 12)
    # The change needs the 24 months ending at ``last``; the control chart charts the latest 12
    # months against the same months of the three years before. One cube over the widest of
    # these periods serves every question: each roll-up sums only its own scope's months.
    change_scope = build_scope(
        engine, Query(scope.area, period_1[0], scope.last, categories=CRIME_SLUGS, forces=forces)
    )
    control_first = add_months(scope.last, -(12 + CONTROL_BASELINE_MONTHS - 1))
    control_scope = build_scope(
        engine, Query(scope.area, control_first, scope.last, categories=CRIME_SLUGS, forces=forces)
    )
    first = min(scope.first, change_scope.first, control_scope.first)
    wide = scope if first == scope.first else replace(scope, first=first)
    cube = fetch_cube(wide)
    crime_counts = counts_from_cube(crime, cube, computed_at)
    asb_counts = counts_from_cube(asb, cube, computed_at)
    recorded = tuple(sorted({*crime_counts.provenance.forces, *asb_counts.provenance.forces}))
    result = ProfileResult(
        area=scope.area,
        counts=crime_counts,
        asb=asb_counts,
        rate=rates_from_cube(crime, cube, computed_at),
        comparison=compare_from_cube(crime, cube, query.comparator, computed_at),
        change=change_from_cube(change_scope, cube, period_1, period_2, computed_at),
        trend=trend_from_cube(crime, cube, computed_at),
        seasonal=seasonal_from_cube(crime, cube, computed_at),
        control=control_from_cube(control_scope, cube, computed_at, show_months=12),
        hotspots=hotspots_from_cube(crime, cube, computed_at, top=top),
        harm=harm_from_cube(scope, cube, computed_at, include_proactive=include_proactive),
        outcomes=outcomes_from_cube(crime, cube, computed_at),
        quality=quality_from_cube(scope, cube, computed_at),
        provenance=replace(
            scope.provenance(
                "CSP profile: counts, rates, comparison, change, trend, seasonality, control "
                "chart, hot spots, harm, outcomes and data quality (methods reference v1)",
                computed_at,
                months=len(scope.months),
                comparator=str(query.comparator),
            ),
            forces=recorded or scope.principal,
        ),
    )
    return result
