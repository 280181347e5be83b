"""The local threshold check and the due-date clock: pure functions, no database.

The statutory guidance lets a partnership count complaints made to any relevant body about the
same problem in the window before the application. We count the reports the applicant made on
this site (found by e-mail address or reference number) and the ones they tell us about. A
report given twice (the same reference typed as a site report and again as a declared one, or
declared twice) is counted once.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays
from dateutil.relativedelta import relativedelta

WORKING = "working"
PLATFORM = "This website"


@dataclass(frozen=True)
class CountedReport:
    source: str  # "This website" or the agency's name
    reported_on: date
    reference: str = ""


@dataclass(frozen=True)
class ThresholdResult:
    window_start: date
    counted: tuple[CountedReport, ...]
    outside_window: tuple[CountedReport, ...]
    duplicates: tuple[CountedReport, ...]
    needed: int
    met: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "met", len(self.counted) >= self.needed)

    @property
    def count(self) -> int:
        return len(self.counted)


def window_start(on: date, months: int) -> date:
    """The first day counted: the same day ``months`` months before ``on`` (inclusive)."""
    return on - relativedelta(months=months)


def normalise_reference(reference: str) -> str:
    return "".join(reference.split()).upper()


def threshold_check(
    *, reports: Iterable[CountedReport], on: date, months: int, needed: int
) -> ThresholdResult:
    """Which reports count towards the threshold on ``on``, and is it met.

    A report counts when it was made from the window's first day up to ``on`` (both included)
    and its reference (when it has one) was not already counted.
    """
    start = window_start(on, months)
    counted: list[CountedReport] = []
    outside: list[CountedReport] = []
    duplicates: list[CountedReport] = []
    seen: set[str] = set()
    # On the same day, a report on this site is counted before the same one declared again.
    for report in sorted(reports, key=lambda r: (r.reported_on, r.source != PLATFORM, r.source)):
        if not start <= report.reported_on <= on:
            outside.append(report)
            continue
        key = normalise_reference(report.reference)
        if key and key in seen:
            duplicates.append(report)
            continue
        if key:
            seen.add(key)
        counted.append(report)
    return ThresholdResult(start, tuple(counted), tuple(outside), tuple(duplicates), needed)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


@functools.cache
def _bank_holidays(year: int) -> frozenset[date]:
    # England's bank holidays are Wales's too; Community Safety Partnerships exist in both.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def add_days(start: date, days: int, kind: str) -> date:
    """The due date ``days`` days after ``start``.

    Working days are Monday to Friday except bank holidays in England and Wales (the same days
    in both; from the ``holidays`` package, so no list to keep up to date here).
    """
    if kind != WORKING:
        return start + timedelta(days=days)
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def days_left(due: date, today: date, kind: str) -> int:
    """Days from ``today`` to ``due`` in the same kind of day; negative when overdue."""
    if kind != WORKING:
        return (due - today).days
    sign = 1 if due >= today else -1
    low, high = sorted((today, due))
    count = 0
    current = low
    while current < high:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return sign * count


def financial_year(day: date) -> int:
    """The financial year (April to March) a day falls in, named by its first year: 2025 is
    1 April 2025 to 31 March 2026."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year: int) -> str:
    return f"April {year} to March {year + 1}"
