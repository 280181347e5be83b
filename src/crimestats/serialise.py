"""One serialiser for every result: JSON and CSV (the terminal report is the CLI's own).

Results are frozen dataclasses whose fields are scalars, Arrow tables, nested method results
(``crimestats.methods`` dataclasses) and a :class:`~crimestats.provenance.Provenance`. The same
walk (:func:`crimestats.jsonable.to_jsonable`, also behind every method result's ``to_dict``)
turns any of them into plain JSON types; non-finite floats become ``null`` and are listed under
``null_reasons`` so a reader never has to guess why a number is missing.

The readable terminal report (``saferplaces stats`` without ``--format``) lives with the command
line, in :mod:`saferplaces_cli.report`.
"""

from __future__ import annotations

import dataclasses
import io
import json
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from crimestats.areas import Area
from crimestats.jsonable import to_jsonable
from crimestats.provenance import Provenance

__all__ = [
    "RatesReport",
    "result_tables",
    "to_csv",
    "to_dict",
    "to_json",
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


def to_dict(result: Any) -> dict[str, Any]:
    """Any result as a dict of plain JSON types, with ``null_reasons`` for dropped floats.

    Examples
    --------
    >>> from crimestats.methods.rates import rate_per_1000
    >>> to_dict(rate_per_1000(3, None))["reason"]
    'no population'
    """
    reasons: dict[str, str] = {}
    out = to_jsonable(result, "", reasons)
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
