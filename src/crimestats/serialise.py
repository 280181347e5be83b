"""One serialiser for every result: JSON, CSV and a terminal table.

Results are frozen dataclasses whose fields are scalars, Arrow tables, nested method results
(``crimestats.methods`` dataclasses) and a :class:`~crimestats.provenance.Provenance`. The same
walk turns any of them into plain JSON types; non-finite floats become ``null`` and are listed
under ``null_reasons`` so a reader never has to guess why a number is missing.
"""

from __future__ import annotations

import dataclasses
import io
import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from crimestats.areas import Area
from crimestats.provenance import Provenance, describe, month_ranges
from crimestats.wording import plural

__all__ = [
    "RatesReport",
    "result_tables",
    "to_csv",
    "to_dict",
    "to_json",
    "to_report",
    "to_rich",
]


@dataclasses.dataclass(frozen=True, slots=True)
class RatesReport:
    """``stats rates``: the area's rate with its comparator beside it (methods reference §2.4).

    The fields of :class:`~crimestats.measures.RateMeasure` plus ``comparison`` (by default
    the rest of the force area), so the JSON keeps every key it had and gains the comparison.
    """

    area: Area
    categories: tuple[str, ...]
    count: int
    population: float | None
    rate: Any
    comparison: Any
    provenance: Provenance

    @classmethod
    def of(cls, rate: Any, comparison: Any) -> RatesReport:
        """Combine a ``RateMeasure`` and a ``ComparisonResult`` of the same area and period."""
        return cls(rate.area, rate.categories, rate.count, rate.population, rate.rate,
                   comparison, rate.provenance)  # fmt: skip


def _plain(value: Any, path: str, reasons: dict[str, str]) -> Any:
    if isinstance(value, pa.Table):
        return [_plain(row, f"{path}[{i}]", reasons) for i, row in enumerate(value.to_pylist())]
    if isinstance(value, pa.Array | pa.ChunkedArray):
        return _plain(value.to_pylist(), path, reasons)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name), f"{path}.{f.name}" if path else f.name, reasons)
            for f in dataclasses.fields(value)
        }
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isfinite(number):
            return number
        reasons[path] = (
            "undefined (not a number)"
            if math.isnan(number)
            else ("unbounded (+infinity)" if number > 0 else "unbounded (-infinity)")
        )
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.ndarray):
        return _plain(value.tolist(), path, reasons)
    if isinstance(value, list | tuple):
        return [_plain(v, f"{path}[{i}]", reasons) for i, v in enumerate(value)]
    if isinstance(value, Mapping):
        return {str(k): _plain(v, f"{path}.{k}", reasons) for k, v in value.items()}
    return str(value)


def to_dict(result: Any) -> dict[str, Any]:
    """Any result as a dict of plain JSON types, with ``null_reasons`` for dropped floats.

    Examples
    --------
    >>> from crimestats.methods.rates import rate_per_1000
    >>> to_dict(rate_per_1000(3, None))["reason"]
    'no population'
    """
    reasons: dict[str, str] = {}
    out = _plain(result, "", reasons)
    if not isinstance(out, dict):
        out = {"value": out}
    out["null_reasons"] = {**out.get("null_reasons", {}), **reasons}
    return out


def to_json(result: Any, *, indent: int | None = 2) -> str:
    """Any result as JSON text (provenance included)."""
    return json.dumps(to_dict(result), indent=indent, ensure_ascii=False)


def result_tables(result: Any, prefix: str = "") -> dict[str, pa.Table]:
    """The Arrow tables inside a result (nested results included), by dotted field name."""
    tables: dict[str, pa.Table] = {}
    if not (dataclasses.is_dataclass(result) and not isinstance(result, type)):
        return tables
    for f in dataclasses.fields(result):
        value = getattr(result, f.name)
        name = f"{prefix}{f.name}"
        if isinstance(value, pa.Table):
            tables[name] = value
        elif dataclasses.is_dataclass(value) and not isinstance(value, Provenance | Area):
            tables.update(result_tables(value, f"{name}."))
    return tables


