"""Which two periods "change since the baseline" compares: a pure rule on the months held.

The baseline period starts at the baseline month and runs up to 12 months, stopping at the
first month with no data (missing months are gaps, never zeros). It is compared with the same
calendar months of the latest year that holds all of them, so the seasons match and both
periods are complete, which the change test needs.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from crimestats.months import add_months

MAX_MONTHS = 12


@dataclass(frozen=True)
class BaselinePeriods:
    period_1: tuple[date, date] | None
    period_2: tuple[date, date] | None
    rule: str
    reason: str = ""


def _name(month: date) -> str:
    return month.strftime("%B %Y")


def baseline_periods(
    baseline: date, held: Collection[date], last: date, max_months: int = MAX_MONTHS
) -> BaselinePeriods:
    """The baseline period and the latest matching period, or the reason there is none.

    Examples
    --------
    >>> held = {date(2024, m, 1) for m in range(1, 5)} | {date(2025, m, 1) for m in range(1, 13)}
    >>> p = baseline_periods(date(2024, 1, 1), held, date(2025, 12, 1))
    >>> [str(m) for m in (*p.period_1, *p.period_2)]
    ['2024-01-01', '2024-04-01', '2025-01-01', '2025-04-01']
    """
    if baseline not in held:
        return BaselinePeriods(
            None, None, "", f"the baseline month, {_name(baseline)}, has no data, so nothing "
            "can be compared with it: choose a month the data holds"
        )  # fmt: skip
    n = 0
    while n < max_months and add_months(baseline, n) in held:
        n += 1
    first = (baseline, add_months(baseline, n - 1))
    years = last.year - baseline.year
    for shift in range(years, 0, -1):
        start = add_months(baseline, 12 * shift)
        months = [add_months(start, i) for i in range(n)]
        if months[-1] <= last and all(m in held for m in months):
            plural = "month" if n == 1 else f"{n} months"
            rule = (
                f"The baseline period is the {plural} from {_name(baseline)} held without a gap"
                f"{'' if n == max_months else ' (the data stops after it)'}; it is compared "
                "with the same months of the latest year that holds all of them, so the seasons "
                "match."
            )
            return BaselinePeriods(first, (months[0], months[-1]), rule)
    return BaselinePeriods(
        first, None, "",
        f"no later year holds all of {_name(first[0])} to {_name(first[1])}'s calendar months "
        "yet, so there is nothing to compare the baseline with",
    )  # fmt: skip
