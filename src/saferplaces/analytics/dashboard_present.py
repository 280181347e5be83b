"""The dashboard's words, tables and charts, made from ``crimestats`` results.

No statistics here: counts, rates, ratios, intervals, tests and verdicts all come from the
results; this module words them for a board (plain English, names before codes, the
comparator's own rate beside the ratio, never a bare percentage change, no percentage below 10
crimes) and lays them out as :class:`saferplaces_reports.tables.Table` objects, so the page and
every download show the same numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from crimestats.methods.outcomes import GROUP_NAMES
from crimestats.months import as_month, index_of, month_label
from crimestats.wording import plural
from saferplaces.analytics.forms import Filters
from saferplaces.analytics.spans import ComparableSpan
from saferplaces.analytics.summary import _variation_text
from saferplaces.analytics.wording import plain
from saferplaces_reports import charts
from saferplaces_reports.tables import Table

SMALL = 10  # below this many crimes no percentage is given (methods reference §10.5)
HEAT_LEVELS = 5

OUTCOME_LABELS = {
    "charged_or_court": "Charged or sent to court",
    "out_of_court": "Dealt with out of court",
    "evidential_difficulties": "Unable to prosecute",
    "not_in_public_interest": "Not in the public interest",
    "other_agency": "For another organisation",
    "no_suspect": "No suspect identified",
    "under_investigation": "Under investigation",
    "unknown": "Outcome not recognised",
}
CONTROL_WORDS = {
    "alert_high": "Alert: higher than the usual range",
    "alert_low": "Alert: lower than the usual range",
    "watch_high": "Watch: high",
    "watch_low": "Watch: low",
    "within": "Within the usual range",
    "too_few": "Too few to judge",
    "no_baseline": "No baseline",
    "missing": "No data",
}


# --- words ------------------------------------------------------------------------------------


def short_span(first: date, last: date) -> str:
    """'Jan–Apr 2025', 'Nov 2024–Oct 2025', 'Mar 2025'."""
    if first == last:
        return first.strftime("%b %Y")
    if first.year == last.year:
        return f"{first.strftime('%b')}–{last.strftime('%b %Y')}"
    return f"{first.strftime('%b %Y')}–{last.strftime('%b %Y')}"


def long_span(first: date, last: date) -> str:
    """'January to December 2025', 'March 2025', 'November 2024 to October 2025'."""
    if first == last:
        return first.strftime("%B %Y")
    if first.year == last.year:
        return f"{first.strftime('%B')} to {last.strftime('%B %Y')}"
    return f"{first.strftime('%B %Y')} to {last.strftime('%B %Y')}"


def period_phrase(first: date, last: date) -> str:
    """'in 2025', 'in March 2025', 'from November 2024 to October 2025'."""
    if first.month == 1 and last.month == 12 and first.year == last.year:
        return f"in {first.year}"
    if first == last:
        return f"in {first.strftime('%B %Y')}"
    return f"from {long_span(first, last)}"


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _percent(ratio: float) -> int:
    return round(abs(ratio - 1) * 100)


def comparator_name(label: str) -> str:
    """'the rest of Leicestershire force area' from the engine's longer label."""
    short = re.sub(r"\s*\(excluding [^)]*\)", "", label or "the comparison area")
    return "the " + short if short.startswith(("rest of", "whole")) else short


