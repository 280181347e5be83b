"""Turn ``crimestats`` results into the plain values the crime data page shows.

No statistics here: every number comes from a ``crimestats`` result; this module picks the
fields a page needs, words them in plain English and makes them cacheable (plain dicts, lists,
strings and numbers only). It reads the typed result dataclasses by attribute (and their
tables by column name), so a field or column renamed in ``crimestats`` raises in the tests
instead of turning into a blank on the page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from numbers import Real
from typing import Any

import pyarrow as pa

from crimestats.areas import force_label
from crimestats.categories import SLUG_TO_NAME as SLUG_NAMES
from crimestats.measures.change import ChangeResult, DispersionWindow
from crimestats.measures.counts import CountsResult
from crimestats.measures.harm import HarmMeasure
from crimestats.measures.hotspots import HotspotsResult
from crimestats.measures.quality import QualityResult
from crimestats.measures.rates import ComparisonResult, RateMeasure
from crimestats.measures.trends import ControlMeasure, SeasonalMeasure, TrendMeasure
from crimestats.methods.comparison import TwoPeriodResult
from crimestats.months import MonthLike, as_month, index_of, month_range
from crimestats.profile import ProfileResult
from crimestats.wording import plural
from saferplaces.analytics.wording import plain

# Harm weights leave out categories whose counts mostly reflect police activity (drugs,
# weapons) and anti-social behaviour, which is not a notifiable crime (methods reference §5).
HARM_LEFT_OUT = {
    "anti-social-behaviour": "Not a crime: no harm weight",
    "drugs": "Left out: found mostly by police activity",
    "possession-of-weapons": "Left out: found mostly by police activity",
}


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    """Rows of an Arrow table as dicts."""
    return list(table.to_pylist())


def _number(value: object) -> float | None:
    """A finite float, or None (for None, NaN and infinities)."""
    if not isinstance(value, Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _month(value: MonthLike | None) -> date | None:
    return None if value is None else as_month(value)


def month_name(value: MonthLike | None) -> str:
    """'January 2025'."""
    month = _month(value)
    return month.strftime("%B %Y") if month else ""


def month_span(first: MonthLike | None, last: MonthLike | None) -> str:
    """'January to December 2025', 'November 2024 to October 2025' or 'March 2025'."""
    a, b = _month(first), _month(last)
    if a is None or b is None:
        return month_name(a or b)
    if a == b:
        return month_name(a)
    if a.year == b.year:
        return f"{a.strftime('%B')} to {month_name(b)}"
    return f"{month_name(a)} to {month_name(b)}"


def month_ranges(months: Iterable[MonthLike | None]) -> list[str]:
    """Consecutive months collapsed to spans, oldest first."""
    ordered = sorted({m for m in (_month(v) for v in months) if m is not None})
    spans: list[tuple[date, date]] = []
    for month in ordered:
        if spans:
            first, last = spans[-1]
            if index_of(month) - index_of(last) == 1:
                spans[-1] = (first, month)
                continue
        spans.append((month, month))
    return [month_span(first, last) for first, last in spans]


def _rate(measure: RateMeasure) -> dict[str, Any]:
    result, provenance = measure.rate, measure.provenance
    return {
        "value": _number(result.rate),
        "lower": _number(result.lower),
        "upper": _number(result.upper),
        "population": _number(result.population or measure.population),
        "small_number": result.small_number,
        "reason": result.reason,
        "method": result.method or provenance.method,
        "population_year": provenance.population_year_used,
        "population_note": provenance.population_note,
    }


def _comparison(comparison: ComparisonResult) -> dict[str, Any]:
    ratio = comparison.ratio
    value = _number(ratio.rate_ratio) if ratio else None
    lower = _number(ratio.lower) if ratio else None
    upper = _number(ratio.upper) if ratio else None
    # Reading the interval, not computing anything: an interval wholly below (above) 1 means the
    # area's rate is lower (higher) than the comparator's at the 95% level.
    if value is None or lower is None or upper is None:
        direction = "none"
    elif upper < 1:
        direction = "lower"
    elif lower > 1:
        direction = "higher"
    else:
        direction = "similar"
    return {
        "value": value,
        "lower": lower,
        "upper": upper,
        "p_value": _number(ratio.p_value) if ratio else None,
        "direction": direction,
        "reason": ratio.reason if ratio else None,
        "label": comparison.comparator_label or "the comparison area",
        "comparator_rate": _number(comparison.comparator_rate.rate),
        "method": ratio.method if ratio else "",
        "notes": [plain(note) for note in comparison.notes],
    }


def _months_held(period: tuple[date, date], missing: tuple[date, ...]) -> int:
    return len(month_range(*period)) - len(missing)


def _p_text(value: float | None) -> str:
    number = _number(value)
    if number is None:
        return ""
    return "p < 0.001" if number < 0.001 else f"p = {number:.3f}"


def _variation_text(test: TwoPeriodResult, window: DispersionWindow) -> str:
    """Plain English: the verdict allows for how much crime here varies, and from which months."""
    dispersion = test.dispersion
    if dispersion is None or not dispersion.estimated:
        return ""
    first, last = window.first, window.last
    months = dispersion.months_used
    span = f", {month_span(first, last)}" if first and last else ""
    phi = _number(dispersion.phi) or 1.0
    size = (
        f"about {phi:.1f} times the variance chance alone would give"
        if phi > 1.05
        else "no more than chance alone would give"
    )
    return (
        "This allows for how much crime here varies from month to month anyway: "
        f"{size}, measured over {plural(months, 'month')}{span}."
    )


def _change(change: ChangeResult) -> dict[str, Any]:
    test = change.test
    verdict = test.verdict
    p_poisson = _p_text(test.p_etest)
    return {
        "x1_text": plural(change.x1, "crime"),
        "x2_text": plural(change.x2, "crime"),
        "variation_text": _variation_text(test, change.dispersion_window),
        "caveat": test.caveat or "",
        "small_number": test.small_number,
        "percent_reason": test.percent_reason or "",
        "poisson_text": (
            f"A simpler test that ignores this month-to-month variation gives {p_poisson}."
            if p_poisson and test.test_kind != "exact-poisson"
            else ""
        ),
        "diff_reason": change.diff_reason or "",
        "held_1": _months_held(change.period_1, change.months_missing_1),
        "held_2": _months_held(change.period_2, change.months_missing_2),
        "period_1": month_span(*change.period_1),
        "period_2": month_span(*change.period_2),
        "x1": change.x1,
        "x2": change.x2,
        "diff": change.diff,
        "tested": change.tested and verdict is not None,
        "reason": change.reason or test.reason or "",
        "headline": verdict.headline if verdict else "",
        "estimate_text": verdict.estimate_text if verdict else "",
        "text": verdict.text if verdict else "",
        "direction": verdict.direction if verdict else "none",
        "significant": verdict.significant if verdict else False,
        "rate_ratio": _number(test.rate_ratio),
        "rr_lower": _number(test.rr_lower),
        "rr_upper": _number(test.rr_upper),
        "p_value": _number(test.p),
        "p_etest": _number(test.p_etest),
        "phi": _number(test.dispersion.phi) if test.dispersion else None,
        "missing_1": month_ranges(change.months_missing_1),
        "missing_2": month_ranges(change.months_missing_2),
        "method": test.method,
    }


CONTROL_WORDS = {
    "alert_high": "Alert: higher than the usual range",
    "alert_low": "Alert: lower than the usual range",
    "watch_high": "Watch: high",
    "watch_low": "Watch: low",
    "within": "Within the usual range",
    "too_few": "Too few to judge",
    "no_baseline": "No baseline",
    "missing": "Month missing",
}


def _control(control: ControlMeasure) -> dict[str, Any]:
    """The control chart's charted months in plain words (issue #11: calibrated alerts)."""
    chart = control.control
    rows = []
    for row in _rows(control.chart):
        status = row["status"] or "missing"
        rows.append(
            {
                "month": month_name(row["month"]),
                "observed": _number(row["observed"]),
                "expected": _number(row["expected"]),
                "baseline_years": row["baseline_years"],
                "lower": _number(row["lower_998"]),
                "upper": _number(row["upper_998"]),
                "status": status,
                "status_text": CONTROL_WORDS.get(status, status.replace("_", " ")),
            }
        )
    statuses = [row["status"] for row in rows]
    dispersion = chart.dispersion
    phi_star = _number(chart.phi_star)
    if dispersion is not None and dispersion.estimated:
        spread = (
            f"Monthly counts here vary about {phi_star:.1f} times as much as chance alone would "
            f"give (measured over {dispersion.months_used} months), so the usual range "
            "is widened to match."
            if phi_star and phi_star > 1
            else "Monthly counts here vary no more than chance alone would give."
        )
    else:
        spread = (
            "There are too few complete months to measure how much the counts vary, so the "
            "usual range assumes chance variation only: treat it with extra caution."
        )
    return {
        "rows": rows,
        "alerts": sum(1 for st in statuses if st.startswith("alert")),
        "watches": sum(1 for st in statuses if st.startswith("watch")),
        "too_few": statuses.count("too_few"),
        "no_baseline": sum(1 for st in statuses if st in ("no_baseline", "missing")),
        "spread": spread,
        "method": chart.method,
    }


