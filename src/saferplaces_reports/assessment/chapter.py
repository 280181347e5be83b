"""One chapter per crime type (and the overall picture): the measures of a
:class:`crimestats.chapters.Chapter` as figures, charts, tables and a drafted narrative."""

from __future__ import annotations

from datetime import date

from crimestats.categories import ASB, SLUG_TO_NAME
from crimestats.chapters import ALL_CRIME, AreaChapters, Chapter
from crimestats.measures.change import ChangeResult
from crimestats.months import month_label
from crimestats.wording import plural
from saferplaces_reports import charts
from saferplaces_reports.assessment.document import ChartImage, Figure, Section
from saferplaces_reports.assessment.provenance import provenance_dict
from saferplaces_reports.assessment.wording import (
    SMALL,
    change_text,
    comparison_text,
    events,
    finite,
    month_name,
    month_span,
    rate_text,
    share_text,
)
from saferplaces_reports.tables import Table

OUTCOME_GROUPS = {
    "charged_or_court": "Charged or summonsed, or a court result",
    "out_of_court": "Out-of-court resolution (caution, community resolution, penalty)",
    "evidential_difficulties": "Evidential difficulties or victim does not support action",
    "not_in_public_interest": "Not in the public interest",
    "other_agency": "Passed to another agency",
    "no_suspect": "Investigation complete, no suspect identified",
    "under_investigation": "Under investigation (no final outcome yet)",
    "unknown": "Outcome not recognised",
}


def label_of(key: str) -> str:
    """'All crime', 'Anti-social behaviour', 'Burglary'."""
    return "All crime" if key == ALL_CRIME else SLUG_TO_NAME.get(key, key)


def tested_change(chapter: Chapter) -> ChangeResult:
    """The change the assessment reports: the default periods when tested, otherwise the longest
    comparable span when there is one (its text says which months it compared)."""
    if chapter.change.tested or chapter.comparable_change is None:
        return chapter.change
    return chapter.comparable_change


def change_sentence(chapter: Chapter) -> str:
    """The tested change in words, naming the span used when it is not the default one."""
    used = tested_change(chapter)
    text = change_text(used)
    if chapter.key == ASB:
        text = text.replace(" crimes", " incidents").replace(" crime ", " incident ")
    if used is not chapter.change:
        text = "Longest span held in both years (the full years have missing months): " + text
    return text


def trend_sentence(chapter: Chapter) -> str:
    result = chapter.trend.trend
    span = month_span(*chapter.trend.provenance.data_months)
    if result.run and result.verdict_text:
        return f"Trend over {span}: {result.verdict_text.rstrip('.')}."
    return f"No trend test over {span}: {result.reason or 'not run'}."


def seasonal_sentence(chapter: Chapter) -> str:
    result = chapter.seasonal.seasonal
    if result.computed and result.index:
        return (
            "A seasonal pattern is found over "
            f"{plural(len(result.years_used), 'complete year')}: see the seasonal index."
        )
    return f"No seasonal index: {result.reason or 'not computed'}."


def _monthly_chart(chapter: Chapter, title: str) -> ChartImage:
    series = chapter.trend.series
    months: list[date] = series["month"].to_pylist()
    counts: list[int | None] = series["count"].to_pylist()
    rolling = [None if v is None else v / 12 for v in series["rolling_12"].to_pylist()]
    y_label = "Incidents" if chapter.key == ASB else "Crimes"
    chart = charts.monthly_series(
        months, counts, title=title, y_label=y_label, rolling=rolling, width=7.0, height=2.6
    )
    return ChartImage(f"{chapter.key}-monthly", title, chart.svg, chart.alt)


def monthly_table(chapter: Chapter, key: str, title: str) -> Table:
    series = chapter.trend.series
    rows = tuple(
        (month_name(m), c, None if r is None else round(r / 12, 1), "" if c is not None else s)
        for m, c, r, s in zip(
            series["month"].to_pylist(),
            series["count"].to_pylist(),
            series["rolling_12"].to_pylist(),
            series["status"].to_pylist(),
            strict=True,
        )
    )
    noun = "Incidents" if chapter.key == ASB else "Crimes"
    return Table(
        key,
        title,
        ("Month", noun, "12-month average", "Note"),
        rows,
        notes=("A blank count is a month missing from the data (a gap, not a zero).",),
    )


