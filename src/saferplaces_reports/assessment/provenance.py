"""A ``crimestats`` provenance as the plain dict every figure of the document carries."""

from __future__ import annotations

from typing import Any

from crimestats.months import month_label
from crimestats.provenance import Provenance
from saferplaces_reports.assessment.wording import (
    forces_text,
    month_runs,
    month_span,
    reader_text,
)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        text = ", ".join(str(v) for v in value)
        return text if len(text) <= 120 else f"{len(value)} items"
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def provenance_dict(provenance: Provenance, *, method: str | None = None) -> dict[str, Any]:
    """What a figure was computed from, enough to compute it again (JSON-ready)."""
    first, last = provenance.data_months
    return {
        "data_months": [month_label(first), month_label(last)],
        "period": month_span(first, last),
        "months_used": len(provenance.months_used),
        "months_missing": [month_label(m) for m in provenance.months_missing],
        "forces": list(provenance.forces),
        "method": method or provenance.method,
        "population_year": provenance.population_year_used,
        "population_note": provenance.population_note,
        "weights_version": provenance.weights_version,
        "engine": provenance.engine,
        "catalogue_version": provenance.catalogue_version,
        "crimestats_version": provenance.crimestats_version,
        "computed_at": (
            provenance.computed_at.isoformat(timespec="seconds") if provenance.computed_at else None
        ),
        "archives": list(provenance.archives),
        "parameters": {str(k): _plain(v) for k, v in provenance.parameters.items()},
    }


def data_line(data: dict[str, Any]) -> str:
    """What the data behind a figure was: period, gaps, forces, population, harm weights."""
    from datetime import date

    parts = [f"Data: {data.get('period', '')}"]
    missing = data.get("months_missing") or []
    if missing:
        months = [date.fromisoformat(m + "-01") for m in missing]
        parts.append("months missing: " + ", ".join(month_runs(months)))
    if data.get("forces"):
        parts.append("recorded by " + forces_text(data["forces"]))
    if data.get("population_year"):
        parts.append(f"population {data['population_year']}")
    if data.get("weights_version"):
        parts.append(f"harm weights {data['weights_version']}")
    parts.append(f"crimestats {data.get('crimestats_version', '')}")
    return "; ".join(p for p in parts if p) + "."


def short_method(method: str) -> str:
    """The first clause of a method, without its citation (the method details give it in full)."""
    return reader_text(method.split(";")[0]).strip().rstrip(".")


def provenance_line(data: dict[str, Any]) -> str:
    """One line for a footnote: the data facts and the method in brief."""
    return f"{data_line(data)} Method: {short_method(str(data.get('method', '')))}."