def _trend(trend: TrendMeasure) -> dict[str, Any]:
    result = trend.trend
    mk = result.result
    run = result.run and mk is not None
    return {
        "run": run,
        "text": result.verdict_text if run else "",
        "reason": result.reason or "",
        "verdict": result.verdict,
        "robust": result.robust,
        "slope": _number(mk.slope) if mk else None,
        "slope_lower": _number(mk.slope_lower) if mk else None,
        "slope_upper": _number(mk.slope_upper) if mk else None,
        "slope_unit": mk.slope_unit if mk else "",
        "months": result.n_months,
        "method": mk.method if mk else result.method,
    }


def _seasonal(seasonal: SeasonalMeasure) -> dict[str, Any]:
    result = seasonal.seasonal
    index = result.index or ()
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return {
        "shown": result.computed and bool(index),
        "index": [
            {"month": name, "value": _number(v)} for name, v in zip(names, index, strict=False)
        ],
        "reason": result.reason or "",
        "p_value": _number(result.test.p) if result.test else None,
        "years": sorted(result.years_used),
        "method": result.method,
    }


def _categories(counts: CountsResult, asb: CountsResult, harm: HarmMeasure) -> list[dict[str, Any]]:
    harm_by_type = {row["crime_type"]: row for row in _rows(harm.by_category)}
    rows = []
    for row in _rows(counts.by_category) + _rows(asb.by_category):
        crime_type = row["crime_type"]
        weighted = harm_by_type.get(crime_type, {})
        included = bool(weighted.get("included", False)) and weighted.get("harm") is not None
        rows.append(
            {
                "crime_type": crime_type,
                "category": row["category"] or crime_type,
                "count": row["count"] or 0,
                "share": _number(row["share"]) if crime_type != "anti-social-behaviour" else None,
                "is_asb": crime_type == "anti-social-behaviour",
                "weight": _number(weighted.get("weight")),
                "harm": _number(weighted.get("harm")) if included else None,
                "harm_share": _number(weighted.get("harm_share")) if included else None,
                "harm_note": ""
                if included
                else HARM_LEFT_OUT.get(crime_type, "Not counted in the harm total"),
            }
        )
    crimes = sorted(
        (r for r in rows if not r["is_asb"]), key=lambda r: (-r["count"], r["category"])
    )
    return crimes + [r for r in rows if r["is_asb"]]


