"""Calendar months, the engine's time unit: one module for parsing, labels, arithmetic and indices.

A month is a ``datetime.date`` on the first of the month; its label is ``'YYYY-MM'`` (as in
police.uk file names and the store's partition folders). A month *index* is
``year·12 + (month − 1)``, so consecutive months differ by 1 and the same calendar month one year
earlier is ``index − 12``; the statistical methods work on indices.

This module sits at the bottom of the package (standard library and NumPy only), so the store,
the importer, the methods and the measures all read months the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

import numpy as np
import numpy.typing as npt

__all__ = [
    "MonthLike",
    "add_months",
    "as_month",
    "comparable_periods",
    "from_index",
    "index_label",
    "index_of",
    "month_index",
    "month_label",
    "month_range",
    "month_ranges",
    "parse_month",
]

#: What :func:`as_month` accepts.
MonthLike = date | datetime | str | np.datetime64

# ASCII digits only: Python's \d also matches other scripts' digits, which int() reads.
_LABEL = re.compile(r"([0-9]{4})-([0-9]{2})")
_FIRST_YEAR, _LAST_YEAR = 1900, 2999


def parse_month(label: str) -> date:
    """The first day of the month a ``'YYYY-MM'`` label names (strict: nothing around it).

    Parameters
    ----------
    label : str
        Exactly ``YYYY-MM``, month 01 to 12, year 1900 to 2999.

    Returns
    -------
    datetime.date

    Raises
    ------
    ValueError
        If ``label`` is not such a label.

    Examples
    --------
    >>> parse_month("2025-01")
    datetime.date(2025, 1, 1)
    >>> parse_month("2025-13")
    Traceback (most recent call last):
    ...
    ValueError: not a month label (month or year out of range): '2025-13'
    """
    match = _LABEL.fullmatch(label) if isinstance(label, str) else None
    if match is None:
        raise ValueError(f"not a month label (expected YYYY-MM): {label!r}")
    year, month = int(match.group(1)), int(match.group(2))
    if not (_FIRST_YEAR <= year <= _LAST_YEAR and 1 <= month <= 12):
        raise ValueError(f"not a month label (month or year out of range): {label!r}")
    return date(year, month, 1)


def as_month(value: MonthLike) -> date:
    """A date, datetime, ``datetime64`` or ``'YYYY-MM'`` (spaces around allowed) as its month.

    Examples
    --------
    >>> as_month(date(2025, 3, 17)), as_month(" 2025-03 ")
    (datetime.date(2025, 3, 1), datetime.date(2025, 3, 1))
    >>> as_month(np.datetime64("2025-03-17"))
    datetime.date(2025, 3, 1)
    """
    if isinstance(value, datetime):
        return date(value.year, value.month, 1)
    if isinstance(value, date):
        return value.replace(day=1)
    if isinstance(value, np.datetime64):
        return from_index(int(value.astype("datetime64[M]").astype(np.int64)) + 1970 * 12)
    if isinstance(value, str):
        return parse_month(value.strip())
    raise ValueError(f"not a month label (expected YYYY-MM or a date): {value!r}")


def month_label(month: date | None) -> str:
    """``'YYYY-MM'`` for a month (``''`` for ``None``).

    Examples
    --------
    >>> month_label(date(2025, 1, 31)), month_label(None)
    ('2025-01', '')
    """
    return "" if month is None else f"{month.year:04d}-{month.month:02d}"


def index_of(month: MonthLike) -> int:
    """The month index ``year·12 + month − 1`` of one month.

    Examples
    --------
    >>> index_of("2024-01") == 2024 * 12
    True
    """
    value = as_month(month)
    return value.year * 12 + value.month - 1


def from_index(index: int) -> date:
    """The month of an index (inverse of :func:`index_of`).

    Examples
    --------
    >>> from_index(2024 * 12 + 11)
    datetime.date(2024, 12, 1)
    """
    year, month = divmod(int(index), 12)
    return date(year, month + 1, 1)


def index_label(index: int) -> str:
    """``'YYYY-MM'`` label of a month index.

    Examples
    --------
    >>> index_label(2024 * 12)
    '2024-01'
    """
    year, month = divmod(int(index), 12)
    return f"{year:04d}-{month + 1:02d}"


def month_index(months: Iterable[MonthLike]) -> npt.NDArray[np.int64]:
    """Month indices of many months (labels, dates or ``datetime64`` values).

    Examples
    --------
    >>> month_index(["2023-12", "2024-01"]).tolist()
    [24287, 24288]
    """
    return np.fromiter((index_of(m) for m in months), dtype=np.int64)


def add_months(month: date, k: int) -> date:
    """First of the month ``k`` months after ``month`` (negative ``k`` goes back).

    Examples
    --------
    >>> add_months(date(2024, 11, 1), 3), add_months(date(2025, 1, 15), -1)
    (datetime.date(2025, 2, 1), datetime.date(2024, 12, 1))
    """
    return from_index(month.year * 12 + month.month - 1 + k)


def month_range(first: date, last: date) -> tuple[date, ...]:
    """Every month from ``first`` to ``last`` inclusive (empty when ``last`` is earlier).

    Examples
    --------
    >>> [month_label(m) for m in month_range(date(2024, 11, 1), date(2025, 2, 1))]
    ['2024-11', '2024-12', '2025-01', '2025-02']
    >>> month_range(date(2025, 2, 1), date(2025, 1, 1))
    ()
    """
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return tuple(add_months(first, k) for k in range(max(count, 0)))


def month_ranges(months: Iterable[date]) -> str:
    """Months as compact ranges: ``2023-01…2023-12, 2024-05…2024-12`` (``none`` if empty).

    Examples
    --------
    >>> month_ranges([date(2024, 9, 1), date(2024, 5, 1), date(2024, 6, 1)])
    '2024-05…2024-06, 2024-09'
    >>> month_ranges([])
    'none'
    """
    ordered = sorted(set(months))
    if not ordered:
        return "none"
    runs: list[list[date]] = [[ordered[0]]]
    for month in ordered[1:]:
        if index_of(month) - index_of(runs[-1][-1]) == 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(
        month_label(run[0]) if len(run) == 1 else f"{month_label(run[0])}…{month_label(run[-1])}"
        for run in runs
    )


def comparable_periods(
    period_1: tuple[date, date], period_2: tuple[date, date], missing: Iterable[date]
) -> tuple[tuple[date, date], tuple[date, date]] | None:
    """The longest run of months of ``period_2`` held in both years, and the same months before.

    When a month of either default period is missing, the change is not tested (methods
    reference §1.5); the longest comparable span still is: consecutive months of the later
    period that are held, whose months one period earlier are held too. The latest run wins a
    tie. ``None`` when there is no such month.

    Examples
    --------
    >>> p1, p2 = (date(2024, 1, 1), date(2024, 12, 1)), (date(2025, 1, 1), date(2025, 12, 1))
    >>> gaps = [date(2024, m, 1) for m in range(5, 13)]
    >>> comparable_periods(p1, p2, gaps)
    ((datetime.date(2024, 1, 1), datetime.date(2024, 4, 1)), (datetime.date(2025, 1, 1), datetime.date(2025, 4, 1)))
    """  # noqa: E501
    gaps = set(missing)
    later = month_range(*period_2)
    shift = len(month_range(period_1[0], period_2[0])) - 1
    best: tuple[int, int] | None = None
    start: int | None = None
    for i, month in enumerate((*later, None)):
        ok = month is not None and month not in gaps and add_months(month, -shift) not in gaps
        if ok and start is None:
            start = i
        if not ok and start is not None:
            if best is None or (i - start) >= (best[1] - best[0]):
                best = (start, i)
            start = None
    if best is None:
        return None
    first, last = later[best[0]], later[best[1] - 1]
    return (add_months(first, -shift), add_months(last, -shift)), (first, last)
