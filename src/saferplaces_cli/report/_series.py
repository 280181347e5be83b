"""Report sections for counts, rate, comparison, change, trend, seasonality, control chart."""

from __future__ import annotations

from datetime import date
from typing import Any

from crimestats.months import month_range
from crimestats.wording import plural
from saferplaces_cli.report._format import (
    _ci,
    _f,
    _grid,
    _harm_cell,
    _lines,
    _monthly,
    _n,
    _p,
    _pct,
)


def _counts_sections(result: Any, harm: Any = None, asb: Any = None) -> list[Any]:
    weights = {}
    if harm is not None:
        weights = {r["crime_type"]: r for r in harm.by_category.to_pylist()}
    rows = []
    for r in sorted(result.by_category.to_pylist(), key=lambda r: (-r["count"], r["crime_type"])):
        row = [r["category"], _n(r["count"]), _pct(r["share"])]
        if harm is not None:
            h = weights.get(r["crime_type"], {})
            row += [_f(h.get("weight"), 0), _harm_cell(h), _pct(h.get("harm_share"))]
        rows.append(row)
    total = ["Total", _n(result.total), "100.0 %" if result.total else "–"]
    if harm is not None:
        total += ["", _f(harm.total.total, 0), "100.0 %" if harm.total.total else "–"]
    rows.append(total)
    columns = ["Category", "Crimes", "Share"]
    if harm is not None:
        columns += ["Harm weight", "Harm", "Harm share"]
    asb_note = "" if "anti-social-behaviour" in result.categories else " (ASB excluded)"
    sections = [
        _grid(f"Recorded crime by category{asb_note}", columns, rows, right=len(columns) - 1)
    ]
    lines = []
    if asb is not None:
        lines.append(
            f"Anti-social behaviour, reported separately: {plural(asb.total or 0, 'incident')}"
        )
    forces = result.by_force.to_pylist()
    if forces:
        lines.append("Recorded by: " + "; ".join(f"{r['force']} {_n(r['count'])}" for r in forces))
    lines.append(
        f"Rows of the force in these categories with no map point (not attributable to any "
        f"LSOA, so not in these counts): {_n(result.unlocated_n)} "
        f"({_pct(result.unlocated_share)} of the force's rows)"
    )
    if harm is not None:
        excluded = ", ".join(sorted(harm.total.excluded))
        lines.append(
            f"Harm: {harm.weights_version}, in {harm.total.unit}; not in the harm total: {excluded}"
        )
    sections.append(_lines("", lines))
    sections.append(_monthly(result.by_month, "Crimes by month"))
    return sections


def _rate_lines(result: Any) -> list[str]:
    r = result.rate
    p = result.provenance
    if r.rate is None:
        return [f"No rate: {r.reason}"]
    lines = [
        f"{_f(r.rate)} crimes per 1,000 residents (95 % CI {_ci(r.lower, r.upper)}) over "
        f"{plural(r.months, 'month')} of data ({plural(r.count, 'crime')}, "
        f"{_n(r.population)} residents)",
    ]
    if r.months != 12:
        lines.append(
            f"Annualised: {_f(r.annualised_rate)} per 1,000 a year "
            f"(95 % CI {_ci(r.annualised_lower, r.annualised_upper)})"
        )
    pop = f"Population year {p.population_year_used} (wanted {p.population_year_wanted})"
    lines.append(pop + (f": {p.population_note}" if p.population_note else ""))
    if not p.population_note or "does not include" not in p.population_note:
        lines.append(
            "The interval covers the random variation of the count only, not uncertainty in "
            "the population figure."
        )
    lines.extend(r.flags)
    return lines


