"""Change between two periods (methods reference §3.1, §3.2, §10.2): never a bare percentage.

Default: the latest 12 months against the previous 12 months. The verdict allows for
overdispersion: φ is estimated from the area's own monthly series (same categories) over the
most recent run of complete months (at least 18, at most 36) ending at or before the end of the
later period, so the months nearest the comparison are used and the gaps of the data (§1.5) are
never bridged. The Poisson E-test and exact conditional test are kept beside the verdict and
Wheeler's z as a screen. No test is run when a month of either period is missing (§1.5); the
result names those months.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import pyarrow as pa
import pyarrow.compute as pc

from crimestats.areas import Area
from crimestats.categories import ASB
from crimestats.engines import Engine
from crimestats.measures._scope import Cube, Scope, build_scope, fetch_cube, rolled
from crimestats.methods.comparison import (
    TwoPeriodResult,
    WheelerZResult,
    sparse_reason,
    two_period_test,
    wheeler_z,
)
from crimestats.methods.dispersion import (
    MIN_MONTHS,
    SEASONAL_MIN_MEAN,
    DispersionResult,
    estimate_dispersion,
    not_estimated,
)
from crimestats.months import add_months, as_month, month_label, month_range
from crimestats.provenance import Provenance
from crimestats.query import Period, Query, checked_query

__all__ = [
    "ChangeResult",
    "DispersionWindow",
    "area_dispersion",
    "change",
    "change_from_cube",
    "default_periods",
]


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
    diff : int or None
        ``x2 − x1`` in crimes, only when the change was tested and the periods are equally long;
        otherwise ``None`` with ``diff_reason`` (an untested comparison carries no difference).
    diff_reason : str or None
    months_missing_1, months_missing_2 : tuple of date
        Missing months in each period (§1.5).
    tested : bool
    reason : str or None
        Why no test was run, naming the missing months.
    test : TwoPeriodResult
        The dispersion-aware verdict (``p``, rate ratio and change in crimes with intervals from
        one inversion, φ and how it was estimated), with the Poisson E-test (``p_etest``) and
        exact conditional test (``p_exact_cond``) beside it (§3.1, §10.2).
    dispersion_window : DispersionWindow
        Which months φ was estimated from, their mean a month, and why.
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
    diff: int | None
    diff_reason: str | None
    months_missing_1: tuple[date, ...]
    months_missing_2: tuple[date, ...]
    tested: bool
    reason: str | None
    test: TwoPeriodResult
    dispersion_window: DispersionWindow
    wheeler: WheelerZResult | None
    by_month: pa.Table
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class DispersionWindow:
    """The months φ was estimated from (methods reference §10.1) and why those.

    Attributes
    ----------
    first, last : date or None
        The run of complete months used (``None`` when no run was long enough).
    months : int
    monthly_mean : float or None
        Mean crimes a month over the run (the model choice uses it).
    sparse_reason : str or None
        Why the run is too sparse to judge a change (no verdict), or ``None``.
    seasonal : bool
        Month-of-year factors in the model (only from 20 crimes a month on average).
    note : str
        Plain-English account of the choice.
    """

    first: date | None
    last: date | None
    months: int
    monthly_mean: float | None
    seasonal: bool
    note: str
    sparse_reason: str | None = None


def _runs(values: list[int | None]) -> list[tuple[int, int]]:
    """``(start, stop)`` of every run of non-missing values, in order."""
    runs, start = [], None
    for i, value in enumerate([*values, None]):
        if value is not None and start is None:
            start = i
        elif value is None and start is not None:
            runs.append((start, i))
            start = None
    return runs


def area_dispersion(
    scope: Scope, end: date, history_cube: Cube | None = None
) -> tuple[DispersionResult, DispersionWindow]:
    """φ of the area's monthly series (scope's categories) for a comparison ending at ``end``.

    The series runs from the first month the store holds for the area's forces to ``end``; the
    most recent run of at least 18 complete months is used (its latest 36 months), so the
    estimate describes the months nearest the comparison and never bridges a gap. When no run
    is that long, φ is not estimated and the result says so (the caller falls back to the
    Poisson test with a caveat). ``history_cube``: an Arrow cube of the area already covering
    that history (every category asked for), so a caller asking per category (the assessment's
    chapters) reads the history once instead of once per category.
    """
    engine = scope.engine
    parts = engine.partitions("street")
    if scope.principal:
        parts = parts.filter(pc.is_in(parts["force"], pa.array(list(scope.principal))))
    earliest = pc.min(parts["month"]).as_py() if parts.num_rows else end
    history = build_scope(
        engine,
        Query(
            scope.area, min(earliest, end), end, categories=scope.categories, forces=scope.forces
        ),
    )
    cube = history_cube if history_cube is not None else fetch_cube(history, history.categories)
    monthly = rolled(history, cube, ["month"])
    found = dict(zip(monthly["month"].to_pylist(), monthly["n"].to_pylist(), strict=True))
    values = [None if m in history.missing else int(found.get(m, 0)) for m in history.months]
    runs = _runs(values)
    long_enough = [r for r in runs if r[1] - r[0] >= MIN_MONTHS]
    if long_enough:
        start, stop = long_enough[-1]
    elif runs:
        start, stop = max(runs, key=lambda r: (r[1] - r[0], r[0]))
    else:
        start = stop = 0
    start = max(start, stop - 36)
    # A run holds complete months only, so nothing is dropped here: the filter types the list.
    chosen = [value for value in values[start:stop] if value is not None]
    months = history.months[start:stop]
    mean = sum(chosen) / len(chosen) if chosen else None
    seasonal = mean is not None and mean >= SEASONAL_MIN_MEAN
    if len(chosen) < MIN_MONTHS:
        dispersion = not_estimated(
            f"the longest run of complete months up to {month_label(end)} is {len(chosen)} "
            f"months (at least {MIN_MONTHS} needed)",
            len(chosen),
        )
        note = dispersion.reason or ""
    else:
        dispersion = estimate_dispersion(chosen, months, seasonal=seasonal)
        first, last = month_label(months[0]), month_label(months[-1])
        note = (
            f"phi estimated from the {len(chosen)} complete months {first} to {last}, the most "
            f"recent run of at least {MIN_MONTHS} complete months up to {month_label(end)}"
            + ("" if seasonal else
               "; trend-only model (under 20 crimes a month: too few to estimate seasons)")
        )  # fmt: skip
        if months[-1] < add_months(end, -1) and stop < len(values):
            note += " (the months after it have gaps, so it ends before the periods compared)"
    window = DispersionWindow(
        months[0] if chosen else None, months[-1] if chosen else None, len(chosen), mean,
        seasonal, note, sparse_reason(chosen) if len(chosen) >= MIN_MONTHS else None,
    )  # fmt: skip
    return dispersion, window


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
    history_cube: Cube | None = None,
) -> ChangeResult:
    """The two-period comparison from an area cube covering both periods.

    φ is estimated by :func:`area_dispersion` from the area's history (one more query, or none
    when ``history_cube`` already covers it).
    """
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
    dispersion, window = area_dispersion(scope, max(period_1[1], period_2[1]), history_cube)
    sparse = window.sparse_reason
    if not dispersion.estimated:
        held = [found.get(m, 0) for m in (*months_1, *months_2) if m not in scope.missing]
        sparse = sparse_reason(held)
    # Anti-social behaviour is recorded as incidents, not crimes: the verdict says so.
    unit = "incidents" if scope.categories == (ASB,) else "crimes"
    test = two_period_test(
        x1, x2, len(months_1), len(months_2), missing=is_missing, dispersion=dispersion,
        sparse=sparse, unit=unit,
    )  # fmt: skip
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
        dispersion=dispersion.description,
        dispersion_window=window.note,
    )
    diff_reason = test.diff_reason
    if reasons:
        diff_reason = "no test (a period has missing months), so no difference is reported"
    return ChangeResult(
        scope.area, scope.categories, period_1, period_2, x1, x2, test.diff, diff_reason,
        missing_1, missing_2, test.tested, reason, test, window, wheeler, by_month, provenance,
    )  # fmt: skip


def change(
    engine: Engine,
    query: Query,
    *,
    period_1: Period | None = None,
    period_2: Period | None = None,
    computed_at: datetime | None = None,
) -> ChangeResult:
    """Test the change in crimes between two periods (§3.1).

    Parameters
    ----------
    engine, query, computed_at
        As :func:`crimestats.measures.counts`: the query's area, categories and forces.
    period_1, period_2 : (date, date), optional
        The earlier and later periods (first and last month;
        :func:`crimestats.query.parse_period` reads them from ``YYYY-MM``). Default: the latest
        ``query.months`` months (default 12) ending at ``query.last`` (default the latest month
        held) against the same number of months before them. ``query.first`` is refused: a
        first month alone does not say where either period starts.

    Returns
    -------
    ChangeResult

    Notes
    -----
    Dispersion-aware test of §10.2 (quasi-Poisson log rate ratio, or the exact conditional test
    on φ-scaled counts when small) with months as exposures, φ from :func:`area_dispersion`;
    the Poisson E-test (Krishnamoorthy & Thomson 2004) and exact conditional test beside it, and
    Wheeler's z as a screen; computed by :func:`crimestats.methods.comparison.two_period_test`.
    A period with a missing month is not tested (§3.1); below one crime a month on average no
    verdict is given.
    """
    query = checked_query(query)
    if (period_1 is None) != (period_2 is None):
        raise ValueError("give both periods or neither")
    if query.first is not None:
        raise ValueError(
            "a change compares two periods: give period_1 and period_2 (or a last month and "
            "a number of months), not a first month"
        )
    if period_1 is not None and period_2 is not None:
        p1 = (as_month(period_1[0]), as_month(period_1[1]))
        p2 = (as_month(period_2[0]), as_month(period_2[1]))
        for p in (p1, p2):
            if p[0] > p[1]:
                raise ValueError(
                    f"period {month_label(p[0])}..{month_label(p[1])} ends before it starts"
                )
    else:
        end = query.last
        if end is None:
            end = build_scope(engine, replace(query, months=1)).last
        p1, p2 = default_periods(end, query.period_months(12))
    scope = build_scope(engine, query.with_period(min(p1[0], p2[0]), max(p1[1], p2[1])))
    return change_from_cube(scope, fetch_cube(scope, scope.categories), p1, p2, computed_at)
