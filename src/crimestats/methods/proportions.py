"""Proportions from surveys: the Wilson interval and the change between two surveys.

A perception survey asks "how safe do you feel walking alone in your area after dark?"; the
share answering "a bit unsafe" or "very unsafe" is a proportion of the people who answered.
A baseline and a follow-up survey are two independent samples, so the change in that share is
a difference of two independent proportions.

- :func:`wilson_interval`: the Wilson score interval (Wilson 1927), which keeps inside 0–1 and
  covers close to 95 % even for small samples and shares near 0 or 1 (unlike the Wald
  interval). Equals ``statsmodels.stats.proportion.proportion_confint(method="wilson")``.
- :func:`newcombe_difference`: Newcombe's hybrid score interval for ``p2 − p1`` (Newcombe 1998,
  method 10), built from the two Wilson intervals. Equals
  ``statsmodels.stats.proportion.confint_proportions_2indep(method="newcomb", compare="diff")``.
- :func:`change_in_proportion`: both together, with a plain-English verdict, and no verdict
  when either survey has fewer than ``min_base`` answers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from crimestats.methods._common import Z_95, ResultMixin

__all__ = [
    "MIN_BASE",
    "ChangeInProportion",
    "change_in_proportion",
    "newcombe_difference",
    "wilson_interval",
]

#: No verdict on a change when either survey has fewer answers than this.
MIN_BASE = 30


def _check(count: int, n: int) -> None:
    if n <= 0:
        raise ValueError("the number answering must be at least 1")
    if count < 0 or count > n:
        raise ValueError("the count must be between 0 and the number answering")


def wilson_interval(count: int, n: int, *, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for the proportion ``count / n`` (95 % by default)."""
    _check(count, n)
    p = count / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = (z / (1 + z2 / n)) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_difference(
    count1: int, n1: int, count2: int, n2: int, *, z: float = Z_95
) -> tuple[float, float, float]:
    """``(difference, low, high)`` for ``p1 − p2`` by Newcombe's hybrid score method."""
    l1, u1 = wilson_interval(count1, n1, z=z)
    l2, u2 = wilson_interval(count2, n2, z=z)
    p1, p2 = count1 / n1, count2 / n2
    difference = p1 - p2
    low = difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return difference, low, high


def _pct(share: float) -> str:
    return f"{round(100 * share):d}%"


def _points(value: float) -> str:
    rounded = round(100 * value)
    return f"minus {abs(rounded)}" if rounded < 0 else f"{rounded}"


@dataclass(frozen=True)
class ChangeInProportion(ResultMixin):
    """A share in a baseline and a follow-up survey, the change and its 95 % interval.

    ``change`` is ``follow_up − baseline`` (negative = a fall), with ``low``/``high`` its
    interval; all three are ``None`` when there were too few answers to judge (``refused``).
    """

    what: str
    baseline_count: int
    baseline_n: int
    follow_up_count: int
    follow_up_n: int
    baseline_share: float
    follow_up_share: float
    baseline_interval: tuple[float, float]
    follow_up_interval: tuple[float, float]
    change: float | None
    low: float | None
    high: float | None
    significant: bool | None
    refused: bool
    sentence: str
    method: str = (
        "Difference of two independent proportions, 95% Newcombe hybrid score interval "
        "(Newcombe 1998) from Wilson score intervals"
    )


def change_in_proportion(
    *,
    what: str,
    baseline_count: int,
    baseline_n: int,
    follow_up_count: int,
    follow_up_n: int,
    min_base: int = MIN_BASE,
) -> ChangeInProportion:
    """The change in a share between two surveys with a verdict sentence.

    ``what`` names the share as the start of a sentence, e.g. "Feeling unsafe after dark".
    The sentence reads, for instance: "Feeling unsafe after dark fell from 41% to 27%, a fall of
    14 points (95% CI 6 to 22 points): a real fall, not noise."
    """
    _check(baseline_count, baseline_n)
    _check(follow_up_count, follow_up_n)
    p1, p2 = baseline_count / baseline_n, follow_up_count / follow_up_n
    i1, i2 = (
        wilson_interval(baseline_count, baseline_n),
        wilson_interval(follow_up_count, follow_up_n),
    )

    def result(
        change: float | None, low: float | None, high: float | None,
        significant: bool | None, sentence: str,
    ) -> ChangeInProportion:  # fmt: skip
        return ChangeInProportion(
            what=what,
            baseline_count=baseline_count,
            baseline_n=baseline_n,
            follow_up_count=follow_up_count,
            follow_up_n=follow_up_n,
            baseline_share=p1,
            follow_up_share=p2,
            baseline_interval=i1,
            follow_up_interval=i2,
            change=change,
            low=low,
            high=high,
            significant=significant,
            refused=change is None,
            sentence=sentence,
        )

    if baseline_n < min_base or follow_up_n < min_base:
        sentence = (
            f"{what}: too few answers to judge a change ({baseline_n} in the baseline survey "
            f"and {follow_up_n} in the follow-up; at least {min_base} are needed in each)."
        )
        return result(None, None, None, None, sentence)
    # Newcombe gives p1 - p2 (baseline minus follow-up: a fall is positive); turn it round.
    fall, fall_low, fall_high = newcombe_difference(
        baseline_count, baseline_n, follow_up_count, follow_up_n
    )
    change, low, high = -fall, -fall_high, -fall_low
    significant = low > 0 or high < 0
    if round(100 * change) == 0:
        movement = f"was {_pct(p1)} and is now {_pct(p2)}, no change in whole points"
        interval = f"(95% CI {_points(low)} to {_points(high)} points)"
    elif change < 0:
        movement = f"fell from {_pct(p1)} to {_pct(p2)}, a fall of {round(-100 * change)} points"
        interval = f"(95% CI {_points(-high)} to {_points(-low)} points)"
    else:
        movement = f"rose from {_pct(p1)} to {_pct(p2)}, a rise of {round(100 * change)} points"
        interval = f"(95% CI {_points(low)} to {_points(high)} points)"
    if significant:
        judgement = "a real fall, not noise" if change < 0 else "a real rise, not noise"
    else:
        judgement = "not distinguishable from no change"
    return result(change, low, high, significant, f"{what} {movement} {interval}: {judgement}.")
