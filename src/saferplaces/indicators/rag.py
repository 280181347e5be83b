"""The documented RAG rule for a plan's indicators (docs/methods.md, "RAG for plan indicators").

Pure functions over plain values, so the rule is tested without a database.

1. The period judged is the latest held: the 12 months ending the latest month. When the store
   does not hold that month the status is **no data** (never 0, never green); when fewer than
   12 of its months are held it is **not judged** (grey).
2. The **expected value** is where the indicator should be by now on a straight line from the
   baseline to the target (the trajectory); after the target date it is the target. Without a
   target the period is compared with the 12 months before it instead.
3. A *bound* indicator's count is judged by :func:`crimestats.methods.rag.rag_target` against
   the count the expected value means (for a rate: expected rate x population / 1,000), allowing
   for the indicator's own month-to-month variation (φ* estimated from its monthly series).
   Green: not worse than expected. Amber: worse, but within the usual variation. Red: worse
   *and* distinguishable from noise at the 95 % level. So a small-number wobble is never red.
   Without a target: :func:`crimestats.methods.rag.rag_baseline` (same colours).
4. A *manual* figure has no count to test: red only when the interval entered lies wholly on
   the worse side of the expected value; worse without an interval is amber (a manager may
   override with a reason).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from crimestats.methods.comparison import sparse_reason
from crimestats.methods.dispersion import MIN_MONTHS, SEASONAL_MIN_MEAN, estimate_dispersion
from crimestats.methods.rag import rag_baseline, rag_target

RULE = (
    "Green: not worse than expected on the way to the target. Amber: worse, but within the "
    "indicator's usual month-to-month variation, so it could be noise. Red: worse, and by more "
    "than that variation explains (a statistical test at the 95% level that allows for how much "
    "the figure usually varies). No data: the police.uk data for the period is not held; it is "
    "never shown as zero or green."
)
NAIVE_MARGIN = 0.05  # the rule many partnerships use: more than 5 % off target is red


@dataclass(frozen=True)
class Point:
    """One period of an indicator, as the rule needs it."""

    month: date
    value: float | None
    n: int | None = None
    months_held: int | None = None
    no_data: bool = False
    low: float | None = None
    high: float | None = None
    population: float | None = None
    month_n: int | None = None  # the single month's count (for the dispersion estimate)


@dataclass(frozen=True)
class Judgement:
    colour: str  # green, amber, red, grey, no_data
    text: str
    month: date | None
    p: float | None = None
    expected: float | None = None
    naive_colour: str | None = None  # what "more than 5 % off is red" would say


def month_name(month: date) -> str:
    return month.strftime("%B %Y")


def fmt(value: float | None, measure: str = "count") -> str:
    if value is None:
        return "no data"
    if measure == "rate":
        return f"{value:,.2f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _months_between(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + (b.month - a.month)


def expected_value(
    month: date,
    *,
    baseline_value: float | None,
    baseline_month: date | None,
    target_value: float | None,
    target_date: date | None,
) -> float | None:
    """The trajectory: a straight line from the baseline to the target, the target after it."""
    if target_value is None or baseline_value is None or target_date is None:
        return None
    if baseline_month is None or baseline_month >= target_date:
        return target_value
    span = _months_between(baseline_month, target_date)
    done = min(max(_months_between(baseline_month, month), 0), span)
    return baseline_value + (target_value - baseline_value) * done / span


def _worse(value: float, expected: float, lower_is_better: bool) -> bool:
    return value > expected if lower_is_better else value < expected


def naive_colour(value: float, expected: float, lower_is_better: bool) -> str:
    """The rule without a test: worse by more than 5 % is red (shown only to contrast)."""
    if not _worse(value, expected, lower_is_better):
        return "green"
    gap = abs(value - expected)
    return "red" if expected and gap > NAIVE_MARGIN * abs(expected) else "amber"


def _latest_long_run(points: Sequence[Point]) -> list[Point]:
    """The latest run of consecutive held months long enough to estimate φ (else the last run).

    police.uk data has whole years missing for some forces; the months since such a gap may be
    too few to estimate φ (at least 18 are needed), while the run before it is long. The
    indicator's own variation from that earlier run is a better reference than assuming
    Poisson, which understates it and so turns noise red.
    """
    runs: list[list[Point]] = [[]]
    for point in points:
        if point.month_n is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    runs = [run for run in runs if run]
    long_enough = [run for run in runs if len(run) >= MIN_MONTHS]
    if long_enough:
        return long_enough[-1]
    return runs[-1] if runs else []


def _dispersion(points: Sequence[Point]) -> tuple[Any, float | None, str | None]:
    """φ* of the monthly counts, their mean over the latest 12 and any sparseness reason."""
    run = _latest_long_run(points)
    if not run:
        return None, None, None
    months = [p.month.strftime("%Y-%m") for p in run]
    counts = [p.month_n for p in run]
    recent = [p.month_n for p in points if p.month_n is not None][-12:]
    mean = sum(recent) / len(recent) if recent else None
    run_mean = sum(c or 0 for c in counts) / len(counts)
    dispersion = estimate_dispersion(counts, months, seasonal=run_mean >= SEASONAL_MIN_MEAN)
    return dispersion, mean, sparse_reason(recent)


def p_words(p: float | None) -> str:
    if p is None:
        return ""
    return " (p < 0.001)" if p < 0.001 else f" (p = {p:.3f})"


def _variation_note(dispersion: Any) -> str:
    if dispersion is not None and getattr(dispersion, "estimated", False):
        first = date.fromisoformat(f"{dispersion.first_month}-01")
        last = date.fromisoformat(f"{dispersion.last_month}-01")
        return (
            f"; the usual variation is measured from the monthly counts {first:%B %Y} to "
            f"{last:%B %Y}"
        )
    return (
        "; too few months in a row to measure the usual variation, so the simplest model was used"
    )


def judge(
    points: Sequence[Point],
    *,
    bound: bool,
    measure: str = "count",
    lower_is_better: bool = True,
    baseline_value: float | None = None,
    baseline_month: date | None = None,
    target_value: float | None = None,
    target_date: date | None = None,
    unit: str = "",
) -> Judgement:
    """The RAG status of the latest period of ``points`` (in month order) by the rule above."""
    if not points:
        return Judgement("no_data", "No data yet: no value has been computed or entered.", None)
    latest = points[-1]
    period = f"the 12 months to {month_name(latest.month)}" if bound else month_name(latest.month)
    if (latest.no_data or latest.value is None) and 0 < (latest.months_held or 0) < 12:
        return Judgement(
            "no_data",
            f"No data for {period}: only {latest.months_held} of its 12 months are held, so "
            "a 12-month figure would understate the year (this is not a zero).",
            latest.month,
        )
    if latest.no_data or latest.value is None:
        return Judgement(
            "no_data",
            f"No data for {period}: the police.uk data for that period is not held, so there "
            "is nothing to judge (this is not a zero).",
            latest.month,
        )
    if bound and (latest.months_held or 0) < 12:
        return Judgement(
            "grey",
            f"Not judged: only {latest.months_held or 0} of the 12 months to "
            f"{month_name(latest.month)} are held, so the figure would understate the year.",
            latest.month,
        )
    unit_text = f" {unit}" if unit else ""
    expected = expected_value(
        latest.month,
        baseline_value=baseline_value,
        baseline_month=baseline_month,
        target_value=target_value,
        target_date=target_date,
    )
    shown = f"{fmt(latest.value, measure)}{unit_text} in {period}"
    if not bound:
        return _judge_manual(latest, expected, lower_is_better, shown, measure, unit_text)
    dispersion, mean, sparse = _dispersion(points)
    variation = _variation_note(dispersion)
    if expected is None:
        return _judge_against_last_year(points, latest, lower_is_better, shown, dispersion, mean)
    if measure == "rate":
        if not latest.population:
            return Judgement(
                "grey", f"Not judged: no population is loaded for {period}.", latest.month
            )
        tau = expected * latest.population / 1000.0
    else:
        tau = expected
    x = int(latest.n or 0)
    result = rag_target(
        x,
        tau,
        lower_is_better=lower_is_better,
        dispersion=dispersion,  # type: ignore[arg-type]
        monthly_mean=mean,
        sparse=sparse,
    )
    naive = naive_colour(float(latest.value), expected, lower_is_better)
    expected_shown = fmt(expected if measure == "rate" else round(expected), measure)
    against = f"against {expected_shown}{unit_text} expected on the way to the target"
    p_text = p_words(result.p)
    if result.colour == "green":
        text = f"Green: {shown}, not worse than {expected_shown}{unit_text} expected."
    elif result.colour == "red":
        text = (
            f"Red: {shown} {against}; worse, and more than the usual month-to-month variation "
            f"explains{p_text}{variation}."
        )
    elif result.colour == "amber":
        text = (
            f"Amber: {shown} {against}; worse, but within the usual month-to-month "
            f"variation{p_text}{variation}, so it could be noise."
        )
        if naive == "red":
            text += " A rule without this test (more than 5% off is red) would have shown red."
    else:
        text = f"Not judged: {shown}; {result.reason or 'too few crimes to judge'}."
    return Judgement(result.colour, text, latest.month, result.p, expected, naive)


def _judge_against_last_year(
    points: Sequence[Point],
    latest: Point,
    lower_is_better: bool,
    shown: str,
    dispersion: object | None,
    mean: float | None,
) -> Judgement:
    before = [p for p in points if _months_between(p.month, latest.month) == 12]
    if not before or before[0].no_data or (before[0].months_held or 0) < 12:
        return Judgement(
            "grey",
            f"Not judged: {shown}; there is no target and the 12 months before are not all "
            "held, so there is nothing to compare with.",
            latest.month,
        )
    x1, x2 = int(before[0].n or 0), int(latest.n or 0)
    result = rag_baseline(
        x1,
        x2,
        lower_is_better=lower_is_better,
        dispersion=dispersion,  # type: ignore[arg-type]
        monthly_mean=mean,
    )
    p_text = p_words(result.p)
    words = {
        "green": "not worse than the 12 months before",
        "amber": "worse than the 12 months before, but within the usual variation",
        "red": "worse than the 12 months before, by more than the usual variation explains",
        "grey": result.reason or "too few crimes to judge",
    }
    name = {"grey": "Not judged"}.get(result.colour, result.colour.capitalize())
    text = f"{name}: {shown} against {x1:,} in the 12 months before; {words[result.colour]}"
    return Judgement(result.colour, text + p_text + ".", latest.month, result.p, None)


def _judge_manual(
    latest: Point,
    expected: float | None,
    lower_is_better: bool,
    shown: str,
    measure: str,
    unit_text: str,
) -> Judgement:
    value = float(latest.value or 0)
    if expected is None:
        return Judgement("grey", f"Not judged: {shown}; the indicator has no target.", latest.month)
    against = f"against {fmt(expected, measure)}{unit_text} expected on the way to the target"
    if not _worse(value, expected, lower_is_better):
        return Judgement(
            "green", f"Green: {shown}, not worse than expected.", latest.month, expected=expected
        )
    bound_far = latest.low if lower_is_better else latest.high
    if bound_far is not None and _worse(bound_far, expected, lower_is_better):
        text = f"Red: {shown} {against}; even the interval entered lies wholly on the worse side."
        return Judgement("red", text, latest.month, expected=expected)
    why = (
        "the interval entered includes the expected value"
        if bound_far is not None
        else "no interval was entered, so whether this is more than noise cannot be tested"
    )
    return Judgement("amber", f"Amber: {shown} {against}; {why}.", latest.month, expected=expected)