def ratio_words(
    ratio: float | None, lower: float | None, upper: float | None, count: int, comparator: str
) -> dict[str, str]:
    """A rate ratio as people say it: '24% lower than the rest of the force area' and '95%
    interval 22% to 26% lower: a real difference'. Reads the interval the engine gave; computes
    nothing new. Below 10 crimes no percentage is given."""
    short = ""  # the figure alone, for a card: "24% lower"
    if ratio is None or lower is None or upper is None:
        head, interval, verdict = f"No comparison with {comparator}", "", "none"
    elif count < SMALL:
        head = f"Too few crimes ({count}) for a percentage"
        interval, verdict = f"a rate ratio with {comparator} needs at least {SMALL} crimes", "few"
    else:
        if _percent(ratio) == 0:
            short, head = "About the same", f"About the same rate as {comparator}"
        else:
            short = f"{_percent(ratio)}% {'lower' if ratio < 1 else 'higher'}"
            head = f"{short} than {comparator}"
        if upper < 1:
            interval = (
                f"95% interval {_percent(upper)}% to {_percent(lower)}% lower: a real difference"
            )
            verdict = "lower"
        elif lower > 1:
            interval = (
                f"95% interval {_percent(lower)}% to {_percent(upper)}% higher: a real difference"
            )
            verdict = "higher"
        else:
            interval = (
                f"95% interval from {_percent(lower)}% lower to {_percent(upper)}% "
                "higher: no clear difference, it could be chance"
            )
            verdict = "similar"
    text = head[:1].lower() + head[1:] + (f" ({interval})" if interval else "")
    return {
        "head": head,
        "short": short or head,
        "interval": interval,
        "verdict": verdict,
        "text": text,
    }


def _num(value: float | None, places: int = 0) -> str:
    if value is None:
        return "not available"
    return f"{value:,.{places}f}"


# --- cards ------------------------------------------------------------------------------------


def _change_card(change: Any, span: ComparableSpan | None) -> dict[str, Any]:
    test, verdict = change.test, change.test.verdict
    p1 = short_span(*change.period_1)
    p2 = short_span(*change.period_2)
    if span is None:
        which = f"{p2} against {p1}"
        why = "no month of the period has data in both years, so no change can be tested"
    elif span.is_whole_period:
        which = f"{p2} against {p1}, the same months a year before"
        why = ""
    else:
        which = f"{p2} against {p1}, the longest span with no missing months"
        why = (
            "Months are missing from the police data in the full period, so the test uses "
            "these months only."
        )
    card: dict[str, Any] = {
        "label": "Change on a year before",
        "span": which,
        "counts": f"{plural(change.x2, 'crime')} in {p2}; {plural(change.x1, 'crime')} in {p1}.",
        "why": why,
        "tested": bool(change.tested and verdict is not None),
    }
    if card["tested"]:
        # The big figure is the verdict's when the change is noise: "182 fewer crimes" in large
        # type would read as a fall to a board member even beside "not a real change".
        card["value"] = (
            verdict.estimate_text.split(" (")[0] if verdict.significant else "No real change"
        )
        card["headline"] = verdict.headline
        # The verdict's own text adds a percentage after the estimate and its interval; below 10
        # crimes a period the engine withholds it, and so do we.
        card["text"] = (
            verdict.text
            if not test.small_number
            else (f"{verdict.headline}: {verdict.estimate_text}.")
        )
        card["real"] = bool(verdict.significant)
        card["direction"] = verdict.direction
        card["variation"] = _variation_text(test, change.dispersion_window)
    else:
        card["value"] = "Not tested"
        card["text"] = plain(change.reason or test.reason or why or "no test was possible")
        card["real"] = False
        card["direction"] = "none"
    return card


