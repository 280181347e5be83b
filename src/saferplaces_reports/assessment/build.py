"""Draft a strategic assessment from the engine: :func:`build_assessment`.

One call to :func:`crimestats.chapters.area_chapters` answers every question (one cube, every
chapter a roll-up of it); this module only arranges the answers into sections, scores the
priority matrix and drafts the narrative. No statistics here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from crimestats.categories import ASB
from crimestats.chapters import ALL_CRIME, AreaChapters, Chapter, area_chapters
from crimestats.engines import Engine, open_engine
from saferplaces_reports.assessment import drafting
from saferplaces_reports.assessment.chapter import (
    change_sentence,
    chapter_section,
    label_of,
    monthly_table,
    tested_change,
    top_lsoas_table,
    ward_names,
)
from saferplaces_reports.assessment.document import AssessmentDocument, Figure, Section
from saferplaces_reports.assessment.options import AssessmentOptions
from saferplaces_reports.assessment.priority import CategoryEvidence, score_priorities
from saferplaces_reports.assessment.provenance import provenance_dict
from saferplaces_reports.assessment.sections import (
    annex_tables,
    category_chart,
    category_table,
    caveats,
    harm_section,
    methodology_section,
    place_section,
)
from saferplaces_reports.assessment.wording import month_span, reader_text

__all__ = ["NoDataError", "build_assessment", "evidence_of"]

Progress = Callable[[str, float], None]


class NoDataError(ValueError):
    """The assessment period has no data for the area (a one-line message says which)."""


def _harm_shares(chapters: AreaChapters) -> dict[str, float]:
    return {
        r["crime_type"]: float(r["harm_share"])
        for r in chapters.harm.by_category.to_pylist()
        if r["included"] and r["harm_share"] is not None
    }


def evidence_of(chapters: AreaChapters, include_harm: bool = True) -> list[CategoryEvidence]:
    """The priority matrix's inputs, one per crime type and ASB."""
    harm = _harm_shares(chapters) if include_harm else {}
    items: list[Chapter] = [*chapters.by_category.values(), chapters.asb]
    grand = sum(c.counts.total or 0 for c in items)
    out = []
    for chapter in items:
        used = tested_change(chapter)
        verdict = used.test.verdict if used.tested else None
        trend = chapter.trend.trend
        count = chapter.counts.total
        share = harm.get(chapter.key)
        out.append(
            CategoryEvidence(
                category=chapter.key,
                label=label_of(chapter.key),
                count=count,
                share=(count / grand) if count is not None and grand else None,
                change_direction=verdict.direction if verdict else None,
                change_strong=bool(verdict and verdict.strong),
                change_text=change_sentence(chapter),
                trend_direction=trend.verdict if trend.run else None,
                trend_text=(trend.verdict_text if trend.run else ""),
                harm_share=share,
                harm_text=(
                    f"{share * 100:.0f}% of the area's harm total (Cambridge Crime Harm Index)."
                    if share is not None
                    else "No harm weight for this category (not in the harm total)."
                ),
            )
        )
    return out


def _engine(engine_or_store: Any) -> tuple[Engine, bool]:
    if isinstance(engine_or_store, Engine):
        return engine_or_store, False
    return open_engine(engine_or_store), True


def build_assessment(
    engine_or_store: Any,
    options: AssessmentOptions,
    *,
    progress: Progress | None = None,
    map_svg: str | None = None,
    now: datetime | None = None,
) -> AssessmentDocument:
    """Draft the assessment for ``options``.

    Parameters
    ----------
    engine_or_store : Engine or Store
    options : AssessmentOptions
    progress : callable, optional
        Called with a plain-English step and the fraction done (0–1), for a status page.
    map_svg : str, optional
        An SVG choropleth of the area for the place chapter (from the map helper).
    now : datetime, optional
        The build time stamped on the document and every provenance (the caller's clock:
        ``timezone.now()`` in the web app; this package never reads the clock).

    Raises
    ------
    NoDataError
        No month of the assessment period has data for the area.
    ValueError
        An unknown area (the message names it) or an impossible period.
    """
    report = progress or (lambda _step, _fraction: None)
    built_at = now
    engine, opened = _engine(engine_or_store)
    try:
        report("Reading the data for the area", 0.05)
        chapters = area_chapters(
            engine,
            options.area,
            last=options.last_month,
            months=options.months,
            trend_months=options.trend_months,
            comparator=options.comparator,
            computed_at=built_at,
        )
    finally:
        if opened:
            engine.close()
    overall = chapters.overall
    if overall.counts.total is None and chapters.asb.counts.total is None:
        raise NoDataError(
            f"no data for {chapters.area.label} ({chapters.area.code}) in "
            f"{month_span(*chapters.period)}: every month of the period is missing"
        )
    report("Drafting the chapters", 0.5)
    return _document(chapters, options, built_at, map_svg, report)


