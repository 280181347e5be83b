"""Turn ``crimestats`` results into the plain values the crime data page shows.

No statistics here: every number comes from a ``crimestats`` result; this module picks the
fields a page needs, words them in plain English and makes them cacheable (plain dicts, lists,
strings and numbers only). It reads result fields with defaults, so a measure that gains or
renames an optional field does not break the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from crimestats.areas import force_label
from crimestats.categories import SLUG_TO_NAME as SLUG_NAMES
from crimestats.wording import plural

# Harm weights leave out categories whose counts mostly reflect police activity (drugs,
# weapons) and anti-social behaviour, which is not a notifiable crime (methods reference §5).
HARM_LEFT_OUT = {
    "anti-social-behaviour": "Not a crime: no harm weight",
    "drugs": "Left out: found mostly by police activity",
    "possession-of-weapons": "Left out: found mostly by police activity",
}


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _rows(table: Any) -> list[dict[str, Any]]:
    """Rows of an Arrow table (or a list of dicts) as dicts; nothing for None."""
    if table is None:
        return []
    if hasattr(table, "to_pylist"):
        return list(table.to_pylist())
    return [dict(row) for row in table]


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _month(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    if isinstance(value, str) and len(value) >= 7:
        return date(int(value[:4]), int(value[5:7]), 1)
    return None


def month_name(value: Any) -> str:
    """'January 2025'."""
    month = _month(value)
    return month.strftime("%B %Y") if month else ""


def month_span(first: Any, last: Any) -> str:
    """'January to December 2025', 'November 2024 to October 2025' or 'March 2025'."""
    a, b = _month(first), _month(last)
    if a is None or b is None:
        return month_name(a or b)
    if a == b:
        return month_name(a)
    if a.year == b.year:
        return f"{a.strftime('%B')} to {month_name(b)}"
    return f"{month_name(a)} to {month_name(b)}"


def month_ranges(months: Iterable[Any]) -> list[str]:
    """Consecutive months collapsed to spans, oldest first."""
    ordered = sorted({m for m in (_month(v) for v in months) if m is not None})
    spans: list[tuple[date, date]] = []
    for month in ordered:
        if spans:
            first, last = spans[-1]
            if (month.year * 12 + month.month) - (last.year * 12 + last.month) == 1:
                spans[-1] = (first, month)
                continue
        spans.append((month, month))
    return [month_span(first, last) for first, last in spans]


def _rate(measure: Any) -> dict[str, Any]:
    result = _get(measure, "rate")
    provenance = _get(measure, "provenance")
    return {
        "value": _number(_get(result, "rate")),
        "lower": _number(_get(result, "lower")),
        "upper": _number(_get(result, "upper")),
        "population": _number(_get(result, "population") or _get(measure, "population")),
        "small_number": bool(_get(result, "small_number", False)),
        "reason": _get(result, "reason"),
        "method": _get(result, "method") or _get(provenance, "method", ""),
        "population_year": _get(provenance, "population_year_used"),
        "population_note": _get(provenance, "population_note"),
    }


def _comparison(comparison: Any) -> dict[str, Any]:
    ratio = _get(comparison, "ratio")
    value = _number(_get(ratio, "rate_ratio"))
    lower, upper = _number(_get(ratio, "lower")), _number(_get(ratio, "upper"))
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
    comparator_rate = _get(_get(comparison, "comparator_rate"), "rate")
    return {
        "value": value,
        "lower": lower,
        "upper": upper,
        "p_value": _number(_get(ratio, "p_value")),
        "direction": direction,
        "reason": _get(ratio, "reason"),
        "label": _get(comparison, "comparator_label") or "the comparison area",
        "comparator_rate": _number(_get(comparator_rate, "rate")),
        "method": _get(ratio, "method") or "",
        "notes": list(_get(comparison, "notes") or ()),
    }


def _months_held(period: Any, missing: Any) -> int | None:
    first, last = (_month(value) for value in period)
    if first is None or last is None:
        return None
    length = (last.year * 12 + last.month) - (first.year * 12 + first.month) + 1
    return length - len(tuple(missing or ()))


def _p_text(value: Any) -> str:
    number = _number(value)
    if number is None:
        return ""
    return "p < 0.001" if number < 0.001 else f"p = {number:.3f}"


def _variation_text(test: Any, window: Any) -> str:
    """Plain English: the verdict allows for how much crime here varies, and from which months."""
    dispersion = _get(test, "dispersion")
    if dispersion is None or not _get(dispersion, "estimated", False):
        return ""
    first, last = _month(_get(window, "first")), _month(_get(window, "last"))
    months = _get(dispersion, "months_used") or 0
    span = f", {month_span(first, last)}" if first and last else ""
    phi = _number(_get(dispersion, "phi")) or 1.0
    size = (
        f"about {phi:.1f} times the variance chance alone would give"
        if phi > 1.05
        else "no more than chance alone would give"
    )
    return (
        "This allows for how much crime here varies from month to month anyway: "
        f"{size}, measured over {plural(months, 'month')}{span}."
    )


def _change(change: Any) -> dict[str, Any]:
    test = _get(change, "test")
    verdict = _get(test, "verdict")
    period_1 = _get(change, "period_1") or (None, None)
    period_2 = _get(change, "period_2") or (None, None)
    x1, x2 = _get(change, "x1"), _get(change, "x2")
    p_poisson = _p_text(_get(test, "p_etest"))
    return {
        "x1_text": plural(x1 or 0, "crime"),
        "x2_text": plural(x2 or 0, "crime"),
        "variation_text": _variation_text(test, _get(change, "dispersion_window")),
        "caveat": _get(test, "caveat") or "",
        "small_number": bool(_get(test, "small_number", False)),
        "percent_reason": _get(test, "percent_reason") or "",
        "poisson_text": (
            f"A simpler test that ignores this month-to-month variation gives {p_poisson}."
            if p_poisson and _get(test, "test_kind") != "exact-poisson"
            else ""
        ),
        "diff_reason": _get(change, "diff_reason") or "",
        "held_1": _months_held(period_1, _get(change, "months_missing_1")),
        "held_2": _months_held(period_2, _get(change, "months_missing_2")),
        "period_1": month_span(*period_1),
        "period_2": month_span(*period_2),
        "x1": _get(change, "x1"),
        "x2": _get(change, "x2"),
        "diff": _get(change, "diff"),
        "tested": bool(_get(change, "tested", False)) and verdict is not None,
        "reason": _get(change, "reason") or _get(test, "reason") or "",
        "headline": _get(verdict, "headline", ""),
        "estimate_text": _get(verdict, "estimate_text", ""),
        "text": _get(verdict, "text", ""),
        "direction": _get(verdict, "direction", "none"),
        "significant": bool(_get(verdict, "significant", False)),
        "rate_ratio": _number(_get(test, "rate_ratio")),
        "rr_lower": _number(_get(test, "rr_lower")),
        "rr_upper": _number(_get(test, "rr_upper")),
        "p_value": _number(_get(test, "p")),
        "p_etest": _number(_get(test, "p_etest")),
        "phi": _number(_get(_get(test, "dispersion"), "phi")),
        "missing_1": month_ranges(_get(change, "months_missing_1") or ()),
        "missing_2": month_ranges(_get(change, "months_missing_2") or ()),
        "method": _get(test, "method") or "",
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


def _control(control: Any) -> dict[str, Any]:
    """The control chart's charted months in plain words (issue #11: calibrated alerts)."""
    chart = _get(control, "control")
    rows = []
    for row in _rows(_get(control, "chart")):
        status = row.get("status") or "missing"
        rows.append(
            {
                "month": month_name(row.get("month")),
                "observed": _number(row.get("observed")),
                "expected": _number(row.get("expected")),
                "baseline_years": row.get("baseline_years"),
                "lower": _number(row.get("lower_998")),
                "upper": _number(row.get("upper_998")),
                "status": status,
                "status_text": CONTROL_WORDS.get(status, status.replace("_", " ")),
            }
        )
    statuses = [row["status"] for row in rows]
    dispersion = _get(chart, "dispersion")
    phi_star = _number(_get(chart, "phi_star"))
    if dispersion is not None and _get(dispersion, "estimated", False):
        spread = (
            f"Monthly counts here vary about {phi_star:.1f} times as much as chance alone would "
            f"give (measured over {_get(dispersion, 'months_used')} months), so the usual range "
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
        "method": _get(chart, "method", ""),
    }


