"""The web side of the assessment document: options from the guided form, reading a stored
document, and rendering a version (with its narrative and scores) as HTML, PDF or XLSX.

The document itself is made by ``saferplaces_reports.assessment`` (no Django there). It and
``crimestats`` bring numpy, scipy and matplotlib, so they are imported on first use: every
``manage.py`` command loads the URLs and so this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from saferplaces.accounts.models import Partnership
from saferplaces.core.places import police_force_name

COMPARATORS = {
    "rest-of-force": "The rest of the police force area",
    "force": "The whole police force area (including the partnership)",
}
WEIGHT_NAMES = ("volume", "trend", "harm", "public_concern", "vulnerability")
DRAFT_WATERMARK = "Draft"
CRITERIA_LABELS = {
    "volume": "Volume",
    "trend": "Trend (tested)",
    "harm": "Harm",
    "public_concern": "Public concern",
    "vulnerability": "Vulnerability",
}


def month_shift(month: date, months: int) -> date:
    """The first of the month ``months`` later (earlier when negative)."""
    index = month.year * 12 + (month.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def month_name(month: date) -> str:
    """'December 2025'."""
    return month.strftime("%B %Y")


def period_text(last_month: date, months: int) -> str:
    """'January to December 2025' or 'July 2024 to June 2025'."""
    first = month_shift(last_month, -(months - 1))
    if first == last_month:
        return month_name(last_month)
    if first.year == last_month.year:
        return f"{first.strftime('%B')} to {month_name(last_month)}"
    return f"{month_name(first)} to {month_name(last_month)}"


def partnership_area(partnership: Partnership) -> str:
    """The ``crimestats`` area spec for the partnership's districts."""
    codes = [str(code) for code in (partnership.lad_codes or [])]
    if len(codes) == 1:
        return codes[0]
    if codes:
        return "districts:" + ",".join(codes)
    return str(partnership.gss_code)


def options_from_form(partnership: Partnership, choices: Mapping[str, Any]) -> Any:
    """``AssessmentOptions`` from the guided form's cleaned data (ValueError when impossible)."""
    from saferplaces_reports.assessment import AssessmentOptions, PriorityWeights

    weights = {
        name: float(choices[f"weight_{name}"])
        for name in WEIGHT_NAMES
        if choices.get(f"weight_{name}") is not None
    }
    return AssessmentOptions(
        area=partnership_area(partnership),
        last_month=choices.get("last_month"),
        months=int(choices.get("months") or 12),
        trend_months=int(choices.get("trend_months") or 36),
        comparator=str(choices.get("comparator") or "rest-of-force"),
        include_harm=bool(choices.get("include_harm", True)),
        weights=PriorityWeights(**weights),
    )