def _top_lsoas(
    counts: CountsResult, hotspots: HotspotsResult, harm: HarmMeasure
) -> list[dict[str, Any]]:
    wards = {row["lsoa21_code"]: row["ward_name"] for row in _rows(counts.by_lsoa)}
    harm_by_lsoa = {row["lsoa21_code"]: row for row in _rows(harm.by_lsoa)}
    top = []
    for row in _rows(hotspots.top_by_count):
        code = row["lsoa21_code"]
        harmed = harm_by_lsoa.get(code, {})
        top.append(
            {
                "rank": row["rank"],
                "code": code,
                "name": row["lsoa21_name"] or code,
                "ward": wards.get(code) or "",
                "count": row["count"] or 0,
                "lower": _number(row["lower"]),
                "upper": _number(row["upper"]),
                "share": _number(row["share"]),
                "harm": _number(harmed.get("harm")),
                "harm_lower": _number(harmed.get("harm_lower")),
                "harm_upper": _number(harmed.get("harm_upper")),
                "harm_rank": harmed.get("rank"),
                "harm_rank_best": harmed.get("rank_best"),
                "harm_rank_worst": harmed.get("rank_worst"),
                "driven_by_few": bool(harmed.get("driven_by_few")),
                "events_driving": harmed.get("events_driving"),
            }
        )
    return top


def _harm_interval(harm: HarmMeasure) -> dict[str, Any]:
    """The harm total's 95% interval and what its uncertainty comes from."""
    interval = harm.interval
    if interval is None:
        return {"lower": None, "upper": None, "driven_by_few": False, "events_driving": None,
                "main_source": None, "main_source_share": None, "method": ""}  # fmt: skip
    top = next(iter(interval.variance_share.items()), None)
    return {
        "lower": _number(interval.lower),
        "upper": _number(interval.upper),
        "driven_by_few": interval.driven_by_few,
        "events_driving": interval.events_driving,
        "main_source": SLUG_NAMES.get(top[0], top[0]) if top else None,
        "main_source_share": _number(top[1]) if top else None,
        "method": interval.method,
    }


