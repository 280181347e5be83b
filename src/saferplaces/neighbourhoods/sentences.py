"""The profile's sentences ("Burglary: 2.1 times the partnership rate …"), from tested ratios.

Pure functions of numbers already computed by ``crimestats`` (the exact rate ratio, its 95%
interval and the exact conditional test's p): nothing here decides a statistic, it only words
one, and never calls a difference real unless the test does.
"""

from __future__ import annotations

import math

ALPHA = 0.05
SMALL_NUMBER = 10  # methods reference §2.5: below 10 crimes, flag and do not rank


def _times(value: float) -> str:
    """'2.1', '0.45', '12' — two significant figures, enough for a ratio with an interval."""
    if math.isinf(value):
        return "no upper limit"
    if value >= 10:
        return f"{value:,.0f}"
    places = 1 if value >= 1 else 2
    # An interval end such as 1.003 must not print as "1.0" beside "a real difference".
    while places < 3 and value != 1 and float(f"{value:.{places}f}") == 1:
        places += 1
    return f"{value:.{places}f}"


def is_real_difference(
    lower: float | None, upper: float | None, p_value: float | None, alpha: float = ALPHA
) -> bool:
    """The test and the interval agree that the rates differ (interval excludes 1, p < alpha)."""
    if lower is None or upper is None or p_value is None:
        return False
    return p_value < alpha and (lower > 1 or upper < 1)


def ratio_sentence(
    category: str,
    comparator: str,
    *,
    ratio: float | None,
    lower: float | None,
    upper: float | None,
    p_value: float | None,
    count: int,
    reason: str | None = None,
) -> str:
    """One sentence comparing a category's rate with a comparator's.

    Examples
    --------
    >>> ratio_sentence("Burglary", "partnership", ratio=2.08, lower=1.6, upper=2.74,
    ...                p_value=0.0001, count=40)
    'Burglary: 2.1 times the partnership rate (95% interval 1.6 to 2.7 times): a real difference.'
    >>> ratio_sentence("Robbery", "partnership", ratio=1.4, lower=0.6, upper=2.9,
    ...                p_value=0.4, count=12)[:55]
    'Robbery: not distinguishable from the partnership rate '
    """
    if ratio is None or lower is None or upper is None:
        why = f" ({reason})" if reason else ""
        return f"{category}: no comparison with the {comparator} rate{why}."
    interval = f"95% interval {_times(lower)} to {_times(upper)} times"
    caution = (
        f" Fewer than {SMALL_NUMBER} crimes: treat with caution." if count < SMALL_NUMBER else ""
    )
    if is_real_difference(lower, upper, p_value):
        return (
            f"{category}: {_times(ratio)} times the {comparator} rate ({interval}): "
            f"a real difference.{caution}"
        )
    return (
        f"{category}: not distinguishable from the {comparator} rate "
        f"({_times(ratio)} times, {interval}).{caution}"
    )


def direction(lower: float | None, upper: float | None, p_value: float | None) -> str:
    """'higher', 'lower', 'similar' or 'none' (no comparison), read from the tested interval."""
    if lower is None or upper is None:
        return "none"
    if not is_real_difference(lower, upper, p_value):
        return "similar"
    return "higher" if lower > 1 else "lower"


def ratio_cell(
    ratio: float | None, lower: float | None, upper: float | None, p_value: float | None
) -> str:
    """Short table text: '1.5 times (1.2 to 1.9): higher' or '… : no clear difference'.

    Examples
    --------
    >>> ratio_cell(1.3, 1.003, 1.6, 0.04)
    '1.3 times (1.003 to 1.6): higher'
    """
    if ratio is None or lower is None or upper is None:
        return "No comparison"
    words = {"higher": "higher", "lower": "lower"}.get(
        direction(lower, upper, p_value), "no clear difference"
    )
    return f"{_times(ratio)} times ({_times(lower)} to {_times(upper)}): {words}"
