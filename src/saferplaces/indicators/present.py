"""How indicators are shown: colour words and tags, value text, the chart and the table rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from saferplaces.indicators import rag
from saferplaces.indicators.models import Indicator, IndicatorValue
from saferplaces_reports.charts import Chart, monthly_series

COLOUR_WORDS = {
    "green": "Green",
    "amber": "Amber",
    "red": "Red",
    "grey": "Not judged",
    "no_data": "No data",
}
# GOV.UK tag modifiers; the word is always shown, never the colour alone.
COLOUR_TAGS = {
    "green": "govuk-tag--green",
    "amber": "govuk-tag--yellow",
    "red": "govuk-tag--red",
    "grey": "govuk-tag--grey",
    "no_data": "govuk-tag--grey",
}


def measure_name(indicator: Indicator) -> str:
    return (indicator.measure or {}).get("measure", "count") if indicator.is_bound else "manual"


def value_text(indicator: Indicator, row: IndicatorValue | None) -> str:
    if row is None or row.no_data or row.value is None:
        return "no data"
    kind = "rate" if measure_name(indicator) == "rate" else "count"
    unit = f" {indicator.unit}" if indicator.unit else ""
    return f"{rag.fmt(row.value, kind)}{unit}"


def interval_text(indicator: Indicator, row: IndicatorValue | None) -> str:
    if row is None or row.no_data or row.low is None or row.high is None:
        return "–"
    if measure_name(indicator) == "rate":
        return f"{rag.fmt(row.low, 'rate')} to {rag.fmt(row.high, 'rate')}"
    if indicator.is_bound:  # an exact interval for a count: whole crimes read better
        return f"{row.low:,.0f} to {row.high:,.0f}"
    return f"{rag.fmt(row.low)} to {rag.fmt(row.high)}"


def period_text(indicator: Indicator, row: IndicatorValue | None) -> str:
    if row is None:
        return "–"
    if indicator.is_bound:
        return f"12 months to {row.month:%B %Y}"
    return f"{row.month:%B %Y}"


def latest_value(values: Sequence[IndicatorValue]) -> IndicatorValue | None:
    return values[-1] if values else None


def target_text(indicator: Indicator) -> str:
    if indicator.target_value is None or indicator.target_date is None:
        return "No target"
    kind = "rate" if measure_name(indicator) == "rate" else "count"
    return f"{rag.fmt(indicator.target_value, kind)} by {indicator.target_date:%B %Y}"


def baseline_text(indicator: Indicator) -> str:
    if indicator.baseline_value is None:
        return "No baseline"
    kind = "rate" if measure_name(indicator) == "rate" else "count"
    period = f" ({indicator.baseline_period})" if indicator.baseline_period else ""
    return f"{rag.fmt(indicator.baseline_value, kind)}{period}"


def chart(indicator: Indicator, values: Sequence[IndicatorValue], *, width: float = 7.5) -> Chart:
    """The series with its 95 % interval shaded; months with no data are gaps, never zeros."""
    months = [v.month for v in values]
    ys = [None if v.no_data else v.value for v in values]
    lower = [None if v.no_data else v.low for v in values]
    upper = [None if v.no_data else v.high for v in values]
    has_interval = any(x is not None for x in lower)
    label = indicator.unit or ("Rate per 1,000" if measure_name(indicator) == "rate" else "Value")
    if indicator.is_bound:
        label = f"{label} (12 months to each month)"
    result = monthly_series(
        months,
        ys,
        title=indicator.name,
        y_label=label,
        lower=lower if has_interval else None,
        upper=upper if has_interval else None,
        width=width,
        height=2.8,
    )
    if has_interval:
        # The chart module names its shaded band for control limits; here it is the interval.
        svg = result.svg.replace("Expected range (control limits)", "95% interval")
        alt = result.alt.replace("control limits", "95% interval")
        result = Chart(svg, alt)
    return result


def _gap_note(row: IndicatorValue) -> str:
    if not row.no_data:
        return ""
    held = row.months_held or 0
    return f"only {held} of its 12 months held" if 0 < held < 12 else "not held"


def table_rows(indicator: Indicator, values: Sequence[IndicatorValue]) -> list[dict[str, str]]:
    return [
        {
            "period": period_text(indicator, v),
            "value": value_text(indicator, v),
            "gap": _gap_note(v) if indicator.is_bound else "",
            "interval": interval_text(indicator, v),
            "n": "–" if v.n is None or v.no_data else f"{v.n:,}",
            "source": v.source,
        }
        for v in reversed(values)
    ]


def source_summary(indicator: Indicator, values: Sequence[IndicatorValue]) -> str:
    """One line for a bound indicator's table: what every value was computed from."""
    held = [v for v in values if not v.no_data]
    if not indicator.is_bound or not held:
        return ""
    latest = held[-1]
    return latest.source.split(" (")[0]


def rag_summary(indicator: Indicator) -> dict[str, Any]:
    shown = indicator.shown_colour
    return {
        "shown": shown,
        "shown_word": COLOUR_WORDS.get(shown, shown),
        "shown_tag": COLOUR_TAGS.get(shown, ""),
        "computed": indicator.rag_colour,
        "computed_word": COLOUR_WORDS.get(indicator.rag_colour, indicator.rag_colour),
        "computed_tag": COLOUR_TAGS.get(indicator.rag_colour, ""),
        "overridden": bool(indicator.override_colour),
        "reason": indicator.override_reason,
        "text": indicator.rag_text,
    }
