"""Which months a change is tested on: the chosen period against the same months a year earlier.

Pure date arithmetic, no statistics: ``crimestats.measures.change`` tests whatever two periods it
is given, and refuses a period with a missing month. police.uk has whole missing stretches (the
Leicestershire pack holds only January to April of 2024), so the default comparison is often
untestable although part of it is. Then the longest run of months that is complete in both years
is tested instead, and the page says which months those were.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from crimestats.months import add_months, comparable_periods, index_of, month_range

Period = tuple[date, date]


@dataclass(frozen=True, slots=True)
class ComparableSpan:
    """The later period tested (``period_2``), the earlier one (``period_1``) and why these."""

    period_1: Period
    period_2: Period
    is_whole_period: bool  # False: a shorter span, because the whole period has missing months

    @property
    def months(self) -> int:
        return index_of(self.period_2[1]) - index_of(self.period_2[0]) + 1


def year_shift(first: date, last: date) -> int:
    """Months between a period and the one it is compared with: whole years, so the calendar
    months match (seasonality cancels) and the two never overlap.

    >>> year_shift(date(2025, 1, 1), date(2025, 12, 1))
    12
    >>> year_shift(date(2025, 3, 1), date(2025, 3, 1))
    12
    >>> year_shift(date(2024, 1, 1), date(2025, 6, 1))
    24
    """
    length = index_of(last) - index_of(first) + 1
    return 12 * -(-length // 12)


def same_months_earlier(first: date, last: date) -> Period:
    """The same calendar months, ``year_shift`` months earlier."""
    shift = year_shift(first, last)
    return add_months(first, -shift), add_months(last, -shift)


def longest_comparable_span(
    first: date, last: date, held: Collection[date]
) -> ComparableSpan | None:
    """The whole period against the same months earlier when every month of both is held;
    otherwise the longest run of consecutive months held in both (the latest run on a tie);
    ``None`` when no month is held in both.

    >>> held = set(month_range(date(2024, 1, 1), date(2024, 4, 1))) | set(
    ...     month_range(date(2025, 1, 1), date(2025, 12, 1)))
    >>> span = longest_comparable_span(date(2025, 1, 1), date(2025, 12, 1), held)
    >>> [str(m) for m in (*span.period_1, *span.period_2)], span.is_whole_period
    (['2024-01-01', '2024-04-01', '2025-01-01', '2025-04-01'], False)
    """
    period_2: Period = (first, last)
    period_1 = same_months_earlier(first, last)
    both = (*month_range(*period_1), *month_range(*period_2))
    spans = comparable_periods(period_1, period_2, [m for m in both if m not in held])
    if spans is None:
        return None
    return ComparableSpan(*spans, spans == (period_1, period_2))