def _trend(trend: Any) -> dict[str, Any]:
    result = _get(trend, "trend")
    mk = _get(result, "result")
    run = bool(_get(result, "run", False)) and mk is not None
    return {
        "run": run,
        "text": _get(result, "verdict_text", "") if run else "",
        "reason": _get(result, "reason") or "",
        "verdict": _get(result, "verdict"),
        "robust": _get(result, "robust"),
        "slope": _number(_get(mk, "slope")),
        "slope_lower": _number(_get(mk, "slope_lower")),
        "slope_upper": _number(_get(mk, "slope_upper")),
        "slope_unit": _get(mk, "slope_unit", ""),
        "months": _get(result, "n_months"),
        "method": _get(mk, "method") or _get(result, "method", ""),
    }


def _seasonal(seasonal: Any) -> dict[str, Any]:
    result = _get(seasonal, "seasonal")
    test = _get(result, "test")
    index = _get(result, "index") or ()
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return {
        "shown": bool(_get(result, "computed", False)) and bool(index),
        "index": [
            {"month": name, "value": _number(v)} for name, v in zip(names, index, strict=False)
        ],
        "reason": _get(result, "reason") or "",
        "p_value": _number(_get(test, "p")),
        "years": sorted(_get(result, "years_used") or ()),
        "method": _get(result, "method", ""),
    }


