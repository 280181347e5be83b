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
from crimestats.provenance import Provenance, describe

__all__ = ["result_tables", "to_csv", "to_dict", "to_json", "to_rich"]


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