def _hotspots(counts: CountsResult, hotspots: HotspotsResult) -> dict[str, Any]:
    """Every hot and cold spot neighbourhood (names first), or why none was tested."""
    wards = {row["lsoa21_code"]: row["ward_name"] for row in _rows(counts.by_lsoa)}
    gi = hotspots.gi
    spots = []
    for row in _rows(hotspots.significant):
        code = row["lsoa21_code"]
        spots.append(
            {
                "code": code,
                "name": row["lsoa21_name"] or code,
                "ward": wards.get(code) or "",
                "count": row["count"] or 0,
                "hot": (row["bin"] or 0) > 0,
                "level": row["label"] or "",
            }
        )
    tested = gi.n_testable
    reason = (
        None
        if tested
        else "every neighbourhood of the area borders every other one, so none can be tested"
    )
    return {
        "tested": tested,
        "n": gi.n,
        "spots": spots,
        "hot": sum(1 for r in spots if r["hot"]),
        "cold": sum(1 for r in spots if not r["hot"]),
        "reason": reason,
        "legend": gi.legend,
        "method": gi.method,
    }


def _quality(quality: QualityResult) -> dict[str, Any]:
    by_force: dict[str, dict[str, Any]] = {}
    for row in _rows(quality.months):
        force = row["force"] or ""
        entry = by_force.setdefault(force, {"held": 0, "total": 0, "missing": []})
        entry["total"] += 1
        if row["rows"] is None:
            entry["missing"].append(row["month"])
        else:
            entry["held"] += 1
    rows_in_area = {row["force"]: row["rows"] for row in _rows(quality.area_rows_by_force)}
    forces = [
        {
            "force": force,
            "label": force_label(force),
            "held": facts["held"],
            "total": facts["total"],
            "missing": month_ranges(facts["missing"]),
            "rows_in_area": rows_in_area.get(force),
        }
        for force, facts in sorted(by_force.items())
    ]
    first, last = quality.provenance.data_months
    return {
        "period": month_span(first, last),
        "forces": forces,
        "gaps": month_ranges(quality.months_missing),
        "unlocated_n": quality.unlocated_n,
        "unlocated_share": _number(quality.unlocated_share),
        "outside_geography_n": quality.outside_geography_n,
        "notes": list(quality.notes),
        # The gaps are listed above; the notes repeat them month by month.
        "other_notes": [
            plain(note) for note in quality.notes if not note.lower().startswith("missing months")
        ],
    }


def _provenance(profile: ProfileResult) -> dict[str, Any]:
    provenance = profile.provenance
    rate_provenance = profile.rate.provenance
    first, last = provenance.data_months
    computed_at = provenance.computed_at
    return {
        "data_months": month_span(first, last),
        "months_used": len(provenance.months_used),
        "months_missing": month_ranges(provenance.months_missing),
        "forces": [force_label(f) for f in provenance.forces],
        "population_year": rate_provenance.population_year_used,
        "population_note": rate_provenance.population_note,
        "method": provenance.method,
        "counts_method": profile.counts.provenance.method,
        "weights_version": profile.harm.weights_version,
        "crimestats_version": provenance.crimestats_version,
        "catalogue_version": provenance.catalogue_version,
        "engine": provenance.engine,
        "computed_at": computed_at.isoformat() if computed_at else None,
        "notes": [plain(note) for note in provenance.notes],
        "archives": list(provenance.archives),
    }


def summary_from_results(profile: ProfileResult, quality: QualityResult) -> dict[str, Any]:
    """The page's figures from a 12-month ``csp_profile`` and a longer ``quality`` result."""
    area, counts, harm = profile.area, profile.counts, profile.harm
    first, last = profile.provenance.data_months
    return {
        "area": {
            "code": area.code,
            "label": area.label,
            "kind": area.kind,
            "n_lsoas": area.n_lsoas,
        },
        "period": month_span(first, last),
        "total": counts.total,
        "complete": counts.complete,
        "asb_total": profile.asb.total,
        "rate": _rate(profile.rate),
        "comparison": _comparison(profile.comparison),
        "change": _change(profile.change),
        "categories": _categories(counts, profile.asb, harm),
        "harm_total": _number(harm.total.total),
        "harm_interval": _harm_interval(harm),
        "top_lsoas": _top_lsoas(counts, profile.hotspots, harm),
        "hotspots": _hotspots(counts, profile.hotspots),
        "quality": _quality(quality),
        "control": _control(profile.control),
        "trend": _trend(profile.trend),
        "seasonal": _seasonal(profile.seasonal),
        "provenance": _provenance(profile),
    }