def _comparison_lines(result: Any) -> list[str]:
    ratio = result.ratio
    label = result.comparator_label
    if ratio is None or ratio.rate_ratio is None:
        reason = getattr(ratio, "reason", None) or "no population for the area or comparator"
        return [f"No rate ratio against {label}: {reason}"]
    lines = [
        f"{ratio.rate_ratio:.2f}× the {label} "
        f"(95 % CI {_ci(ratio.lower, ratio.upper, 2)}; exact test {_p(ratio.p_value)})",
        f"{label[0].upper() + label[1:]}: {_f(result.comparator_rate.rate)} per 1,000 "
        f"({plural(result.comparator_count, 'crime')}, {_n(result.comparator_population)} "
        "residents)",
    ]
    if result.peers is not None:
        lines += [
            f"  {r['label']} ({r['area']}): {_f(r['rate'])} per 1,000 "
            f"({plural(r['count'], 'crime')})"
            for r in result.peers.to_pylist()
        ]
    lines.extend(f"Note: {n}" for n in result.notes)
    return lines


def _change_lines(result: Any) -> list[str]:
    (a1, b1), (a2, b2) = result.period_1, result.period_2

    def held(first: date, last: date, missing: tuple[date, ...]) -> str:
        if not missing:
            return ""
        total = len(month_range(first, last))
        return f" in the {total - len(missing)} of {total} months held"

    t = result.test
    difference = "" if result.diff is None else f" (difference {result.diff:+,})"
    lines = [
        f"{a1:%Y-%m}…{b1:%Y-%m}: {plural(result.x1, 'crime')}"
        f"{held(a1, b1, result.months_missing_1)}; "
        f"{a2:%Y-%m}…{b2:%Y-%m}: {plural(result.x2, 'crime')}"
        f"{held(a2, b2, result.months_missing_2)}{difference}"
    ]
    if not result.tested:
        lines.append(f"No test: {(result.reason or t.reason or '').removeprefix('no test: ')}")
        if result.diff_reason:
            lines.append(f"No difference reported: {result.diff_reason}")
        return lines
    if t.verdict is not None:
        lines.append(t.verdict.text)
    if t.diff is None and t.diff_reason:
        lines.append(f"No raw difference: {t.diff_reason}")
    if t.percent_reason:
        lines.append(f"Small numbers: {t.percent_reason}")
    basis = {
        "wald": "quasi-Poisson test allowing for overdispersion",
        "exact-scaled": "exact test on counts scaled for overdispersion (small numbers)",
        "exact-poisson": "exact Poisson test (overdispersion not estimated)",
    }.get(t.test_kind, t.test_kind)
    lines.append(
        f"Rate ratio {_f(t.rate_ratio, 2)} (95 % CI {_ci(t.rr_lower, t.rr_upper, 2)}); "
        f"{_p(t.p)} ({basis})"
    )
    if t.dispersion is not None:
        lines.append(f"How much the counts vary: {t.dispersion.description}")
    window = getattr(result, "dispersion_window", None)
    if window is not None and "ends before" in window.note and t.dispersion is not None:
        lines.append(
            "It is the most recent run of at least 18 complete months up to the later period; "
            "the months after it have gaps."
        )
    if t.caveat:
        lines.append(f"Caveat: {t.caveat}")
    lines.append(
        "Poisson results, for transparency (they assume no overdispersion): "
        f"E-test {_p(t.p_etest)}; exact conditional test {_p(t.p_exact_cond)}, rate ratio 95 % "
        f"CI {_ci(t.poisson_rr_lower, t.poisson_rr_upper, 2)}"
    )
    if result.wheeler is not None:
        w = result.wheeler
        flag = " (|z| ≥ 3)" if bool(w.flag) else ""
        lines.append(
            f"Poisson z screen {float(w.z):+.2f}{flag}: a quick screen that ignores "
            "overdispersion, not a verdict"
        )
    return lines


