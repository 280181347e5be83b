"""Typed ``crimestats`` measure results around a method result, for the summary's unit tests.

The page reads result fields by attribute, so its tests hand it the real dataclasses (not dicts
that would hide a renamed field).
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from crimestats.areas import Area
from crimestats.measures.change import ChangeResult, DispersionWindow
from crimestats.measures.trends import ControlMeasure, SeasonalMeasure, TrendMeasure
from crimestats.methods.comparison import TwoPeriodResult
from crimestats.methods.control import ControlChartResult
from crimestats.methods.trends import SeasonalIndexResult, TrendResult
from crimestats.provenance import Provenance

AREA = Area("E07000134", "North West Leicestershire", "lad", ("E01025888",), ("E23000021",))
PROVENANCE = Provenance(
    data_months=(date(2025, 1, 1), date(2025, 12, 1)),
    months_used=(),
    months_missing=(),
    forces=("leicestershire",),
    method="test",
)
NO_WINDOW = DispersionWindow(None, None, 0, None, False, "")
EMPTY = pa.table({})


def change_result(
    test: TwoPeriodResult,
    *,
    diff: int | None = None,
    period_1: tuple[date, date] = (date(2024, 1, 1), date(2024, 4, 1)),
    period_2: tuple[date, date] = (date(2025, 1, 1), date(2025, 4, 1)),
    window: DispersionWindow = NO_WINDOW,
) -> ChangeResult:
    return ChangeResult(
        area=AREA, categories=(), period_1=period_1, period_2=period_2, x1=test.x1, x2=test.x2,
        diff=diff, diff_reason=None, months_missing_1=(), months_missing_2=(), tested=True,
        reason=None, test=test, dispersion_window=window, wheeler=None, by_month=EMPTY,
        provenance=PROVENANCE,
    )  # fmt: skip


def control_measure(chart: pa.Table, control: ControlChartResult) -> ControlMeasure:
    return ControlMeasure(AREA, (), chart, EMPTY, control, PROVENANCE)


def trend_measure(trend: TrendResult) -> TrendMeasure:
    return TrendMeasure(AREA, (), EMPTY, trend, PROVENANCE)


def seasonal_measure(seasonal: SeasonalIndexResult) -> SeasonalMeasure:
    return SeasonalMeasure(AREA, (), EMPTY, seasonal, PROVENANCE)