def _sections(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []

    def walk(section: Mapping[str, Any]) -> None:
        out.append(section)
        for child in section.get("children") or ():
            walk(child)

    for section in data.get("sections") or ():
        walk(section)
    return out


def document_narrative_keys(data: Mapping[str, Any]) -> list[str]:
    """Keys of the sections whose narrative an analyst may rewrite, in reading order."""
    return [s["key"] for s in _sections(data) if s.get("narrative_default")]


@dataclass(frozen=True)
class SectionText:
    key: str
    title: str
    default: str  # the drafted narrative, plain text
    html: str  # the analyst's sanitised HTML, or "" when they kept the drafted one


def document_section(
    data: Mapping[str, Any], narrative: Mapping[str, str], key: str
) -> SectionText:
    """One editable section (KeyError when the document has none of that name)."""
    for section in _sections(data):
        if section["key"] == key and section.get("narrative_default"):
            return SectionText(
                key=key,
                title=str(section.get("title", key)),
                default=str(section.get("narrative_default", "")),
                html=str(narrative.get(key, "")),
            )
    raise KeyError(key)


def document_sections(data: Mapping[str, Any], narrative: Mapping[str, str]) -> list[SectionText]:
    return [document_section(data, narrative, key) for key in document_narrative_keys(data)]


def category_labels(data: Mapping[str, Any]) -> dict[str, str]:
    """Priority category → its name, in the order the matrix ranked them."""
    rows = data.get("priorities") or data.get("evidence") or ()
    return {str(row["category"]): str(row.get("label", row["category"])) for row in rows}


def overrides_for_rescore(
    overrides: Mapping[str, Mapping[str, Any]],
) -> dict[str, tuple[float, str]]:
    """The stored overrides in the shape ``rescore`` takes: category → (score, reason)."""
    return {
        category: (float(value["score"]), str(value.get("reason", "")))
        for category, value in overrides.items()
    }


def public_concern_for_rescore(public_concern: Mapping[str, Any]) -> dict[str, float] | None:
    """The entered public concern scores in the shape ``rescore`` takes, or None when nobody
    has entered any (the document keeps its own)."""
    if "scores" not in (public_concern or {}):
        return None
    return {category: float(score) for category, score in public_concern["scores"].items()}


def document_for_version(assessment: Any) -> Any:
    """The stored document, scored again with the version's public concern and overrides
    (no engine needed)."""
    from saferplaces_reports.assessment import AssessmentDocument, rescore

    document = AssessmentDocument.from_dict(assessment.document or {})
    return rescore(
        document,
        public_concern=public_concern_for_rescore(getattr(assessment, "public_concern", {})),
        overrides=overrides_for_rescore(assessment.overrides or {}),
    )


def priority_rows(assessment: Any) -> list[Any]:
    """The ranked matrix rows of a version, with its overrides applied."""
    return list(document_for_version(assessment).priorities)


def status_label(assessment: Any) -> str:
    """What every output says under its title about which version it is.

    Anything not approved starts with "Draft", so a draft never passes for the agreed version.
    """
    if assessment.number is not None:
        if assessment.is_approved:
            return f"Approved version {assessment.number}"
        return f"Version {assessment.number}, replaced by a later version"
    if assessment.status == "submitted":
        return f"{DRAFT_WATERMARK}: waiting for approval"
    return f"{DRAFT_WATERMARK}: not approved"


def render_version(assessment: Any, file_format: str) -> bytes:
    """The version as an HTML page, a PDF or a workbook, with its narrative and scores."""
    from saferplaces_reports.assessment import render_html, render_pdf, render_xlsx

    document = document_for_version(assessment)
    label = status_label(assessment)
    if file_format in ("html", "pdf"):
        render = render_html if file_format == "html" else render_pdf
        output = render(
            document,
            narrative=dict(assessment.narrative or {}),
            overrides=overrides_for_rescore(assessment.overrides or {}),
            status_label=label,
        )
        return output.encode("utf-8") if isinstance(output, str) else bytes(output)
    if file_format == "xlsx":
        # The workbook's title (on its first sheet) carries the status, as the pages do.
        document.title = f"{document.title} ({label})"
        return bytes(render_xlsx(document))
    raise ValueError(f"unknown format {file_format!r}")


def download_name(assessment: Any) -> str:
    """'strategic-assessment-2025-12-version-2' or '…-draft' (ASCII, safe in a header)."""
    last = (assessment.options or {}).get("last_month") or ""
    built = (assessment.document or {}).get("period") or []
    month = (built[-1] if built else last or "")[:7]
    suffix = f"version-{assessment.number}" if assessment.number is not None else "draft"
    return "-".join(part for part in ("strategic-assessment", month, suffix) if part)


def cell_text(value: Any) -> str:
    """A table cell as the page shows it: thousands separated, one decimal place at most."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, date):
        return value.strftime("%B %Y") if value.day == 1 else value.strftime("%-d %B %Y")
    return str(value)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


PROVENANCE_LABELS = (
    ("period", "Data months"),
    ("months_missing", "Months missing"),
    ("forces", "Recorded by"),
    ("method", "Method"),
    ("population_year", "Population estimate (mid-year)"),
    ("population_note", "About the population"),
    ("weights_version", "Harm weights"),
    ("catalogue_version", "Data store version"),
    ("crimestats_version", "Engine version (crimestats)"),
    ("computed_at", "Computed"),
)


def provenance_rows(provenance: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """What a figure was computed from, as (label, value) lines; empty facts left out."""
    rows = []
    for key, label in PROVENANCE_LABELS:
        value = (provenance or {}).get(key)
        if value in (None, "", [], ()):
            continue
        if key == "forces":
            value = [police_force_name(str(force)) for force in value]
        if key == "computed_at":
            value = _moment(str(value))
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        rows.append((label, str(value)))
    return rows


def _moment(iso: str) -> str:
    """'15 January 2026, 09:00' (UK time) from an ISO time stamp; as given when unreadable."""
    from django.utils import timezone

    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment.day} {moment.strftime('%B %Y, %H:%M')}"


def paragraphs(text: str) -> list[str]:
    """The drafted (plain text) narrative as paragraphs, for the page to escape and show."""
    return [part.strip() for part in (text or "").split("\n\n") if part.strip()]


def is_synthetic(assessment: Any) -> bool:
    """Built from generated demo data (every force named synthetic-…): the page must say so."""
    forces = ((assessment.document or {}).get("provenance") or {}).get("forces") or []
    return any(str(force).startswith("synthetic") for force in forces)