def to_csv(result: Any, table: str | None = None) -> str:
    """One table of a result as CSV (default: the first table).

    Parameters
    ----------
    result : dataclass
    table : str, optional
        Dotted field name (see :func:`result_tables`); required to pick another table.

    Raises
    ------
    ValueError
        When the result has no table or the name is unknown (the message lists the names).
    """
    tables = result_tables(result)
    if not tables:
        scalars = {k: v for k, v in to_dict(result).items() if not isinstance(v, dict | list)}
        tables = {"summary": pa.table({k: [v] for k, v in scalars.items()})}
    name = table or next(iter(tables))
    if name not in tables:
        raise ValueError(f"no table {name!r} in this result; one of: {', '.join(tables)}")
    buffer = io.BytesIO()
    pacsv.write_csv(tables[name], buffer)
    return buffer.getvalue().decode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "–"
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _summary_rows(result: Any, prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for f in dataclasses.fields(result):
        value = getattr(result, f.name)
        name = f"{prefix}{f.name}"
        if isinstance(value, pa.Table | Provenance) or f.name == "method":
            continue
        if isinstance(value, Area):
            rows.append(
                (name, f"{value.label} ({value.code}, {value.kind}, {value.n_lsoas} LSOAs)")
            )
        elif dataclasses.is_dataclass(value):
            rows.extend(_summary_rows(value, f"{name}."))
        elif isinstance(value, np.ndarray):
            if value.size <= 12:
                rows.append((name, ", ".join(_cell(v) for v in value.tolist())))
        elif isinstance(value, tuple | list) and len(value) > 12:
            rows.append((name, f"{len(value)} items"))
        elif isinstance(value, Mapping):
            rows.append((name, "; ".join(f"{k}: {_cell(v)}" for k, v in value.items()) or "–"))
        else:
            rows.append(
                (
                    name,
                    _cell(value)
                    if not isinstance(value, tuple)
                    else ", ".join(map(_cell, value)) or "–",
                )
            )
    return rows


def to_rich(result: Any, *, max_rows: int = 20) -> list[Any]:
    """Rich renderables for a terminal: a summary, each table (first rows) and the provenance."""
    from rich.table import Table

    title = type(result).__name__
    summary = Table(title=title, show_header=False)
    summary.add_column("field", style="bold")
    summary.add_column("value")
    for key, value in _summary_rows(result):
        summary.add_row(key, value)
    renderables: list[Any] = [summary]
    for name, table in result_tables(result).items():
        shown = table.slice(0, max_rows)
        more = f" (first {max_rows} of {table.num_rows})" if table.num_rows > max_rows else ""
        grid = Table(title=f"{name}{more}")
        for column in table.column_names:
            grid.add_column(column)
        for row in shown.to_pylist():
            grid.add_row(*(_cell(v) for v in row.values()))
        renderables.append(grid)
    provenance = getattr(result, "provenance", None)
    if isinstance(provenance, Provenance):
        box = Table(title="provenance", show_header=False)
        box.add_column("line")
        for line in describe(provenance):
            box.add_row(line)
        renderables.append(box)
    return renderables


# -- readable terminal report ------------------------------------------------------------------
#
# ``to_report`` turns a measure result (or a whole CSP profile) into short headed sections an
# analyst can read: counts by category with harm beside them, the rate with its interval, the
# comparison as "0.78× the rest of …", the change with its verdict or the reason there is no test,
# hot spots, outcomes and data quality. Results of other types fall back to :func:`to_rich`.


def _plural(n: int, noun: str) -> str:
    """'1 hot spot LSOA', '2 hot spot LSOAs' (never '1 crimes')."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _n(value: Any) -> str:
    return "–" if value is None else f"{int(value):,}"


def _f(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "∞" if isinstance(value, float) and value == math.inf else "–"
    return f"{value:,.{digits}f}"


def _ci(lower: Any, upper: Any, digits: int = 1) -> str:
    return f"{_f(lower, digits)}–{_f(upper, digits)}"


def _harm_cell(row: dict[str, Any]) -> str:
    """A category's harm: 'excluded' only when left out of the total, '–' when it is a gap."""
    if row.get("included") is False:
        return "excluded"
    return "–" if row.get("harm") is None else _f(row["harm"], 0)


def _pct(value: Any, digits: int = 1) -> str:
    return "–" if value is None else f"{100 * value:.{digits}f} %"


def _p(value: Any) -> str:
    if value is None:
        return "p –"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def _lines(title: str, lines: list[str]) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(title=title, title_justify="left", title_style="bold", show_header=False,
                  box=box.SIMPLE, pad_edge=False)  # fmt: skip
    table.add_column("text", overflow="fold")
    for line in lines:
        table.add_row(line)
    return table


def _grid(title: str, columns: list[str], rows: list[list[str]], *, right: int = 0) -> Any:
    """A headed table; the last ``right`` columns are right-aligned (numbers)."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                  pad_edge=False)  # fmt: skip
    for i, column in enumerate(columns):
        table.add_column(column, justify="right" if i >= len(columns) - right else "left")
    for row in rows:
        table.add_row(*row)
    return table


def _header(area: Area, provenance: Provenance, what: str) -> Any:
    first, last = provenance.data_months
    used, missing = provenance.months_used, provenance.months_missing
    lines = [
        f"{area.label} ({area.code}, {area.kind.upper()}, {area.n_lsoas} LSOAs)",
        f"Period {first:%Y-%m} to {last:%Y-%m}: {plural(len(used), 'month')} of data"
        + (f"; {len(missing)} missing, shown as gaps: {month_ranges(missing)}" if missing else ""),
        f"Recording forces: {', '.join(provenance.forces) or 'none'}",
    ]
    return _lines(what, lines)


def _monthly(by_month: pa.Table, title: str) -> Any:
    values: dict[int, dict[int, Any]] = {}
    for row in by_month.to_pylist():
        month = row["month"]
        values.setdefault(month.year, {})[month.month] = row["count"]
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    rows = []
    for year in sorted(values):
        cells = []
        for m in range(1, 13):
            if m not in values[year]:
                cells.append("")
            else:
                v = values[year][m]
                cells.append("gap" if v is None else _n(v))
        rows.append([str(year), *cells])
    return _grid(title + " ('gap' = missing month, not zero)", ["Year", *names], rows, right=12)


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
        total = (last.year - first.year) * 12 + last.month - first.month + 1
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


def _hotspot_sections(result: Any) -> list[Any]:
    significant = result.significant.to_pylist()
    hot = sum(1 for r in significant if r["bin"] > 0)
    cold = sum(1 for r in significant if r["bin"] < 0)
    gi = result.gi
    labels = dict(zip(result.lsoas["lsoa21_code"].to_pylist(), result.lsoas["label"].to_pylist(),
                      strict=True))  # fmt: skip
    rows = [
        [str(r["rank"]), r["lsoa21_code"], r["lsoa21_name"] or "", _n(r["count"]),
         _ci(r["lower"], r["upper"], 0), _pct(r["share"]), labels.get(r["lsoa21_code"], "")]
        for r in result.top_by_count.to_pylist()
    ]  # fmt: skip
    untestable = gi.n - gi.n_testable
    if gi.reason is not None:
        head = f"Getis-Ord Gi* (of the LSOAs' ranks): no hot-spot test. {gi.reason[0].upper()}"
        head += gi.reason[1:] + "."
    elif gi.n_testable == 0:
        head = (
            "Getis-Ord Gi* (of the LSOAs' ranks): no hot-spot test. Every LSOA of the area "
            "borders every other one, so there is no neighbourhood to compare."
        )
    else:
        head = (
            f"Getis-Ord Gi* (of the LSOAs' ranks): {_plural(hot, 'hot spot LSOA')} and "
            f"{_plural(cold, 'cold spot LSOA')} of {gi.n_testable} tested. {gi.legend}"
            + (" (fewer than 30 LSOAs: weak approximation)" if gi.few_areas else "")
        )
        if untestable:
            head += (
                f" {_plural(untestable, 'LSOA')} not testable (bordering every other LSOA of "
                "the area)."
            )
    summary = [head]
    c = result.concentration
    if c.gini is not None:
        summary.append(
            f"Concentration: Gini {c.gini:.2f}; {_plural(c.k_25, 'LSOA')} "
            f"({_pct(c.share_units_25, 0)}) {'holds' if c.k_25 == 1 else 'hold'} 25 % of "
            f"crime, {c.k_50} ({_pct(c.share_units_50, 0)}) {'holds' if c.k_50 == 1 else 'hold'}"
            " 50 %"
        )
    if result.islands.num_rows:
        summary.append(f"LSOAs attached to their nearest LSOA: {result.islands.num_rows}")
    sections = [_lines("Hot spots", summary)]
    if significant:
        sections.append(
            _grid("Every hot and cold spot LSOA", ["LSOA", "Name", "Crimes", "Gi* z", "Level"],
                  [[r["lsoa21_code"], r["lsoa21_name"] or "", _n(r["count"]), _f(r["gi_z"], 2),
                    r["label"]] for r in significant])
        )  # fmt: skip
    sections += [
        _grid("Top LSOAs by count", ["#", "LSOA", "Name", "Crimes", "95 % CI", "Share", "Gi*"],
              rows, right=0),
    ]  # fmt: skip
    by_rate = [
        [str(r["rank"]), r["lsoa21_code"], r["lsoa21_name"] or "", _n(r["count"]),
         _f(r["rate"]), _ci(r["lower"], r["upper"]), "town centre?" if r["town_centre"] else ""]
        for r in result.top_by_rate.to_pylist()
    ]  # fmt: skip
    if by_rate:
        sections.append(
            _grid("Top LSOAs by rate per 1,000 residents (LSOAs with 10 or more crimes)",
                  ["#", "LSOA", "Name", "Crimes", "Rate", "95 % CI", "Flag"], by_rate)
        )  # fmt: skip
    points = [
        [str(r["rank"]), r["location"] or "", _n(r["count"]), f"{r['latitude']:.5f}, "
         f"{r['longitude']:.5f}"]
        for r in result.map_points.to_pylist()
    ]  # fmt: skip
    if points:
        sections.append(
            _grid("Top map points (snapped: a map point is not an address)",
                  ["#", "Location", "Crimes", "Lat, lon"], points)
        )  # fmt: skip
    return sections


def _harm_sections(result: Any, with_categories: bool = True) -> list[Any]:
    total = result.total
    interval = getattr(result, "interval", None)
    head = (
        f"Harm index {_f(total.total, 0)} {total.unit} ({result.weights_version}) over "
        f"{len(total.included)} categories"
    )
    if interval is not None and interval.lower is not None:
        head += f" (95 % CI {_ci(interval.lower, interval.upper, 0)})"
    lines = [head]
    if interval is not None and interval.variance_share:
        slug, share = next(iter(interval.variance_share.items()))
        lines.append(
            f"Uncertainty: {_pct(share, 0)} of the harm total's variance comes from "
            f"{slug.replace('-', ' ')}; dispersion used {interval.phi_star:.2f}"
        )
    if interval is not None and interval.driven_by_few:
        lines.append(
            f"Driven by few crimes: {_plural(interval.events_driving, 'crime')} make up more "
            "than half of the harm total"
        )
    lines.append(
        "Not in the total: "
        + "; ".join(f"{slug} ({why})" for slug, why in sorted(total.excluded.items()))
    )
    lines.extend(total.warnings)
    sections = [_lines("Harm (beside counts, never instead of them)", lines)]
    if with_categories:
        rows = [
            [r["category"], _n(r["count"]), _f(r["weight"], 0),
             _harm_cell(r), _pct(r["harm_share"])]
            for r in result.by_category.to_pylist()
        ]  # fmt: skip
        sections.append(
            _grid("Harm by category", ["Category", "Crimes", "Weight", "Harm", "Harm share"], rows,
                  right=4)
        )  # fmt: skip
    top = result.by_lsoa.slice(0, 5).to_pylist()

    def rank(r: dict[str, Any]) -> str:
        if r.get("rank_best") is None:
            return str(r["rank"])
        span = f"{r['rank_best']}–{r['rank_worst']}"
        return f"{r['rank']} ({span})"

    def flag(r: dict[str, Any]) -> str:
        if r.get("driven_by_few"):
            return f"driven by {_plural(r['events_driving'], 'crime')}"
        return ""

    sections.append(
        _grid(
            "Top LSOAs by harm (rank with its 95 % range)",
            ["#", "LSOA", "Name", "Crimes", "Harm", "95 % CI", "Harm share", "Quadrant", "Flag"],
            [[rank(r), r["lsoa21_code"], r["lsoa21_name"] or "", _n(r["count"]),
              _f(r["harm"], 0), _ci(r.get("harm_lower"), r.get("harm_upper"), 0),
              _pct(r["harm_share"]), r["quadrant"], flag(r)] for r in top],
        )
    )  # fmt: skip
    return sections


def _outcome_sections(result: Any) -> list[Any]:
    o = result.overall
    if not o.total:
        return [_lines("Outcomes", [f"No crimes with an outcome: {o.reason or 'none recorded'}"])]
    lines = [
        f"Positive outcome (charge or court, or out of court): {_pct(o.share)} of "
        f"{plural(o.total, 'crime')} (95 % CI {_ci(100 * o.lower, 100 * o.upper)} %)",
        f"{_pct(o.share_finalised)} {o.finalised_label} "
        f"({plural(o.finalised or 0, 'crime')}; 95 % CI "
        f"{_ci(100 * (o.lower_finalised or 0), 100 * (o.upper_finalised or 0))} %)",
    ]
    lines.extend(o.notes)  # unknown outcome strings are named in a note (not finalised)
    rows = [[r["group"].replace("_", " "), _n(r["count"]), _pct(r["share"])]
            for r in result.by_group.to_pylist() if r["count"]]  # fmt: skip
    return [
        _lines("Outcomes (last outcome; ASB has none)", lines),
        _grid("Crimes by outcome group", ["Group", "Crimes", "Share"], rows, right=2),
    ]


def _quality_lines(result: Any) -> list[str]:
    lines = []
    for force in result.forces:
        rows = [r for r in result.months.to_pylist() if r["force"] == force]
        ok = [r["month"] for r in rows if r["status"] == "ok"]
        gaps = [r["month"] for r in rows if r["status"] != "ok"]
        lines.append(
            f"{force}: {len(ok)} of {len(rows)} months present; missing: {month_ranges(gaps)}"
        )
    lines.append(
        f"Rows with no map point: {_n(result.unlocated_n)} ({_pct(result.unlocated_share)}); "
        f"rows whose LSOA is outside the loaded geography: {_n(result.outside_geography_n)}"
    )
    repeated = result.repeated_crime_ids.to_pylist()
    if repeated:
        ids = sum(r["crime_ids"] for r in repeated)
        lines.append(
            f"Crime IDs repeated within a force-month among the area's rows: {ids:,} "
            f"({', '.join(sorted({r['force'] for r in repeated}))})"
        )
    else:
        lines.append("No Crime ID repeated within a force-month among the area's rows")
    lines.extend(f"Note: {n}" for n in result.notes)
    return lines


def _shown_text(renderables: list[Any]) -> set[str]:
    """Text already printed by :func:`_lines` tables (so the footer does not repeat it)."""
    shown: set[str] = set()
    for item in renderables:
        for column in getattr(item, "columns", []):
            shown.update(str(cell) for cell in getattr(column, "_cells", []))
    return shown


def _footer(provenance: Provenance, *others: Provenance, shown: set[str] | None = None) -> Any:
    """Where the numbers came from, compactly (the JSON output holds every detail)."""
    first, last = provenance.data_months
    lines = [
        f"Data {first:%Y-%m} to {last:%Y-%m}: {plural(len(provenance.months_used), 'month')} used; "
        f"missing: {month_ranges(provenance.months_missing)}",
        f"Method: {provenance.method}",
    ]
    for p in (provenance, *others):
        if p.population_year_used is not None or p.population_note:
            line = f"Population year {p.population_year_used} (wanted {p.population_year_wanted})"
            line += f": {p.population_note}" if p.population_note else ""
            if line not in (shown or set()):
                lines.append(line)
            break
    for p in (provenance, *others):
        if p.weights_version:
            lines.append(f"Harm weights: {p.weights_version}")
            break
    if provenance.archives:
        lines.append("police.uk archives: " + "; ".join(provenance.archives))
    seen = {text.removeprefix("Note: ").lower() for text in (shown or set())}
    lines.extend(
        f"Note: {n}"
        for n in provenance.notes
        if not n.startswith("missing months are shown as gaps") and n.lower() not in seen
    )
    stamp = provenance.computed_at.isoformat(timespec="seconds") if provenance.computed_at else "-"
    lines.append(
        f"crimestats {provenance.crimestats_version}, engine {provenance.engine}, catalogue "
        f"{provenance.catalogue_version or '-'}, computed {stamp}"
    )
    return _lines("Provenance", lines)


def to_report(result: Any) -> list[Any]:
    """A readable terminal report (rich renderables) for a measure result or a CSP profile.

    Each question is a short headed section; results of other types fall back to
    :func:`to_rich`. The numbers are the result's own: nothing is computed here.
    """
    from crimestats import measures as m
    from crimestats.profile import ProfileResult

    if isinstance(result, ProfileResult):
        out = [_header(result.area, result.provenance, "CSP profile")]
        out += _counts_sections(result.counts, harm=result.harm, asb=result.asb)
        out.append(_lines("Rate", _rate_lines(result.rate)))
        out.append(_lines("Comparison", _comparison_lines(result.comparison)))
        out.append(_lines("Change: latest 12 months against the previous 12",
                          _change_lines(result.change)))  # fmt: skip
        out.append(_lines("Trend", _trend_lines(result.trend)))
        out.append(_lines("Seasonality", _seasonal_lines(result.seasonal)))
        out.append(_lines("Control chart (latest 12 months)", _control_lines(result.control)))
        out += _hotspot_sections(result.hotspots)
        out += _harm_sections(result.harm, with_categories=False)
        out += _outcome_sections(result.outcomes)
        out.append(_lines("Data quality", _quality_lines(result.quality)))
        pops = (result.rate.provenance, result.harm.provenance)
        out.append(_footer(result.provenance, *pops, shown=_shown_text(out)))
        return out
    simple: dict[type, tuple[str, Any]] = {
        m.RateMeasure: ("Rate", _rate_lines),
        m.ComparisonResult: ("Comparison", _comparison_lines),
        m.ChangeResult: ("Change", _change_lines),
        m.TrendMeasure: ("Trend", _trend_lines),
        m.SeasonalMeasure: ("Seasonality", _seasonal_lines),
        m.ControlMeasure: ("Control chart", _control_lines),
        m.QualityResult: ("Data quality", _quality_lines),
    }
    area = getattr(result, "area", None)
    provenance = getattr(result, "provenance", None)
    if not isinstance(area, Area) or not isinstance(provenance, Provenance):
        return to_rich(result)
    titles = {
        m.CountsResult: "Counts", m.RateMeasure: "Rate", m.ComparisonResult: "Comparison",
        m.ChangeResult: "Change", m.TrendMeasure: "Trend", m.SeasonalMeasure: "Seasonality",
        m.ControlMeasure: "Control chart", m.HotspotsResult: "Hot spots", m.HarmMeasure: "Harm",
        m.OutcomesMeasure: "Outcomes", m.QualityResult: "Data quality", RatesReport: "Rate",
    }  # fmt: skip
    head = [_header(area, provenance, titles.get(type(result), type(result).__name__))]
    if isinstance(result, RatesReport):
        body = [
            _lines("Rate", _rate_lines(result)),
            _lines("Comparison", _comparison_lines(result.comparison)),
        ]
        return [*head, *body, _footer(provenance, shown=_shown_text(body))]
    if type(result) in simple:
        title, lines = simple[type(result)]
        body = [_lines(title, lines(result))]
        if isinstance(result, m.TrendMeasure):
            body.append(_monthly(result.series, "Crimes by month"))
        if isinstance(result, m.ChangeResult):
            body.append(_monthly(result.by_month, "Crimes by month"))
    elif isinstance(result, m.CountsResult):
        body = _counts_sections(result)
    elif isinstance(result, m.HotspotsResult):
        body = _hotspot_sections(result)
    elif isinstance(result, m.HarmMeasure):
        body = _harm_sections(result)
    elif isinstance(result, m.OutcomesMeasure):
        body = _outcome_sections(result)
    else:
        return to_rich(result)
    return [*head, *body, _footer(provenance, shown=_shown_text(body))]