def top_lsoas_table(chapter: Chapter, wards: dict[str, str], key: str) -> Table:
    rows = []
    for row in chapter.hotspots.top_by_count.to_pylist():
        count = row["count"] or 0
        lower, upper = finite(row["lower"]), finite(row["upper"])
        interval = f"{lower:.0f} to {upper:.0f}" if lower is not None and upper is not None else ""
        share = share_text(count, chapter.counts.total)
        rows.append(
            (
                row["rank"],
                row["lsoa21_name"] or row["lsoa21_code"],
                wards.get(row["lsoa21_code"], ""),
                row["lsoa21_code"],
                count,
                interval,
                share,
            )
        )
    return Table(
        key,
        f"{label_of(chapter.key)}: neighbourhoods (LSOAs) with the most",
        ("Rank", "Neighbourhood", "Ward", "LSOA code", "Count", "95% interval", "Share"),
        tuple(rows),
        notes=("Share is left blank below 10 events.",),
    )


def outcomes_table(chapter: Chapter, key: str) -> Table | None:
    outcomes = chapter.outcomes
    if outcomes is None:
        return None
    total = outcomes.overall.total
    rows = tuple(
        (OUTCOME_GROUPS.get(r["group"], r["group"]), r["count"], share_text(r["count"], total))
        for r in outcomes.by_group.to_pylist()
        if r["count"]
    )
    notes = tuple(outcomes.overall.notes)
    return Table(
        key,
        f"{label_of(chapter.key)}: last recorded outcomes",
        ("Outcome", "Crimes", "Share"),
        rows,
        notes=notes,
    )


def outcome_sentence(chapter: Chapter) -> str:
    outcomes = chapter.outcomes
    if outcomes is None:
        return ""
    overall = outcomes.overall
    share, lo, hi = (
        finite(v)
        for v in (overall.share_finalised, overall.lower_finalised, overall.upper_finalised)
    )
    if share is None or lo is None or hi is None or overall.finalised < SMALL:
        return "Too few crimes with a final outcome to give a positive outcome share."
    return (
        f"{plural(overall.positive, 'crime')} ended in a charge, summons or out-of-court "
        f"resolution: {share * 100:.0f}% {overall.finalised_label} (95% interval {lo * 100:.0f}% "
        f"to {hi * 100:.0f}%)."
    )


def hotspot_sentence(chapter: Chapter, wards: dict[str, str]) -> str:
    spots = chapter.hotspots.significant.to_pylist()
    hot = [r for r in spots if (r["bin"] or 0) > 0]
    gi = chapter.hotspots.gi
    if not gi.n_testable:
        return "Hot spots could not be tested for this area."
    if not hot:
        return "No neighbourhood is a statistically significant hot spot (Getis-Ord Gi*)."
    names = [
        f"{r['lsoa21_name']}"
        + (f" ({wards[r['lsoa21_code']]})" if wards.get(r["lsoa21_code"]) else "")
        for r in hot[:5]
    ]
    more = f" and {len(hot) - 5} more" if len(hot) > 5 else ""
    return f"{plural(len(hot), 'hot spot')} (Getis-Ord Gi*): {', '.join(names)}{more}."