def _document(
    chapters: AreaChapters,
    options: AssessmentOptions,
    built_at: datetime | None,
    map_svg: str | None,
    report: Progress,
) -> AssessmentDocument:
    area = chapters.area
    wards = ward_names(chapters)
    harm = _harm_shares(chapters)
    caveat_list = caveats(chapters)
    overall = chapters.overall
    overall_section = chapter_section(
        overall, chapters, wards, None, key="overall", title="The overall picture"
    )
    overall_section.charts.insert(0, category_chart(chapters))
    overall_section.tables.insert(0, category_table(chapters))
    chapters_section = Section(
        "crime-types",
        "Crime types",
        "One chapter per crime type, largest first, then anti-social behaviour.",
    )
    ordered = sorted(chapters.by_category.values(), key=lambda c: -(c.counts.total or 0))
    for index, chapter in enumerate([*ordered, chapters.asb]):
        report(f"Drafting the chapter on {label_of(chapter.key).lower()}", 0.5 + 0.3 * index / 14)
        chapters_section.children.append(
            chapter_section(
                chapter,
                chapters,
                wards,
                harm.get(chapter.key),
                key=f"crime-{chapter.key}",
                title=label_of(chapter.key),
            )
        )
    report("Scoring the priority matrix", 0.85)
    evidence = evidence_of(chapters, options.include_harm)
    rows = score_priorities(evidence, options.weights, include_harm=options.include_harm)
    headline = _headline(chapters)
    sections = [
        Section(
            "executive-summary",
            "Executive summary",
            drafting.executive_summary(headline.text, rows),
            [headline],
        ),
        methodology_section(chapters, caveat_list),
        overall_section,
        chapters_section,
        place_section(chapters, wards, map_svg),
    ]
    if options.include_harm:
        sections.append(harm_section(chapters))
    sections += [
        Section("priority-matrix", "Priority matrix", _matrix_text(options)),
        Section("recommendations", "Recommendations", drafting.recommendations(rows)),
        Section(
            "annex",
            "Annex tables",
            "",
            [],
            [],
            [
                *annex_tables(chapters),
                monthly_table(overall, "annex-all-crime-monthly", "All crime by month"),
                top_lsoas_table(overall, wards, "annex-top-lsoas"),
            ],
        ),
        Section("method-details", "Method details", _method_details(chapters)),
    ]
    for section in sections:
        if section.key != "method-details":
            _for_readers(section)
    report("Done", 1.0)
    return AssessmentDocument(
        title=f"Strategic assessment: {area.label}, {month_span(*chapters.period)}",
        area_name=area.label,
        area_code=area.code,
        area_kind=area.kind,
        period=chapters.period,
        previous_period=chapters.previous_period,
        trend_period=chapters.trend_period,
        options=options,
        sections=sections,
        priorities=rows,
        evidence=evidence,
        caveats=caveat_list,
        provenance=provenance_dict(chapters.provenance),
        built_at=built_at,
    )


def _for_readers(section: Section) -> None:
    """Engine wording made fit for a board in every text a reader sees (not the method details,
    which cite the methods reference by section)."""
    for item in section.walk():
        item.narrative_default = reader_text(item.narrative_default)
        item.figures = [replace(f, text=reader_text(f.text)) for f in item.figures]
        item.tables = [
            replace(t, notes=tuple(reader_text(n) for n in t.notes)) for t in item.tables
        ]


def _headline(chapters: AreaChapters) -> Figure:
    overall = chapters.overall
    from saferplaces_reports.assessment.wording import comparison_text, events, rate_text

    comparison, _ = comparison_text(overall.comparison)
    text = (
        f"{events(overall.counts.total, ALL_CRIME)} were recorded in {chapters.area.label} in "
        f"{month_span(*chapters.period)}: {rate_text(overall.rate)}. {comparison} "
        f"{change_sentence(overall)} Anti-social behaviour: "
        f"{events(chapters.asb.counts.total, ASB)}."
    )
    return Figure(
        "headline",
        "All crime",
        text,
        overall.counts.total,
        provenance_dict(overall.counts.provenance),
    )


def _matrix_text(options: AssessmentOptions) -> str:
    weights = options.weights.as_mapping()
    shown = ", ".join(f"{k.replace('_', ' ')} {v:g}" for k, v in weights.items())
    return (
        "Each crime type is scored from 1 (low) to 5 (high) on each criterion; the weighted "
        f"score is the weighted average of the scores it has (weights: {shown}). Volume and harm "
        "score by share of the total (20% or more: 5; 10%: 4; 5%: 3; 2%: 2; less: 1). Trend "
        "scores high only for a tested rise (4, or 5 with strong evidence); no change "
        "distinguishable from noise scores 2, a tested fall 1, and no test leaves it unscored. "
        "Public concern and vulnerability are entered by the analyst; until then they are "
        "marked not entered and do not count. The evidence behind every score is shown beside it."
    )


def _method_details(chapters: AreaChapters) -> str:
    overall = chapters.overall
    methods = [
        ("Rates", overall.rate.rate.method),
        ("Comparison", overall.comparison.ratio.method if overall.comparison.ratio else ""),
        ("Change", tested_change(overall).test.method),
        ("Trend", overall.trend.trend.method),
        ("Seasonality", overall.seasonal.seasonal.method),
        ("Hot spots", overall.hotspots.gi.method),
        ("Concentration", overall.hotspots.concentration.method),
        ("Harm", chapters.harm.total.method),
        ("Outcomes", overall.outcomes.overall.method if overall.outcomes else ""),
    ]
    lines = [f"{name}: {text}" for name, text in methods if text]
    lines.append(
        f"Engine: crimestats {chapters.provenance.crimestats_version} "
        f"({chapters.provenance.engine}), store catalogue "
        f"{chapters.provenance.catalogue_version or '-'}."
    )
    if chapters.provenance.archives:
        lines.append("police.uk archives: " + "; ".join(chapters.provenance.archives) + ".")
    return "\n\n".join(lines)