def _cards(
    results: dict[str, Any], filters: Filters, category: str, area: str
) -> list[dict[str, Any]]:
    counts, comparison = results["counts"], results["comparison"]
    total = counts.total
    rate = comparison.area_rate
    other = comparison.comparator_rate
    ratio = comparison.ratio
    words = ratio_words(
        _finite(ratio.rate_ratio) if ratio else None,
        _finite(ratio.lower) if ratio else None,
        _finite(ratio.upper) if ratio else None,
        int(total or 0),
        comparator_name(comparison.comparator_label),
    )
    months_missing = [
        m
        for m, n in zip(
            counts.by_month["month"].to_pylist(), counts.by_month["count"].to_pylist(), strict=True
        )
        if n is None
    ]
    crimes = {
        "label": f"{category}: crimes recorded"
        if category != "Anti-social behaviour"
        else "Anti-social behaviour: incidents",
        "value": _num(total) if total is not None else "No data",
        "texts": [f"{area}, {long_span(filters.first, filters.last)}."]
        + (
            [
                f"Months missing from the police data: "
                f"{', '.join(m.strftime('%B %Y') for m in months_missing)} (left out, not counted "
                "as zero)."
            ]
            if months_missing
            else []
        ),
    }
    per_1000 = {
        "label": "Per 1,000 residents",
        "value": _num(_finite(rate.rate), 1) if _finite(rate.rate) is not None else "Not available",
        "texts": (
            [
                f"95% interval {_num(_finite(rate.lower), 1)} to {_num(_finite(rate.upper), 1)}; "
                f"{_num(_finite(rate.population))} residents."
            ]
            if _finite(rate.rate) is not None
            else [plain(rate.reason or "no population figure")]
        ),
    }
    name = comparator_name(comparison.comparator_label)
    compared = {
        "label": f"Compared with {name}",
        "value": words["short"],
        "unit": f"than {name}" if words["short"] != words["head"] else "",
        "texts": [
            words["interval"][:1].upper() + words["interval"][1:] + "."
            if words["interval"]
            else "",
            f"{name[:1].upper()}{name[1:]}: {_num(_finite(other.rate), 1)} crimes per 1,000 "
            f"residents; {area}: {_num(_finite(rate.rate), 1)}.",
        ],
        "verdict": words["verdict"],
    }
    return [crimes, per_1000, compared]


def _lead(results: dict[str, Any], filters: Filters, category: str, area: str) -> str:
    """'All crime: 6,697 in 2025, 64.0 per 1,000 residents — 24% lower than the rest of …'."""
    counts, comparison = results["counts"], results["comparison"]
    if counts.total is None:
        return f"{category} in {area}: no data {period_phrase(filters.first, filters.last)}."
    rate = _finite(comparison.area_rate.rate)
    ratio = comparison.ratio
    words = ratio_words(
        _finite(ratio.rate_ratio) if ratio else None,
        _finite(ratio.lower) if ratio else None,
        _finite(ratio.upper) if ratio else None,
        counts.total,
        comparator_name(comparison.comparator_label),
    )
    text = f"{category} in {area}: {counts.total:,} {period_phrase(filters.first, filters.last)}"
    if rate is not None:
        text += f", {rate:,.1f} per 1,000 residents — {words['text']}"
        other = _finite(comparison.comparator_rate.rate)
        if other is not None:
            name = comparator_name(comparison.comparator_label)
            text += f". The rate in {name} is {other:,.1f} per 1,000"
    return text + "."


# --- tables -----------------------------------------------------------------------------------


def _months_table(results: dict[str, Any]) -> tuple[Table, list[dict[str, Any]]]:
    series = results["trend"].series.to_pylist()
    control = {row["month"]: row for row in results["control"].chart.to_pylist()}
    rows, chart_rows = [], []
    for row in series:
        month = as_month(row["month"])
        c = control.get(month_label(month)) or control.get(str(row["month"])) or {}
        status = c.get("status") or "missing"
        if row["count"] is None:
            status = "missing"
            c = {}  # no data: no "usual range" either, so the chart leaves a gap, not a band
        lower, upper = _finite(c.get("lower_998")), _finite(c.get("upper_998"))
        rows.append(
            (
                month,
                row["count"],
                row["rolling_12"],
                round(_finite(c.get("expected")), 1)
                if _finite(c.get("expected")) is not None
                else None,
                round(lower) if lower is not None else None,
                round(upper) if upper is not None else None,
                CONTROL_WORDS.get(status, status.replace("_", " ")),
            )
        )
        chart_rows.append(
            {
                "month": month,
                "count": row["count"],
                "rolling": row["rolling_12"],
                "lower": lower,
                "upper": upper,
                "flag": status.startswith("alert"),
            }
        )
    table = Table(
        "crimes-by-month",
        "Crimes each month",
        (
            "Month",
            "Crimes",
            "12 months to this month",
            "Expected",
            "Usual range from",
            "Usual range to",
            "Result",
        ),
        tuple(rows),
        notes=(
            "A blank is a month missing from the police data: a gap, never zero.",
            "Usual range: the same month of the three years before, widened for how much crime "
            "here varies; an alert is a month so far outside it that chance would put it there "
            "in fewer than 1 month in 500.",
        ),
    )
    return table, chart_rows