def _trend_lines(result: Any) -> list[str]:
    t = result.trend
    if not t.run or t.result is None:
        if t.reason == "too short for a trend test":
            return [f"No trend test: {t.reason} ({plural(t.n_months, 'month')} of data; needs 24)"]
        return [f"No trend test: {t.reason}"]
    mk = t.result
    name = "Seasonal Kendall test" if mk.seasonal else "Mann–Kendall test"
    lines = [
        f"{t.verdict_text or mk.trend}.",
        f"Sen's slope {mk.slope:+.2f} {mk.slope_unit} (95 % CI "
        f"{_ci(mk.slope_lower, mk.slope_upper, 2)}); {name} on {mk.n} months: z = {mk.z:.2f}, "
        f"{_p(mk.p)}",
    ]
    lines += [
        f"Check {c.label}: {c.trend} ({_p(c.p)}; {c.detail})" for c in t.checks
    ]  # fmt: skip
    lines.append(t.caveat)
    return lines


_MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _seasonal_lines(result: Any) -> list[str]:
    s = result.seasonal
    years = ", ".join(str(y) for y in sorted(s.years_used))
    test = s.test
    if not s.computed:
        lines = [f"No seasonal index: {s.reason}"]
        if test is not None and test.total:
            lines.append(f"Years used: {years} ({_n(test.total)} crimes)")
        return lines
    values = result.index["seasonal_index"].to_pylist()
    lines = [
        "  ".join(f"{m} {v:.2f}" for m, v in zip(_MONTH_NAMES, values, strict=False)),
        f"From complete years: {years}",
    ]
    if test is not None and test.tested:
        lines.append(
            f"Seasonal pattern: the months differ more than chance allows (test of equal "
            f"months {_p(test.p)}, {_n(test.total)} crimes)"
        )
    return lines


_STATUS_WORDS = {
    "alert_high": "alert: higher than expected",
    "alert_low": "alert: lower than expected",
    "watch_high": "watch: high (beyond the 95 % limit only)",
    "watch_low": "watch: low (beyond the 95 % limit only)",
}


def _control_lines(result: Any) -> list[str]:
    statuses = result.chart["status"].to_pylist()
    shown = result.chart["month"].to_pylist()
    no_base = sum(1 for s in statuses if s in ("no_baseline", "missing"))
    too_few = sum(1 for s in statuses if s == "too_few")
    lines = []
    flagged = result.exceedances.to_pylist()
    if flagged:
        lines += [
            f"{r['month']}: {plural(r['observed'] or 0, 'crime')}, expected "
            f"{_f(r['expected'])} from {plural(r['baseline_years'], 'year')} (99.8 % limits "
            f"{_ci(r['lower_998'], r['upper_998'], 0)}): "
            f"{_STATUS_WORDS.get(r['status'], r['status'].replace('_', ' '))}"
            for r in flagged
        ]
    else:
        judged = len(statuses) - no_base - too_few
        lines.append(
            "No month beyond the 95 % or 99.8 % limits"
            if judged
            else "No month could be judged (see below)"
        )
    if shown:
        years = sorted({y for y in result.chart["baseline_years"].to_pylist() if y})
        baseline = (
            f"baseline: the same month in the {' or '.join(map(str, years))} previous years held"
            if years
            else "no baseline"
        )
        lines.append(
            f"Months charted {shown[0]}…{shown[-1]} ({baseline}); {no_base} without a baseline "
            f"or missing; {too_few} too few to judge (fewer than 1 crime expected)"
        )
    c = result.control
    if c.dispersion is not None and c.dispersion.estimated:
        source = (
            f"{c.dispersion.months_used} months {c.dispersion.first_month} to "
            f"{c.dispersion.last_month}"
        )
        lines.append(
            f"Limits allow for counts varying {c.phi_star:.1f} times as much as Poisson "
            f"(phi* from {source}) and for the baseline being an estimate"
            if c.phi_star > 1
            else f"Counts vary no more than Poisson here (from {source}); the limits allow for "
            "the baseline being an estimate"
        )
    lines.extend(w for w in c.warnings if not w[:1].isdigit())
    return lines
