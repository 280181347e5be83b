"""Change between two periods (methods reference §3.1, §3.2): never a bare percentage.

Default: the latest 12 months against the previous 12 months, tested with the Poisson E-test
(with the exact conditional test beside it and Wheeler's z as a screen). No test is run when a
month of either period is missing (§1.5); the result names those months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from crimestats.areas import Area
from crimestats.engines import Engine
from crimestats.measures._scope import (
    Cube,
    Scope,
    add_months,
    as_month,
    build_scope,
    fetch_cube,
    month_range,
    rolled,
)
from crimestats.methods.comparison import (
    TwoPeriodResult,
    WheelerZResult,
    two_period_test,
    wheeler_z,
)
from crimestats.provenance import Provenance, month_label

__all__ = ["ChangeResult", "change", "change_from_cube", "default_periods"]

Period = tuple[date, date]


@dataclass(frozen=True, slots=True)
class ChangeResult:
    """Counts in two periods and the test of change between them.

    Attributes
    ----------
    area : Area
    categories : tuple of str
    period_1, period_2 : (date, date)
        The earlier and the later period.
    x1, x2 : int
        Crimes in each period (months present only).
    diff : int
        ``x2 − x1`` in crimes.
    months_missing_1, months_missing_2 : tuple of date
        Missing months in each period (§1.5).
    tested : bool
    reason : str or None
        Why no test was run, naming the missing months.
    test : TwoPeriodResult
        E-test p (``p_etest``), exact conditional p (``p_exact_cond``), rate ratio with exact
        interval, the interval for the difference in crimes and the verdict wording (§4.6).
    wheeler : WheelerZResult or None
        Wheeler's Poisson z screen (|z| ≥ 3 flags), only when tested.
    by_month : pyarrow.Table
        ``month, period, count`` (null for missing months).
    provenance : Provenance
    """

    area: Area
    categories: tuple[str, ...]
    period_1: Period
    period_2: Period
    x1: int
    x2: int
    diff: int
    months_missing_1: tuple[date, ...]
    months_missing_2: tuple[date, ...]
    tested: bool
    reason: str | None
    test: TwoPeriodResult
    wheeler: WheelerZResult | None
    by_month: pa.Table
    provenance: Provenance


def default_periods(last: date, months: int = 12) -> tuple[Period, Period]:
    """Latest ``months`` months ending at ``last`` and the ``months`` before them.

    Examples
    --------
    >>> p1, p2 = default_periods(date(2025, 12, 1))
    >>> [month_label(m) for m in (*p1, *p2)]
    ['2024-01', '2024-12', '2025-01', '2025-12']
    """
    start_2 = add_months(last, -(months - 1))
    return (add_months(start_2, -months), add_months(start_2, -1)), (start_2, last)


def _missing_text(label: str, months: tuple[date, ...]) -> str:
    return f"{label} has missing months: " + ", ".join(month_label(m) for m in months)


def change_from_cube(
    scope: Scope,
    cube: Cube,
    period_1: Period,
    period_2: Period,
    computed_at: datetime | None = None,
) -> ChangeResult:
    """The two-period comparison from an area cube covering both periods."""
    monthly = rolled(scope, cube, ["month"])
    found = dict(zip(monthly["month"].to_pylist(), monthly["n"].to_pylist(), strict=True))
    months_1, months_2 = month_range(*period_1), month_range(*period_2)
    missing_1 = tuple(m for m in months_1 if m in scope.missing)
    missing_2 = tuple(m for m in months_2 if m in scope.missing)
    x1 = sum(int(found.get(m, 0)) for m in months_1 if m not in scope.missing)
    x2 = sum(int(found.get(m, 0)) for m in months_2 if m not in scope.missing)
    reasons = [
        _missing_text(label, months)
        for label, months in (("period 1", missing_1), ("period 2", missing_2))
        if months
    ]
    is_missing = bool(reasons)
    test = two_period_test(x1, x2, len(months_1), len(months_2), missing=is_missing)
    reason = "no test: " + "; ".join(reasons) if reasons else test.reason
    wheeler = wheeler_z(x2, x1 * len(months_2) / len(months_1)) if test.tested else None
    rows = [
        (m, label, None if m in scope.missing else int(found.get(m, 0)))
        for label, months in (("period 1", months_1), ("period 2", months_2))
        for m in months
    ]
    by_month = pa.table(
        {
            "month": pa.array([r[0] for r in rows], pa.date32()),
            "period": pa.array([r[1] for r in rows], pa.string()),
            "count": pa.array([r[2] for r in rows], pa.int64()),
        }
    )
    provenance = scope.provenance(
        test.method,
        computed_at,
        period_1=f"{month_label(period_1[0])}..{month_label(period_1[1])}",
        period_2=f"{month_label(period_2[0])}..{month_label(period_2[1])}",
    )
    return ChangeResult(
        scope.area, scope.categories, period_1, period_2, x1, x2, x2 - x1, missing_1, missing_2,
        test.tested, reason, test, wheeler, by_month, provenance,
    )  # fmt: skip


def change(
    engine: Engine,
    area: Any,
    *,
    period_1: tuple[Any, Any] | None = None,
    period_2: tuple[Any, Any] | None = None,
    last: Any = None,
    months: int = 12,
    categories: Any = None,
    forces: Any = None,
    computed_at: datetime | None = None,
) -> ChangeResult:
    """Test the change in crimes between two periods (§3.1).

    Parameters
    ----------
    engine, area, categories, forces, computed_at
        As :func:`crimestats.measures.counts`.
    period_1, period_2 : (first, last), optional
        The earlier and later periods (dates or ``YYYY-MM``). Default: the latest ``months``
        months ending at ``last`` (default the latest month held) against the ``months``
        before them.
    last : date or "YYYY-MM", optional
    months : int, default 12

    Returns
    -------
    ChangeResult

    Notes
    -----
    E-test (Krishnamoorthy & Thomson 2004, = statsmodels ``etest-wald``) with months as
    exposures, the exact conditional test beside it, and Wheeler's z as a screen; computed by
    :func:`crimestats.methods.comparison.two_period_test`. A period with a missing month is not
    tested (§3.1).
    """
    if (period_1 is None) != (period_2 is None):
        raise ValueError("give both periods or neither")
    if period_1 is not None and period_2 is not None:
        p1 = (as_month(period_1[0]), as_month(period_1[1]))
        p2 = (as_month(period_2[0]), as_month(period_2[1]))
        for p in (p1, p2):
            if p[0] > p[1]:
                raise ValueError(
                    f"period {month_label(p[0])}..{month_label(p[1])} ends before it starts"
                )
    else:
        end = as_month(last) if last is not None else None
        if end is None:
            probe = build_scope(engine, area, months=1, categories=categories, forces=forces)
            end = probe.last
        p1, p2 = default_periods(end, months)
    scope = build_scope(
        engine, area, first=min(p1[0], p2[0]), last=max(p1[1], p2[1]),
        categories=categories, forces=forces,
    )  # fmt: skip
    return change_from_cube(scope, fetch_cube(scope, scope.categories), p1, p2, computed_at)
