"""Monthly series questions: rolling 12 months, trend test, seasonal index, control chart.

Methods reference §3.3–§3.6. Each builds the area's monthly series (missing months as ``nan``,
never zeros) and hands it to :mod:`crimestats.methods.trends` / :mod:`crimestats.methods.control`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa

from crimestats.areas import Area
from crimestats.engines import Engine
from crimestats.measures._scope import Cube, Scope, build_scope, fetch_cube, rolled
from crimestats.measures.counts import month_series
from crimestats.methods.control import ControlChartResult, chart_dispersion, control_chart
from crimestats.methods.dispersion import DispersionResult
from crimestats.methods.trends import (
    SeasonalIndexResult,
    TrendResult,
    rolling_sum,
    seasonal_index,
    trend_test,
)
from crimestats.months import add_months, month_range
from crimestats.provenance import Provenance
from crimestats.query import Query

__all__ = [
    "ControlMeasure",
    "SeasonalMeasure",
    "TrendMeasure",
    "control",
    "control_from_cube",
    "seasonal",
    "seasonal_from_cube",
    "series_from_cube",
    "trend",
    "trend_from_cube",
]

RECORDED_NOTE = (
    "recorded crime reflects reporting and police recording practice, not all crime; "
    "trends can move with recording changes (methods reference §1.7)"
)


@dataclass(frozen=True, slots=True)
class TrendMeasure:
    """Monthly series with rolling 12-month sums and the default trend test (§3.3, §3.5).

    Attributes
    ----------
    area : Area
    categories : tuple of str
    series : pyarrow.Table
        ``month, count, status, rolling_12`` (``count`` null where missing; ``rolling_12``
        null unless all 12 months of the window are present).
    trend : TrendResult
        Seasonal Kendall with the seasonal Sen slope and its 95 % interval (n ≥ 24), or not
        run (``reason``: too short, or too few crimes to judge); the verdict, whether the
        autocorrelation checks (Hamed–Rao, trend-free pre-whitening) agree, and the caveat.
    provenance : Provenance
    """

    area: Area
    categories: tuple[str, ...]
    series: pa.Table
    trend: TrendResult
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class SeasonalMeasure:
    """Seasonal index by calendar month (§3.4), or the reason there is none.

    Attributes
    ----------
    area : Area
    categories : tuple of str
    index : pyarrow.Table
        ``calendar_month, seasonal_index`` (empty when not computed or withheld).
    seasonal : SeasonalIndexResult
        ``computed``, ``years_used``, ``test`` (the test of equal months, with its p) and
        ``reason`` (fewer than 3 complete years; no crimes; no evidence of a seasonal pattern).
    provenance : Provenance
    """

    area: Area
    categories: tuple[str, ...]
    index: pa.Table
    seasonal: SeasonalIndexResult
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class ControlMeasure:
    """Control chart against the same month of the previous three years (§3.6).

    Attributes
    ----------
    area : Area
    categories : tuple of str
    chart : pyarrow.Table
        ``month, observed, expected, baseline_years, lower_95, upper_95, lower_998,
        upper_998, status`` (``too_few``: fewer than 1 crime expected, not judged).
    exceedances : pyarrow.Table
        The months beyond a limit (alerts and watches).
    control : ControlChartResult
        With the dispersion used (``phi_star``, ``dispersion``) and how it was estimated.
    provenance : Provenance
    """

    area: Area
    categories: tuple[str, ...]
    chart: pa.Table
    exceedances: pa.Table
    control: ControlChartResult
    provenance: Provenance


def series_from_cube(scope: Scope, cube: Cube) -> pa.Table:
    """``month, count, status`` for every month of the scope from an area cube."""
    monthly = rolled(scope, cube, ["month"])
    return month_series(scope, monthly)


def _counts(series: pa.Table) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in series["count"].to_pylist()], dtype=float)


def trend_from_cube(scope: Scope, cube: Cube, computed_at: datetime | None = None) -> TrendMeasure:
    """Trend measure from an area cube."""
    series = series_from_cube(scope, cube)
    x = _counts(series)
    rolling = rolling_sum(x, 12).sums
    series = series.append_column(
        "rolling_12", pa.array([None if np.isnan(v) else int(v) for v in rolling], pa.int64())
    )
    result = trend_test(x)
    provenance = scope.provenance(result.method, computed_at).with_notes(
        result.caveat, RECORDED_NOTE
    )
    if result.reason:
        provenance = provenance.with_notes(f"no trend verdict: {result.reason}")
    return TrendMeasure(scope.area, scope.categories, series, result, provenance)


def seasonal_from_cube(
    scope: Scope, cube: Cube, computed_at: datetime | None = None
) -> SeasonalMeasure:
    """Seasonal index measure from an area cube."""
    series = series_from_cube(scope, cube)
    result = seasonal_index(series["month"].to_pylist(), _counts(series))
    values = list(result.index) if result.index is not None else []
    index = pa.table(
        {
            "calendar_month": pa.array(list(range(1, len(values) + 1)), pa.int64()),
            "seasonal_index": pa.array(values, pa.float64()),
        }
    )
    provenance = scope.provenance(result.method, computed_at)
    if result.reason:
        provenance = provenance.with_notes(f"no seasonal index: {result.reason}")
    if result.test is not None and result.test.tested:
        provenance = provenance.with_notes(result.test.method)
    return SeasonalMeasure(scope.area, scope.categories, index, result, provenance)


def control_from_cube(
    scope: Scope, cube: Cube, computed_at: datetime | None = None, *, show_months: int = 12
) -> ControlMeasure:
    """Control chart measure from an area cube (the last ``show_months`` months are charted)."""
    series = series_from_cube(scope, cube)
    months, counts = series["month"].to_pylist(), _counts(series)
    result = control_chart(months, counts, dispersion=_control_dispersion(scope, months, counts))
    chart = pa.table(
        {
            "month": pa.array(list(result.months), pa.string()),
            "observed": pa.array(result.observed, pa.float64(), from_pandas=True),
            "expected": pa.array(result.expected, pa.float64(), from_pandas=True),
            "baseline_years": pa.array(
                [int(n) if n >= 2 else None for n in result.baseline_n], pa.int64()
            ),
            "lower_95": pa.array(result.lower_95, pa.float64(), from_pandas=True),
            "upper_95": pa.array(result.upper_95, pa.float64(), from_pandas=True),
            "lower_998": pa.array(result.lower_998, pa.float64(), from_pandas=True),
            "upper_998": pa.array(result.upper_998, pa.float64(), from_pandas=True),
            "status": pa.array(list(result.status), pa.string()),
        }
    )
    chart = chart.slice(max(chart.num_rows - show_months, 0))
    flagged = [s.startswith(("alert", "watch")) for s in chart["status"].to_pylist()]
    exceedances = chart.filter(pa.array(flagged, pa.bool_()))
    dispersion = (
        result.dispersion.description
        if result.dispersion is not None
        else f"dispersion phi* = {result.phi_star:.2f} (fixed)"
    )
    if result.phi_index is not None:
        dispersion += (
            f"; few crimes a month, so phi* is at least the index of dispersion "
            f"{result.phi_index:.2f}"
        )
    provenance = scope.provenance(result.method, computed_at).with_notes(
        result.trend_note, dispersion, *result.warnings
    )
    return ControlMeasure(scope.area, scope.categories, chart, exceedances, result, provenance)


def _control_dispersion(scope: Scope, months: list[Any], counts: Any) -> DispersionResult | None:
    """The chart's own dispersion, or the area's longer history when the chart's is too short.

    The chart reads 48 months; a gap (police.uk has whole missing years) can leave no run of 18
    complete months in them, and the limits would then assume Poisson variation. The change
    test's estimate (:func:`~crimestats.measures.change.area_dispersion`: the most recent run of
    18–36 complete months up to the chart's last month) describes the same area, so both
    verdicts use the same φ. ``None`` keeps the chart's own (guarded) estimate.
    """
    own, _phi_star, _index = chart_dispersion(months, counts)
    if own.estimated or scope.engine is None:
        return None
    from crimestats.measures.change import area_dispersion  # same layer; avoids an import cycle

    history, _window = area_dispersion(scope, scope.last)
    return history if history.estimated else None


def trend(
    engine: Engine,
    query: Query,
    *,
    computed_at: datetime | None = None,
) -> TrendMeasure:
    """Rolling 12-month sums and the default trend test for an area's monthly series.

    Parameters
    ----------
    engine, query, computed_at
        As :func:`crimestats.measures.counts`; the period defaults to 36 months.

    Returns
    -------
    TrendMeasure

    Notes
    -----
    The seasonal Kendall test with the seasonal Sen slope and its interval for 24 or more
    months (:func:`crimestats.methods.trends.trend_test`); fewer than 24 non-missing months
    are "too short for a trend test", fewer than 10 crimes or crimes in fewer than 6 months
    "too few crimes to judge a trend". Trend tests never run on rolling sums (§3.3).
    """
    scope = build_scope(engine, query, default_months=36)
    return trend_from_cube(scope, fetch_cube(scope, scope.categories), computed_at)


def seasonal(
    engine: Engine,
    query: Query,
    *,
    computed_at: datetime | None = None,
) -> SeasonalMeasure:
    """Seasonal index from the complete calendar years of the period (§3.4).

    Parameters
    ----------
    engine, query, computed_at
        As :func:`crimestats.measures.counts`; the period defaults to 36 months.

    Returns
    -------
    SeasonalMeasure
        The index only when the test of equal months finds a seasonal pattern; otherwise
        ``seasonal.reason`` says why (fewer than 3 complete years, no crimes, or no evidence
        of a pattern with the test's p).
    """
    scope = build_scope(engine, query, default_months=36)
    return seasonal_from_cube(scope, fetch_cube(scope, scope.categories), computed_at)


def control(
    engine: Engine,
    query: Query,
    *,
    computed_at: datetime | None = None,
) -> ControlMeasure:
    """Control chart of the last ``months`` months against a seasonal baseline (§3.6).

    Parameters
    ----------
    engine, query, computed_at
        As :func:`crimestats.measures.counts`: the months charted (default 12); the data read
        start 36 months before the first of them, for the baseline.

    Returns
    -------
    ControlMeasure

    Notes
    -----
    Negative-binomial prediction limits with the area's own dispersion φ* (estimated from the
    monthly series read, the charted months and the 36 before) and the baseline mean's own
    uncertainty; months expecting fewer than 1 crime are "too few to judge" (§10.3).
    """
    probe = build_scope(engine, query, default_months=12)
    start = add_months(probe.first, -36)
    scope = build_scope(engine, query.with_period(start, probe.last))
    shown = len(month_range(probe.first, probe.last))
    result = control_from_cube(
        scope, fetch_cube(scope, scope.categories), computed_at, show_months=shown
    )
    return result