def _categories_table(results: dict[str, Any]) -> Table:
    rows = sorted(
        results["counts"].by_category.to_pylist(), key=lambda r: (-(r["count"] or 0), r["category"])
    )
    total = sum(r["count"] or 0 for r in rows)
    body = [
        (
            r["category"],
            r["count"] or 0,
            round(100 * (r["count"] or 0) / total, 1) if total >= SMALL else None,
        )
        for r in rows
    ]
    return Table(
        "crimes-by-category",
        "Crimes by category",
        ("Category", "Crimes", "Share (%)"),
        tuple(body),
        notes=("No share is given when there are fewer than 10 crimes.",),
    )


def _heat_table(results: dict[str, Any]) -> tuple[Table, dict[str, Any]]:
    breakdown = results["breakdown"]
    rows = breakdown.table.to_pylist()
    categories = list(dict.fromkeys(r["category"] for r in rows))
    places: dict[tuple[str, str], dict[str, int]] = {}
    for r in rows:
        places.setdefault((r["place_name"], r["place_code"]), {})[r["category"]] = r["count"]
    kind = "Ward" if breakdown.place == "ward" else "Neighbourhood (LSOA)"
    column_max = {
        c: max((cells.get(c, 0) for cells in places.values()), default=0) for c in categories
    }
    body, heat_rows = [], []
    for (name, code), cells in places.items():
        values = [cells.get(c, 0) for c in categories]
        body.append((name, code, *values, sum(values)))
        heat_rows.append(
            {
                "name": name,
                "code": code,
                "total": sum(values),
                "cells": [
                    {
                        "value": v,
                        "level": 0
                        if not v or not column_max[c]
                        else 1
                        + min(HEAT_LEVELS - 2, int((HEAT_LEVELS - 1) * v / (column_max[c] + 1))),
                    }
                    for v, c in zip(values, categories, strict=True)
                ],
            }
        )
    table = Table(
        "category-by-place",
        f"Crimes by category and {'ward' if breakdown.place == 'ward' else 'neighbourhood'}",
        (kind, "Code", *categories, "Total"),
        tuple(body),
        notes=(
            "Shading compares places within each category: the darker the cell, the nearer "
            "that place is to the highest count of the category.",
        ),
    )
    return table, {"kind": kind, "columns": categories, "rows": heat_rows}


def _outcomes_table(results: dict[str, Any]) -> Table | None:
    outcomes = results["outcomes"]
    if outcomes is None:
        return None
    overall = outcomes.overall
    total = overall.total
    body = []
    for group in GROUP_NAMES:
        n = overall.group_counts.get(group, 0)
        if group == "unknown" and not n:
            continue
        body.append(
            (
                OUTCOME_LABELS.get(group, group),
                n,
                round(100 * n / total, 1) if total >= SMALL else None,
            )
        )
    return Table(
        "outcomes",
        "Latest outcome of the crimes",
        ("Outcome", "Crimes", "Share (%)"),
        tuple(body),
        notes=(
            "The latest outcome police.uk held when the month was published; recent crimes "
            "are more often still under investigation.",
        ),
    )


def _headline_table(cards: list[dict[str, Any]], change: dict[str, Any], lead: str) -> Table:
    rows: list[tuple[Any, ...]] = [("Summary", lead)]
    for card in cards:
        rows.append((card["label"], " ".join([card["value"], *[t for t in card["texts"] if t]])))
    rows.append((change["label"], f"{change['span']}. {change['counts']} {change['text']}"))
    return Table("headline", "Headline figures", ("Figure", "In words"), tuple(rows))