def chapter_section(
    chapter: Chapter,
    chapters: AreaChapters,
    wards: dict[str, str],
    harm_share: float | None,
    *,
    key: str,
    title: str,
) -> Section:
    """The section for one crime type (or all crime / ASB)."""
    counts = chapter.counts
    label = label_of(chapter.key)
    period = month_span(*chapters.period)
    total_crime = chapters.overall.counts.total
    share = share_text(counts.total, total_crime) if chapter.key not in (ALL_CRIME, ASB) else ""
    comparison, _direction = comparison_text(chapter.comparison)
    volume = f"{events(counts.total, chapter.key)} in {period}" + (
        f", {share} of all crime" if share else ""
    )
    used = tested_change(chapter)
    figures = [
        Figure(
            f"{key}-count", "Recorded", volume, counts.total, provenance_dict(counts.provenance)
        ),
        Figure(
            f"{key}-rate",
            "Rate",
            rate_text(chapter.rate),
            finite(chapter.rate.rate.rate),
            provenance_dict(chapter.rate.provenance),
        ),
        Figure(
            f"{key}-comparison",
            "Against the force area",
            comparison,
            finite(chapter.comparison.ratio.rate_ratio) if chapter.comparison.ratio else None,
            provenance_dict(chapter.comparison.provenance),
        ),
        Figure(
            f"{key}-change",
            "Tested change",
            change_sentence(chapter),
            finite(used.test.rate_ratio),
            provenance_dict(used.provenance),
        ),
        Figure(
            f"{key}-trend",
            "Trend",
            trend_sentence(chapter),
            None,
            provenance_dict(chapter.trend.provenance),
        ),
        Figure(
            f"{key}-seasonality",
            "Seasonality",
            seasonal_sentence(chapter),
            None,
            provenance_dict(chapter.seasonal.provenance),
        ),
        Figure(
            f"{key}-hotspots",
            "Hot spots",
            hotspot_sentence(chapter, wards),
            float(len(chapter.hotspots.significant)),
            provenance_dict(chapter.hotspots.provenance),
        ),
    ]
    if chapter.outcomes is not None:
        figures.append(
            Figure(
                f"{key}-outcomes",
                "Outcomes",
                outcome_sentence(chapter),
                finite(chapter.outcomes.overall.share_finalised),
                provenance_dict(chapter.outcomes.provenance),
            )
        )
    if harm_share is not None:
        figures.append(
            Figure(
                f"{key}-harm",
                "Share of harm",
                f"{harm_share * 100:.0f}% of the area's harm total "
                f"(Cambridge Crime Harm Index, {chapters.harm.weights_version}).",
                harm_share,
                provenance_dict(chapters.harm.provenance),
            )
        )
    elif chapter.key != ALL_CRIME:
        figures.append(
            Figure(
                f"{key}-harm",
                "Share of harm",
                "Not in the harm total: no harm weight for this category.",
                None,
                provenance_dict(chapters.harm.provenance),
            )
        )
    charts_ = [_monthly_chart(chapter, f"{label}: by month")]
    seasonal = chapter.seasonal
    tables = [top_lsoas_table(chapter, wards, f"{key}-top-lsoas")]
    if seasonal.seasonal.computed and seasonal.index.num_rows:
        names = [
            date(2000, m, 1).strftime("%b") for m in seasonal.index["calendar_month"].to_pylist()
        ]
        values = [finite(v) for v in seasonal.index["seasonal_index"].to_pylist()]
        chart = charts.bars(
            names,
            values,
            title=f"{label}: seasonal index",
            x_label="Index (1 = an average month)",
            reference=1.0,
            width=6.0,
        )
        charts_.append(ChartImage(f"{key}-seasonal", "Seasonal index", chart.svg, chart.alt))
        tables.append(
            Table(
                f"{key}-seasonal-index",
                f"{label}: seasonal index",
                ("Month", "Index"),
                tuple(zip(names, values, strict=True)),
            )
        )
    outcome_table = outcomes_table(chapter, f"{key}-outcomes")
    if outcome_table is not None and outcome_table.rows:
        tables.append(outcome_table)
    narrative = draft_narrative(label, figures)
    return Section(key, title, narrative, figures, charts_, tables)


def draft_narrative(label: str, figures: list[Figure]) -> str:
    """The drafted paragraph: the few facts a reader needs first (the figures below give the
    detail), as the analyst's starting point."""
    by_key = {f.key.rsplit("-", 1)[-1]: f.text for f in figures}
    recorded = by_key.get("count", "")
    change = by_key.get("change", "")
    headline = change.split(": ", 2)[-1] if "distinguishable" in change else change
    return f"{label}: {recorded}. {headline}".strip()


def ward_names(chapters: AreaChapters) -> dict[str, str]:
    return {
        r["lsoa21_code"]: r["ward_name"] or "" for r in chapters.overall.counts.by_lsoa.to_pylist()
    }


def period_label(first: date, last: date) -> str:
    return f"{month_label(first)} to {month_label(last)}"
