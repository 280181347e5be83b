"""Plain English for the assessment: months, counts, rates, comparisons and tested changes.

No statistics here: every number comes from a ``crimestats`` result and is only worded. The
house rules: names before codes, never a bare percentage change (the estimate in crimes and its
interval come first), no percentage below 10 events, and "not tested" says why.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from crimestats.areas import force_label
from crimestats.measures.change import ChangeResult
from crimestats.measures.rates import ComparisonResult, RateMeasure
from crimestats.months import index_of
from crimestats.provenance import Provenance
from crimestats.wording import plural

SMALL = 10  # below this many events no percentage is shown (methods reference §2.5, §10.5)


def month_name(month: date) -> str:
    """'January 2025'."""
    return month.strftime("%B %Y")


def month_span(first: date, last: date) -> str:
    """'January to December 2025', 'November 2024 to October 2025' or 'March 2025'."""
    if first == last:
        return month_name(first)
    if first.year == last.year:
        return f"{first.strftime('%B')} to {month_name(last)}"
    return f"{month_name(first)} to {month_name(last)}"


def month_runs(months: Iterable[date]) -> list[str]:
    """Consecutive months collapsed to spans, oldest first ('May to December 2024')."""
    spans: list[tuple[date, date]] = []
    for month in sorted(set(months)):
        if spans and index_of(month) - index_of(spans[-1][1]) == 1:
            spans[-1] = (spans[-1][0], month)
        else:
            spans.append((month, month))
    return [month_span(a, b) for a, b in spans]


def finite(value: Any) -> float | None:
    """A finite float, or None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def percent(share: float) -> str:
    """'45%', or 'under 1%' (never a misleading '0%')."""
    return f"{share * 100:.0f}%" if share >= 0.005 else "under 1%"


def share_text(part: int | None, whole: int | None) -> str:
    """'18% of all crime' style share, or '' below 10 events or without a total."""
    if part is None or not whole or part < SMALL:
        return ""
    share = part / whole
    return f"{share * 100:.0f}%" if share >= 0.01 else "under 1%"


def events(count: int | None, category: str) -> str:
    """'1,234 crimes' / '1 incident' (ASB)."""
    noun = "incident" if category == "anti-social-behaviour" else "crime"
    return "no data" if count is None else plural(count, noun)


def population_text(provenance: Provenance) -> str:
    year = provenance.population_year_used
    if year is None:
        return provenance.population_note or "no population estimate"
    return f"{year} population"


def rate_text(measure: RateMeasure) -> str:
    """'64.0 per 1,000 residents (95% interval 62.5 to 65.6)'."""
    result = measure.rate
    rate, lower, upper = finite(result.rate), finite(result.lower), finite(result.upper)
    if rate is None:
        return f"no rate ({result.reason or 'no population estimate'})"
    text = f"{rate:.1f} per 1,000 residents"
    if lower is not None and upper is not None:
        text += f" (95% interval {lower:.1f} to {upper:.1f})"
    if result.small_number:
        text += "; fewer than 10 events, so read it with care"
    return text


def comparison_text(comparison: ComparisonResult) -> tuple[str, str]:
    """The rate against the comparator in words, and its direction.

    Direction is read from the interval, not computed: wholly below 1 is ``lower``, wholly above
    is ``higher``, otherwise ``similar``; ``none`` without a ratio.
    """
    ratio = comparison.ratio
    label = comparison.comparator_label or "the comparison area"
    if label[:1].islower() and not label.startswith("the "):
        label = "the " + label  # "the rest of Leicestershire force area"
    their = finite(comparison.comparator_rate.rate)
    their_text = f" The rate there is {their:.1f} per 1,000 residents." if their is not None else ""
    if ratio is None or finite(ratio.rate_ratio) is None:
        reason = ratio.reason if ratio is not None else "no population estimate"
        return f"No comparison with {label}: {reason}.", "none"
    rr, lo, hi = finite(ratio.rate_ratio), finite(ratio.lower), finite(ratio.upper)
    assert rr is not None
    if lo is None or hi is None:
        return f"{rr:.2f} times the rate of {label}; no interval.{their_text}", "none"
    if hi < 1:
        direction, verdict = "lower", "a real difference"
    elif lo > 1:
        direction, verdict = "higher", "a real difference"
    else:
        direction, verdict = "similar", "not distinguishable from the same rate"
    if comparison.area_rate.count < SMALL or direction == "similar":
        text = f"{rr:.2f} times the rate of {label} (95% interval {lo:.2f} to {hi:.2f}: {verdict})."
    else:
        # A percentage only beside its interval, both read off the ratio.
        pct, pct_a, pct_b = (abs(v - 1) * 100 for v in (rr, lo, hi))
        near, far = sorted((pct_a, pct_b))
        text = (
            f"The rate is {pct:.0f}% {direction} than in {label} (95% interval {near:.0f}% to "
            f"{far:.0f}% {direction}: {verdict})."
        )
    return text + their_text, direction


def change_text(change: ChangeResult) -> str:
    """The tested change between the two periods, or why it was not tested."""
    test = change.test
    spans = f"{month_span(*change.period_2)} against {month_span(*change.period_1)}"
    if not change.tested or test.verdict is None:
        missing = [*change.months_missing_1, *change.months_missing_2]
        if missing:
            return (
                f"Not tested for {spans}: months missing from the data "
                f"({', '.join(month_runs(missing))})."
            )
        reason = change.reason or test.reason or "not tested"
        return f"Not tested for {spans}: {reason}."
    counts = f"{plural(change.x2, 'crime')} against {plural(change.x1, 'crime')}"
    return f"{spans} ({counts}): {test.verdict.text}"


def forces_text(forces: Iterable[str]) -> str:
    return ", ".join(force_label(f) for f in forces) or "none"


_SECTION_REF = re.compile(r"\s*\((?:[^()]*\([^()]*\))*[^()]*§[^()]*\)")
_ROWS = re.compile(r"\brows\b")
_ROW = re.compile(r"\brow\b")


def reader_text(text: str) -> str:
    """Text from the engine made fit for a board: no "(methods reference §…)" citations (those
    stay in the method details) and records, not "rows".

    Examples
    --------
    >>> reader_text("counts of street rows (methods reference §1.2, §1.5); gaps")
    'counts of street records; gaps'
    """
    text = _SECTION_REF.sub("", text)
    text = _ROWS.sub("records", _ROW.sub("record", text))
    return text.replace("§", "section ")
