"""Every measure per crime type for one area, from one engine query: a strategic assessment's
chapters.

A strategic assessment reports each crime type on its own (volume, rate, tested change, trend,
seasonality, position against the force area, hot spots, outcomes) beside the overall picture.
Asking the measures one by one would run a query per category and question; here the area's rows
for the longest period needed are reduced once to the profile's cube (month × force × category ×
LSOA × outcome) and every chapter is a roll-up of it, as in :func:`crimestats.profile.csp_profile`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from crimestats.areas import Area
from crimestats.categories import ALL_SLUGS, ASB, CRIME_SLUGS
from crimestats.engines import Engine, open_engine
from crimestats.measures._scope import Scope, build_scope, fetch_cube
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
    SeasonalMeasure,
    TrendMeasure,
    seasonal_from_cube,
    trend_from_cube,
)
from crimestats.months import add_months, comparable_periods
from crimestats.provenance import Provenance
from crimestats.query import Query

__all__ = [
    "ALL_CRIME",
    "AreaChapters",
    "Chapter",
    "area_chapters",
    "comparable_periods",
]

#: The key of the all-crime chapter (the 13 crime types; ASB is a chapter of its own).
ALL_CRIME = "all-crime"

Period = tuple[date, date]


@dataclass(frozen=True, slots=True)
class Chapter:
    """Every measure for one crime type (or all crime, or ASB) in the assessment period.

    Attributes
    ----------
    key : str
        A crime type slug, ``anti-social-behaviour`` or :data:`ALL_CRIME`.
    categories : tuple of str
    counts : CountsResult
        The assessment period.
    rate : RateMeasure
    comparison : ComparisonResult
    change : ChangeResult
        The period against the one before it (untested when a month of either is missing).
    comparable_change : ChangeResult or None
        When ``change`` was not tested because of missing months: the longest run of months of
        the period whose months a year earlier are all held, against those months (see
        :func:`comparable_periods`); ``None`` otherwise or when no such run exists.
    trend : TrendMeasure
        Over the trend period.
    seasonal : SeasonalMeasure
        Over the trend period (shown only with three complete years and a tested pattern).
    hotspots : HotspotsResult
        The period.
    outcomes : OutcomesMeasure or None
        ``None`` for anti-social behaviour (no outcomes are published for it).
    """

    key: str
    categories: tuple[str, ...]
    counts: CountsResult
    rate: RateMeasure
    comparison: ComparisonResult
    change: ChangeResult
    comparable_change: ChangeResult | None
    trend: TrendMeasure
    seasonal: SeasonalMeasure
    hotspots: HotspotsResult
    outcomes: OutcomesMeasure | None


@dataclass(frozen=True, slots=True)
class AreaChapters:
    """The overall picture and one chapter per crime type.

    Attributes
    ----------
    area : Area
    period, previous_period, trend_period : (date, date)
    overall : Chapter
        All crime (ASB excluded).
    asb : Chapter
    by_category : dict
        Crime type slug → Chapter, for the 13 crime types.
    harm : HarmMeasure
        The period, every category (the harm total leaves out those without a weight).
    quality : QualityResult
        Over the trend period: the gaps, unlocated rows and repeated IDs behind every figure.
    provenance : Provenance
    """

    area: Area
    period: Period
    previous_period: Period
    trend_period: Period
    overall: Chapter
    asb: Chapter
    by_category: dict[str, Chapter]
    harm: HarmMeasure
    quality: QualityResult
    provenance: Provenance


def _chapter(
    key: str,
    categories: tuple[str, ...],
    scopes: dict[str, Scope],
    cube: Any,
    comparator: Any,
    computed_at: datetime | None,
    periods: tuple[Period, Period],
    top: int,
) -> Chapter:
    period, change, trend = (replace(scopes[k], categories=categories) for k in scopes)
    tested = change_from_cube(change, cube, *periods, computed_at, history_cube=cube)
    comparable = None
    if not tested.tested and (tested.months_missing_1 or tested.months_missing_2):
        spans = comparable_periods(*periods, change.months_missing)
        if spans is not None:
            comparable = change_from_cube(change, cube, *spans, computed_at, history_cube=cube)
    return Chapter(
        key=key,
        categories=categories,
        counts=counts_from_cube(period, cube, computed_at),
        rate=rates_from_cube(period, cube, computed_at),
        comparison=compare_from_cube(period, cube, comparator, computed_at),
        change=tested,
        comparable_change=comparable,
        trend=trend_from_cube(trend, cube, computed_at),
        seasonal=seasonal_from_cube(trend, cube, computed_at),
        hotspots=hotspots_from_cube(period, cube, computed_at, top=top),
        outcomes=None if categories == (ASB,) else outcomes_from_cube(period, cube, computed_at),
    )


def area_chapters(
    store_or_engine: Any,
    area: Any,
    *,
    last: Any = None,
    months: int = 12,
    trend_months: int = 36,
    comparator: Any = "rest-of-force",
    top: int = 10,
    include_proactive: bool = False,
    computed_at: datetime | None = None,
) -> AreaChapters:
    """The overall picture and a chapter per crime type for one area, from one cube.

    Parameters
    ----------
    store_or_engine : Engine or Store
    area : str, list or GeoJSON
        See :func:`crimestats.areas.resolve_area`.
    last : date or "YYYY-MM", optional
        Last month of the period; default the latest month held for the area's force.
    months : int, default 12
        The period: the latest ``months`` months, compared with the ``months`` before.
    trend_months : int, default 36
        History for the trend test and the seasonality (three years by default).
    comparator : str or list, default "rest-of-force"
    top : int, default 10
        Top LSOAs and map points per chapter.
    include_proactive : bool, default False
        Harm total with drugs and weapons.
    computed_at : datetime, optional

    Returns
    -------
    AreaChapters

    Notes
    -----
    The same measures as :func:`crimestats.profile.csp_profile`, each asked per category:
    :func:`~crimestats.measures.counts.counts_from_cube`, ``rates``, ``compare``, ``change``
    (methods reference §3.1), ``trend`` (§3.5), ``seasonal`` (§3.4), ``hotspots`` (§4),
    ``outcomes`` and ``harm`` (§6); the cube is fetched once and rolled up in memory.
    """
    engine = (
        store_or_engine if isinstance(store_or_engine, Engine) else open_engine(store_or_engine)
    )
    period = build_scope(engine, Query(area, last=last, months=months, categories="all"))
    previous, current = default_periods(period.last, months)
    trend_first = add_months(period.last, -(max(trend_months, 2 * months) - 1))
    change = build_scope(engine, Query(period.area, previous[0], period.last, categories="all"))
    trend = build_scope(
        engine,
        Query(
            period.area,
            add_months(period.last, -(trend_months - 1)),
            period.last,
            categories="all",
        ),
    )
    # One cube from the first month held: the change tests estimate each series' dispersion
    # from its whole history (methods reference §10.2), so every chapter reads the same cube.
    parts = engine.partitions("street")
    if period.principal:
        parts = parts.filter(pc.is_in(parts["force"], pa.array(list(period.principal))))
    earliest = pc.min(parts["month"]).as_py() if parts.num_rows else trend_first
    wide = build_scope(
        engine, Query(period.area, min(earliest, trend_first), period.last, categories="all")
    )
    cube = fetch_cube(wide)
    scopes = {"period": period, "change": change, "trend": trend}
    args = (scopes, cube, comparator, computed_at, (previous, current), top)
    overall = _chapter(ALL_CRIME, CRIME_SLUGS, *args)
    asb = _chapter(ASB, (ASB,), *args)
    by_category = {slug: _chapter(slug, (slug,), *args) for slug in CRIME_SLUGS}
    harm = harm_from_cube(period, cube, computed_at, include_proactive=include_proactive)
    quality = quality_from_cube(trend, cube, computed_at)
    forces = tuple(sorted({*overall.counts.provenance.forces, *asb.counts.provenance.forces}))
    provenance = replace(
        trend.provenance(
            "strategic assessment chapters: counts, rates, comparison, change, trend, "
            "seasonality, hot spots, outcomes per crime type; harm and data quality "
            "(methods reference v1)",
            computed_at,
            months=months,
            trend_months=trend_months,
            comparator=str(comparator),
            categories=ALL_SLUGS,
        ),
        forces=forces or period.principal,
    )
    return AreaChapters(
        area=period.area,
        period=(period.first, period.last),
        previous_period=previous,
        trend_period=(trend.first, trend.last),
        overall=overall,
        asb=asb,
        by_category=by_category,
        harm=harm,
        quality=quality,
        provenance=provenance,
    )