def _categories(counts: Any, asb: Any, harm: Any) -> list[dict[str, Any]]:
    harm_by_type = {row.get("crime_type"): row for row in _rows(_get(harm, "by_category"))}
    rows = []
    for row in _rows(_get(counts, "by_category")) + _rows(_get(asb, "by_category")):
        crime_type = row.get("crime_type")
        weighted = harm_by_type.get(crime_type, {})
        included = bool(weighted.get("included", False)) and weighted.get("harm") is not None
        rows.append(
            {
                "crime_type": crime_type,
                "category": row.get("category") or crime_type,
                "count": row.get("count") or 0,
                "share": _number(row.get("share"))
                if crime_type != "anti-social-behaviour"
                else None,
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


def _top_lsoas(counts: Any, hotspots: Any, harm: Any) -> list[dict[str, Any]]:
    wards = {row.get("lsoa21_code"): row.get("ward_name") for row in _rows(_get(counts, "by_lsoa"))}
    harm_by_lsoa = {row.get("lsoa21_code"): row for row in _rows(_get(harm, "by_lsoa"))}
    top = []
    for row in _rows(_get(hotspots, "top_by_count")):
        code = row.get("lsoa21_code")
        top.append(
            {
                "rank": row.get("rank"),
                "code": code,
                "name": row.get("lsoa21_name") or code,
                "ward": wards.get(code) or "",
                "count": row.get("count") or 0,
                "lower": _number(row.get("lower")),
                "upper": _number(row.get("upper")),
                "share": _number(row.get("share")),
                "harm": _number(harm_by_lsoa.get(code, {}).get("harm")),
                "harm_lower": _number(harm_by_lsoa.get(code, {}).get("harm_lower")),
                "harm_upper": _number(harm_by_lsoa.get(code, {}).get("harm_upper")),
                "harm_rank": harm_by_lsoa.get(code, {}).get("rank"),
                "harm_rank_best": harm_by_lsoa.get(code, {}).get("rank_best"),
                "harm_rank_worst": harm_by_lsoa.get(code, {}).get("rank_worst"),
                "driven_by_few": bool(harm_by_lsoa.get(code, {}).get("driven_by_few")),
                "events_driving": harm_by_lsoa.get(code, {}).get("events_driving"),
            }
        )
    return top


def _harm_interval(harm: Any) -> dict[str, Any]:
    """The harm total's 95% interval and what its uncertainty comes from."""
    interval = _get(harm, "interval")
    shares = dict(_get(interval, "variance_share") or {})
    top = next(iter(shares.items()), (None, None))
    return {
        "lower": _number(_get(interval, "lower")),
        "upper": _number(_get(interval, "upper")),
        "driven_by_few": bool(_get(interval, "driven_by_few", False)),
        "events_driving": _get(interval, "events_driving"),
        "main_source": SLUG_NAMES.get(top[0], top[0]) if top[0] else None,
        "main_source_share": _number(top[1]),
        "method": _get(interval, "method") or "",
    }


def _hotspots(counts: Any, hotspots: Any) -> dict[str, Any]:
    """Every hot and cold spot neighbourhood (names first), or why none was tested."""
    wards = {row.get("lsoa21_code"): row.get("ward_name") for row in _rows(_get(counts, "by_lsoa"))}
    gi = _get(hotspots, "gi")
    spots = []
    for row in _rows(_get(hotspots, "significant")):
        code = row.get("lsoa21_code")
        spots.append(
            {
                "code": code,
                "name": row.get("lsoa21_name") or code,
                "ward": wards.get(code) or "",
                "count": row.get("count") or 0,
                "hot": (row.get("bin") or 0) > 0,
                "level": row.get("label") or "",
            }
        )
    tested = _get(gi, "n_testable")
    reason = _get(gi, "reason")
    if reason is None and gi is not None and not tested:
        reason = "every neighbourhood of the area borders every other one, so none can be tested"
    return {
        "tested": tested,
        "n": _get(gi, "n"),
        "spots": spots,
        "hot": sum(1 for r in spots if r["hot"]),
        "cold": sum(1 for r in spots if not r["hot"]),
        "reason": reason,
        "legend": _get(gi, "legend") or "",
        "method": _get(gi, "method") or "",
    }


def _quality(quality: Any) -> dict[str, Any]:
    months = _rows(_get(quality, "months"))
    by_force: dict[str, dict[str, Any]] = {}
    for row in months:
        force = row.get("force") or ""
        entry = by_force.setdefault(force, {"held": 0, "total": 0, "missing": []})
        entry["total"] += 1
        if row.get("rows") is None:
            entry["missing"].append(row.get("month"))
        else:
            entry["held"] += 1
    rows_in_area = {
        row.get("force"): row.get("rows") for row in _rows(_get(quality, "area_rows_by_force"))
    }
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
    provenance = _get(quality, "provenance")
    first, last = _get(provenance, "data_months") or (None, None)
    return {
        "period": month_span(first, last),
        "forces": forces,
        "gaps": month_ranges(_get(quality, "months_missing") or ()),
        "unlocated_n": _get(quality, "unlocated_n"),
        "unlocated_share": _number(_get(quality, "unlocated_share")),
        "outside_geography_n": _get(quality, "outside_geography_n"),
        "notes": list(_get(quality, "notes") or ()),
        # The gaps are listed above; the notes repeat them month by month.
        "other_notes": [
            note
            for note in _get(quality, "notes") or ()
            if not str(note).lower().startswith("missing months")
        ],
    }


def _provenance(profile: Any) -> dict[str, Any]:
    provenance = _get(profile, "provenance")
    rate_provenance = _get(_get(profile, "rate"), "provenance")
    harm = _get(profile, "harm")
    first, last = _get(provenance, "data_months") or (None, None)
    used = _get(provenance, "months_used") or ()
    computed_at = _get(provenance, "computed_at")
    return {
        "data_months": month_span(first, last),
        "months_used": len(used),
        "months_missing": month_ranges(_get(provenance, "months_missing") or ()),
        "forces": [force_label(f) for f in _get(provenance, "forces") or ()],
        "population_year": _get(rate_provenance, "population_year_used"),
        "population_note": _get(rate_provenance, "population_note"),
        "method": _get(provenance, "method", ""),
        "counts_method": _get(_get(_get(profile, "counts"), "provenance"), "method", ""),
        "weights_version": _get(harm, "weights_version")
        or _get(_get(harm, "provenance"), "weights_version"),
        "crimestats_version": _get(provenance, "crimestats_version", ""),
        "catalogue_version": _get(provenance, "catalogue_version"),
        "engine": _get(provenance, "engine", ""),
        "computed_at": computed_at.isoformat() if isinstance(computed_at, datetime) else None,
        "notes": list(_get(provenance, "notes") or ()),
        "archives": list(_get(provenance, "archives") or ()),
    }


def summary_from_results(profile: Any, quality: Any) -> dict[str, Any]:
    """The page's figures from a 12-month ``csp_profile`` and a longer ``quality`` result."""
    area = _get(profile, "area")
    counts = _get(profile, "counts")
    provenance = _get(profile, "provenance")
    first, last = _get(provenance, "data_months") or (None, None)
    harm = _get(profile, "harm")
    return {
        "area": {
            "code": _get(area, "code", ""),
            "label": _get(area, "label", ""),
            "kind": _get(area, "kind", ""),
            "n_lsoas": len(_get(area, "lsoa_codes", ()) or ()),
        },
        "period": month_span(first, last),
        "total": _get(counts, "total", 0),
        "complete": bool(_get(counts, "complete", True)),
        "asb_total": _get(_get(profile, "asb"), "total"),
        "rate": _rate(_get(profile, "rate")),
        "comparison": _comparison(_get(profile, "comparison")),
        "change": _change(_get(profile, "change")),
        "categories": _categories(counts, _get(profile, "asb"), harm),
        "harm_total": _number(_get(_get(harm, "total"), "total")),
        "harm_interval": _harm_interval(harm),
        "top_lsoas": _top_lsoas(counts, _get(profile, "hotspots"), harm),
        "hotspots": _hotspots(counts, _get(profile, "hotspots")),
        "quality": _quality(quality),
        "control": _control(_get(profile, "control")),
        "trend": _trend(_get(profile, "trend")),
        "seasonal": _seasonal(_get(profile, "seasonal")),
        "provenance": _provenance(profile),
    }
