"""Formatting pieces of the terminal report: numbers, intervals, headed sections, footer."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from crimestats.areas import Area
from crimestats.months import month_ranges
from crimestats.provenance import Provenance, describe
from crimestats.serialise import result_tables
from crimestats.wording import plural


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