# --- the whole view ---------------------------------------------------------------------------


def dashboard_view(
    results: dict[str, Any],
    *,
    filters: Filters,
    area_label: str,
    area_kind: str,
    category_label: str,
    held: Sequence[date],
) -> dict[str, Any]:
    """Everything the dashboard template and the downloads show, as plain values."""
    category = category_label.split(" (")[0]
    cards = _cards(results, filters, category, area_label)
    change = _change_card(results["change"], results["span"])
    lead = _lead(results, filters, category, area_label)
    months, chart_rows = _months_table(results)
    categories = _categories_table(results)
    heat_table, heat = _heat_table(results)
    outcomes = _outcomes_table(results)
    headline = _headline_table(cards, change, lead)
    title = f"{category} in {area_label}, {long_span(filters.first, filters.last)}"
    chart_list: dict[str, charts.Chart] = {
        "crimes-by-month": charts.monthly_series(
            [r["month"] for r in chart_rows],
            [r["count"] for r in chart_rows],
            title=f"{category} each month, {area_label}",
            y_label="Crimes",
            rolling=[None if r["rolling"] is None else r["rolling"] / 12 for r in chart_rows],
            lower=[r["lower"] for r in chart_rows],
            upper=[r["upper"] for r in chart_rows],
            flags=[r["flag"] for r in chart_rows],
        ),
        "crimes-by-category": charts.bars(
            [row[0] for row in categories.rows],
            [row[1] for row in categories.rows],
            title=f"{category} by category, {short_span(filters.first, filters.last)}",
            x_label="Crimes",
        ),
    }
    if outcomes is not None and any(row[1] for row in outcomes.rows):
        total = sum(row[1] for row in outcomes.rows)
        chart_list["outcomes"] = charts.stacked_shares(
            [row[0] for row in outcomes.rows],
            [row[1] / total for row in outcomes.rows],
            title=f"Latest outcomes, {short_span(filters.first, filters.last)}",
        )
    tables = [t for t in (headline, months, categories, heat_table, outcomes) if t is not None]
    control = results["control"]
    exceedances = [
        {
            "month": as_month(r["month"]),
            "status": CONTROL_WORDS.get(r["status"], r["status"]),
            "observed": r["observed"],
        }
        for r in control.exceedances.to_pylist()
        if str(r["status"]).startswith("alert")
    ]
    trend = results["trend"].trend
    provenance = results["counts"].provenance
    comparison = results["comparison"]
    ratio_method = plain(comparison.ratio.method) if comparison.ratio else "no ratio"
    about = [
        f"{title}.",
        "Police-recorded crime from data.police.uk; data months "
        f"{long_span(*provenance.data_months)} ({len(provenance.months_used)} used).",
        f"Compared with {comparator_name(comparison.comparator_label)}: {ratio_method}.",
        f"Change: {plain(results['change'].test.method)}.",
        f"Usual range: {plain(control.control.method)}.",
        f"Computed by crimestats {provenance.crimestats_version}, data catalogue version "
        f"{provenance.catalogue_version}.",
    ]
    return {
        "title": title,
        "lead": lead,
        "cards": cards,
        "change": change,
        "charts": chart_list,
        "tables": {t.key: t for t in tables},
        "table_order": [t.key for t in tables],
        "heat": heat,
        "exceedances": exceedances,
        "trend_text": plain(trend.verdict_text)
        if trend.run and trend.result is not None
        else f"No trend test: {plain(trend.reason or 'too few months')}.",
        "notes": [plain(n) for n in (*provenance.notes, *results["comparison"].notes)],
        "about": about,
        "months_shown": len(chart_rows),
        "span_first": short_span(chart_rows[0]["month"], chart_rows[-1]["month"])
        if chart_rows
        else "",
        "held_last": held[-1] if held else None,
        "index_span": index_of(filters.last) - index_of(filters.first) + 1,
    }
