"""Plain-English verdicts for tests of change (methods reference §4.6).

Never "no effect" or "no change": the estimate in crimes and its interval are always shown, and
a percentage only after them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from crimestats.methods._common import ResultMixin, level_text

__all__ = ["Verdict", "verdict"]


@dataclass(frozen=True, slots=True)
class Verdict(ResultMixin):
    """Plain-English verdict for a test of change (§4.6).

    Attributes
    ----------
    headline : str
        E.g. "A fall distinguishable from noise at the 95 % level".
    estimate_text : str
        The estimate in crimes with its interval, e.g.
        "118 fewer crimes (between 196 fewer and 40 fewer crimes)".
    text : str
        ``headline`` + ``estimate_text`` + any percentage, ready to print.
    direction : str
        ``"fall"``, ``"rise"`` or ``"none"`` (not distinguishable from noise).
    significant : bool
    strong : bool
        ``p < 0.01``.
    """

    headline: str
    estimate_text: str
    text: str
    direction: str
    significant: bool
    strong: bool


def _amount(value: float, unit: str | None = None) -> str:
    """'196 fewer' / '40 more' / '1 more crime' (whole numbers; one decimal below 10 so small
    effects show, unless the value is whole)."""
    magnitude = abs(value)
    whole = float(magnitude).is_integer()
    shown = f"{magnitude:,.0f}" if round(magnitude, 1) >= 10 or whole else f"{magnitude:.1f}"
    word = "" if shown in {"0", "0.0"} else (" fewer" if value < 0 else " more")
    if shown == "0.0":
        shown = "0"
    if not unit:
        return f"{shown}{word}"
    if unit.endswith("s") and shown == "1":
        unit = unit[:-1]  # "1 more crime", never "1 crimes"
    return f"{shown}{word} {unit}"


def verdict(
    p: float,
    estimate: float,
    lower: float | None = None,
    upper: float | None = None,
    *,
    unit: str = "crimes",
    relative_to_comparison: bool = False,
    percent: float | None = None,
    percent_label: str = "change",
    alpha: float = 0.05,
) -> Verdict:
    """Plain-English wording for a two-sided test of change (§4.6).

    Parameters
    ----------
    p : float
        Two-sided p-value.
    estimate : float
        Estimated change in ``unit`` (negative = fall).
    lower, upper : float, optional
        Interval for the estimate in the same unit; always shown when given.
    unit : str, default "crimes"
    relative_to_comparison : bool, default False
        Adds "relative to the comparison area" (WDD, relative effect).
    percent : float, optional
        A percentage shown *after* the estimate and interval, never alone.
    percent_label : str, default "change"
    alpha : float, default 0.05
        Significance level; the text states the matching confidence level.

    Returns
    -------
    Verdict

    Examples
    --------
    >>> v = verdict(0.0029, -118, -195.6, -40.4, relative_to_comparison=True)
    >>> print(v.headline.replace(" relative", "\\n... relative"))
    A fall distinguishable from noise at the 95 % level
    ... relative to the comparison area (strong evidence, 99 % level)
    >>> v.estimate_text
    '118 fewer crimes (between 196 fewer and 40 fewer crimes)'
    >>> verdict(0.4, 5, -12, 22).headline
    'No change distinguishable from noise at the 95 % level'
    """
    level = level_text(alpha)
    significant = bool(p < alpha)
    strong = bool(p < 0.01)
    if significant and estimate != 0:
        direction = "fall" if estimate < 0 else "rise"
        headline = f"A {direction} distinguishable from noise at the {level} level"
        if relative_to_comparison:
            headline += " relative to the comparison area"
        if strong:
            headline += " (strong evidence, 99 % level)"
    else:
        direction = "none"
        headline = f"No change distinguishable from noise at the {level} level"
    estimate_text = _amount(estimate, unit)
    if lower is not None and upper is not None:
        estimate_text += f" (between {_amount(lower)} and {_amount(upper, unit)})"
    text = f"{headline}: {estimate_text}"
    if percent is not None and math.isfinite(percent):
        text += f"; {percent_label} {percent:+.1f} %"
    return Verdict(headline, estimate_text, text + ".", direction, significant, strong)
