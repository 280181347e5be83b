"""The assessment as a standalone HTML document, a PDF (WeasyPrint) and an XLSX workbook.

The HTML comes from a Jinja2 template inside this package (not Django's templates), so the
command line renders exactly what the web app does. Narrative passed in by the web app is
already-sanitised HTML (nh3) and is inserted as is; the drafted defaults are plain text and are
escaped. The same HTML with the print stylesheet is the PDF.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup, escape

from saferplaces_reports.assessment.document import AssessmentDocument, Section
from saferplaces_reports.assessment.priority import CRITERION_LABELS, PriorityRow
from saferplaces_reports.assessment.provenance import data_line, short_method
from saferplaces_reports.assessment.rescore import rescore
from saferplaces_reports.pdf import html_to_pdf
from saferplaces_reports.tables import Table, workbook

__all__ = ["matrix_table", "provenance_table", "render_html", "render_pdf", "render_xlsx"]

Overrides = Mapping[str, tuple[float, str]]

PDF_CSS = """
nav.contents ol { list-style: none; padding-left: 0; }
nav.contents li { margin: 1mm 0; }
nav.contents li.child { padding-left: 6mm; font-size: 9pt; }
nav.contents a { color: #0b0c0c; text-decoration: none; }
nav.contents a::after { content: leader('.') " " target-counter(attr(href), page); }
section.top, section.chapter-child { break-before: page; }
/* Tables of more than ten columns (monthly counts by type) get a landscape page of their own. */
@page wide { size: A4 landscape; }
.app-wide { page: wide; }
.app-wide table { font-size: 7pt; }
.app-status { border: 2px solid #0b0c0c; display: inline-block; padding: 1mm 3mm; }
"""


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("saferplaces_reports.assessment", "templates"),
        autoescape=jinja2.select_autoescape(("html",)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _paragraphs(text: str) -> Markup:
    """Plain text (blank line between paragraphs) as escaped HTML paragraphs."""
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(escape(p)) for p in parts)


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}" if not value.is_integer() else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def matrix_table(rows: list[PriorityRow]) -> Table:
    """The priority matrix as a table (scores, weighted and final score, override reason)."""
    criteria = list(CRITERION_LABELS)
    body = []
    for row in rows:
        scores = tuple(
            "not scored" if row.scores.get(c) is None else f"{row.scores[c]:g}" for c in criteria
        )
        body.append(
            (
                row.rank,
                row.label,
                *scores,
                None if row.weighted is None else row.weighted,
                None if row.final is None else row.final,
                row.override_reason or "",
            )
        )
    weights = rows[0].weights if rows else {}
    return Table(
        "priority-matrix",
        "Priority matrix",
        (
            "Rank",
            "Type",
            *(CRITERION_LABELS[c] for c in criteria),
            "Weighted score",
            "Final score",
            "Override reason",
        ),
        tuple(body),
        notes=(
            "Scores from 1 (low) to 5 (high); weights: "
            + ", ".join(f"{CRITERION_LABELS[k].lower()} {v:g}" for k, v in weights.items()),
        ),
    )


def evidence_table(rows: list[PriorityRow]) -> Table:
    """Every score with the evidence behind it (the audit trail of the ranking), one line per
    type; a criterion entered for no type is left out and named in a note."""
    used = [
        c
        for c in CRITERION_LABELS
        if any(r.scores.get(c) is not None for r in rows) or c in ("volume", "trend", "harm")
    ]
    left_out = [CRITERION_LABELS[c] for c in CRITERION_LABELS if c not in used]
    body = []
    for row in rows:
        cells = []
        for criterion in used:
            score = row.scores.get(criterion)
            shown = "not scored" if score is None else f"{score:g}"
            cells.append(f"{shown}: {row.evidence.get(criterion, '')}")
        body.append((row.rank, row.label, *cells))
    notes = (
        (f"{' and '.join(left_out)}: not entered for any type, so not scored.",) if left_out else ()
    )
    return Table(
        "priority-evidence",
        "Evidence behind every score",
        ("Rank", "Type", *(CRITERION_LABELS[c] for c in used)),
        tuple(body),
        notes=notes,
    )


def figures_table(doc: AssessmentDocument) -> Table:
    """Every figure of the document with its full provenance (for the workbook)."""
    body = []
    for section in doc.all_sections():
        for f in section.figures:
            p = f.provenance
            body.append(
                (
                    section.title,
                    f.label,
                    f.text,
                    f.value,
                    p.get("period", ""),
                    ", ".join(p.get("months_missing", [])),
                    ", ".join(p.get("forces", [])),
                    p.get("population_year"),
                    p.get("weights_version") or "",
                    p.get("method", ""),
                    "; ".join(f"{k}={v}" for k, v in (p.get("parameters") or {}).items()),
                    p.get("crimestats_version", ""),
                    p.get("engine", ""),
                    p.get("catalogue_version"),
                    p.get("computed_at") or "",
                )
            )
    return Table(
        "figures",
        "Figures and their provenance",
        (
            "Section",
            "Figure",
            "Text",
            "Value",
            "Period",
            "Months missing",
            "Forces",
            "Population year",
            "Harm weights",
            "Method",
            "Parameters",
            "crimestats",
            "Engine",
            "Catalogue",
            "Computed at",
        ),
        tuple(body),
    )


def provenance_table(doc: AssessmentDocument) -> Table:
    """What the whole document was computed from, one fact per line."""
    p = doc.provenance
    facts = [
        ("Area", f"{doc.area_name} ({doc.area_code})"),
        ("Assessment period", p.get("period", "")),
        ("Data months", " to ".join(p.get("data_months", []))),
        ("Months used", str(p.get("months_used", ""))),
        ("Months missing", ", ".join(p.get("months_missing", [])) or "none"),
        ("Recording forces", ", ".join(p.get("forces", []))),
        ("Method", p.get("method", "")),
        (
            "Population year",
            str(
                doc.section("overall").figure("overall-rate").provenance.get("population_year")
                or ""
            ),
        ),
        ("Comparator", doc.options.comparator),
        ("Engine", f"{p.get('engine', '')}, catalogue {p.get('catalogue_version') or '-'}"),
        ("crimestats version", p.get("crimestats_version", "")),
        ("police.uk archives", "; ".join(p.get("archives", []))),
        ("Built", doc.built_at.isoformat(timespec="seconds") if doc.built_at else ""),
        (
            "Options",
            ", ".join(f"{k}={v}" for k, v in doc.options.to_dict().items() if k != "weights"),
        ),
    ]
    return Table("provenance", "Provenance", ("Fact", "Value"), tuple(facts))


def _sources(section: Section) -> list[str]:
    """The section's figures' provenance, compactly: each distinct data line once, then each
    figure's method in brief (the full methods and parameters are in the method details and
    the workbook's Figures sheet)."""
    figures = [f for f in section.figures if f.provenance]
    lines = list(dict.fromkeys(data_line(f.provenance) for f in figures))
    methods = "; ".join(
        f"{f.label}: {short_method(str(f.provenance.get('method', '')))}" for f in figures
    )
    return [*lines, f"Methods: {methods}."] if methods else lines


def render_html(
    doc: AssessmentDocument,
    *,
    narrative: Mapping[str, str] | None = None,
    overrides: Overrides | None = None,
    status_label: str = "Draft",
) -> str:
    """The assessment as one standalone HTML document.

    Parameters
    ----------
    doc : AssessmentDocument
    narrative : mapping, optional
        Section key → the analyst's narrative as already-sanitised HTML; replaces the drafted
        default of that section.
    overrides : mapping, optional
        Category → (score, reason): the matrix is scored again with them (see
        :func:`~saferplaces_reports.assessment.rescore.rescore`).
    status_label : str, default "Draft"
        Shown under the title ("Draft", "Submitted", "Approved version 3").
    """
    if overrides is not None:
        doc = rescore(doc, overrides=overrides)
    chosen = {k: Markup(v) for k, v in (narrative or {}).items()}

    def text_of(section: Section) -> Markup:
        if section.key in chosen:
            return chosen[section.key]
        return _paragraphs(section.narrative_default)

    template = _environment().get_template("assessment.html")
    return template.render(
        doc=doc,
        status_label=status_label,
        text_of=text_of,
        number=_number,
        sources=_sources,
        matrix=matrix_table(doc.priorities),
        evidence=evidence_table(doc.priorities),
        provenance=provenance_table(doc),
        draft_keys={"recommendations"},
    )


def render_pdf(
    doc: AssessmentDocument,
    *,
    narrative: Mapping[str, str] | None = None,
    overrides: Overrides | None = None,
    status_label: str = "Draft",
) -> bytes:
    """The same document as an A4 PDF: contents with page numbers, charts as vectors."""
    html = render_html(doc, narrative=narrative, overrides=overrides, status_label=status_label)
    return html_to_pdf(html, extra_css=PDF_CSS)


def render_xlsx(doc: AssessmentDocument) -> bytes:
    """Every table of the document, the priority matrix and its evidence, and the provenance."""
    tables: list[Table] = [matrix_table(doc.priorities), evidence_table(doc.priorities)]
    seen = {t.key for t in tables}
    for section in doc.all_sections():
        for table in section.tables:
            if table.key not in seen:
                seen.add(table.key)
                tables.append(table)
    tables += [figures_table(doc), provenance_table(doc)]
    about = [doc.title, *doc.caveats]
    return workbook(tables, title=doc.title, about=about)
