"""The sections around the chapters: method and caveats, overall picture, place, harm, annex."""

from __future__ import annotations

from typing import Any

from crimestats.categories import ASB
from crimestats.chapters import AreaChapters
from crimestats.wording import plural
from saferplaces_reports import charts
from saferplaces_reports.assessment.chapter import label_of
from saferplaces_reports.assessment.document import ChartImage, Figure, Section
from saferplaces_reports.assessment.provenance import provenance_dict
from saferplaces_reports.assessment.wording import (
    events,
    finite,
    forces_text,
    month_name,
    month_runs,
    month_span,
    percent,
    share_text,
)
from saferplaces_reports.tables import Table

#: Where the map helper's choropleth goes (``place_section(map_svg=…)``); until a map is given
#: the place chapter shows the LSOA table alone.
MAP_HOOK = "place-map"


def caveats(chapters: AreaChapters) -> list[str]:
    """Plain-English caveats that apply to every figure."""
    quality = chapters.quality
    out: list[str] = []
    if quality.months_missing:
        out.append(
            "Months missing from the data (shown as gaps, left out of totals and tests): "
            + ", ".join(month_runs(quality.months_missing))
            + "."
        )
    share = finite(quality.unlocated_share)
    if quality.unlocated_n:
        pct = f" ({share * 100:.1f}% of the force's records)" if share is not None else ""
        out.append(
            f"{plural(quality.unlocated_n, 'record')} of the force{pct} have no map point, so "
            "they cannot be placed in any neighbourhood and are not in the area's figures."
        )
    for note in quality.notes:
        if note.lower().startswith("missing months"):
            continue
        out.append(note[0].upper() + note[1:] + ("" if note.endswith(".") else "."))
    population = chapters.overall.rate.provenance.population_note
    if population:
        out.append("Population: " + population + ".")
    out.append(
        "Police recorded crime counts what is reported and recorded: a change can reflect "
        "reporting or recording practice as well as crime itself."
    )
    return out


def methodology_section(chapters: AreaChapters, caveat_list: list[str]) -> Section:
    period = month_span(*chapters.period)
    previous = month_span(*chapters.previous_period)
    trend = month_span(*chapters.trend_period)
    provenance = chapters.provenance
    rate_year = chapters.overall.rate.provenance.population_year_used
    text = (
        f"This assessment covers {chapters.area.label} ({chapters.area.code}), "
        f"{plural(chapters.area.n_lsoas, 'neighbourhood')} (2021 LSOAs). The assessment year is "
        f"{period}, compared with {previous}; trends and seasonality use {trend}.\n\n"
        "The figures are police recorded crime and anti-social behaviour published on "
        f"data.police.uk, recorded by {forces_text(provenance.forces)}. Rates use the "
        + (f"{rate_year} population (see the caveats). " if rate_year else "population held. ")
        + "Every change is tested: a change is called a rise or a fall only when it is "
        "distinguishable from the month-to-month variation crime shows anyway; otherwise the "
        "estimate and its interval are given. No percentage is given below 10 events."
    )
    figures = [
        Figure(
            "data-months",
            "Data months",
            f"{period} ({plural(len(chapters.overall.counts.provenance.months_used), 'month')}"
            " held)",
            None,
            provenance_dict(chapters.overall.counts.provenance),
        ),
        Figure(
            "quality",
            "Data quality",
            f"{plural(len(chapters.quality.months_missing), 'month')} missing over {trend}",
            float(len(chapters.quality.months_missing)),
            provenance_dict(chapters.quality.provenance),
        ),
    ]
    section_table = forces_table(chapters)
    section = Section("methodology", "Methodology and data caveats", text, figures, [], [])
    section.children.append(
        Section("caveats", "Data caveats", "\n\n".join(caveat_list), [], [], [section_table])
    )
    return section


def forces_table(chapters: AreaChapters) -> Table:
    """Months held and missing for each recording force over the trend period."""
    by_force: dict[str, list[Any]] = {}
    for row in chapters.quality.months.to_pylist():
        by_force.setdefault(row["force"], []).append(row)
    in_area = {r["force"]: r["rows"] for r in chapters.quality.area_rows_by_force.to_pylist()}
    rows = []
    for force, months in sorted(by_force.items()):
        missing = [r["month"] for r in months if r["rows"] is None]
        rows.append(
            (
                forces_text([force]),
                len(months) - len(missing),
                ", ".join(month_runs(missing)) or "none",
                in_area.get(force),
            )
        )
    return Table(
        "data-months-by-force",
        f"Months of data held, {month_span(*chapters.trend_period)}",
        ("Recording force", "Months held", "Months missing", "Records in the area"),
        tuple(rows),
    )


def months_table(chapters: AreaChapters) -> Table:
    """Every force and month of the trend period: records, records without a map point."""
    rows = tuple(
        (forces_text([r["force"]]), month_name(r["month"]), r["rows"], r["unlocated"], r["status"])
        for r in chapters.quality.months.to_pylist()
    )
    return Table(
        "data-months",
        "Records by recording force and month",
        ("Force", "Month", "Records", "Without a map point", "Status"),
        rows,
        notes=("A blank count is a month not held (a gap, never a zero).",),
    )


def category_table(chapters: AreaChapters) -> Table:
    total = chapters.overall.counts.total
    harm = {r["crime_type"]: r for r in chapters.harm.by_category.to_pylist()}
    rows = []
    items = sorted(chapters.by_category.values(), key=lambda c: -(c.counts.total or 0))
    for chapter in [*items, chapters.asb]:
        rate = finite(chapter.rate.rate.rate)
        h = harm.get(chapter.key, {})
        harm_share = finite(h.get("harm_share")) if h.get("included") else None
        rows.append(
            (
                label_of(chapter.key),
                chapter.counts.total,
                share_text(chapter.counts.total, total) if chapter.key != ASB else "",
                None if rate is None else round(rate, 1),
                None if harm_share is None else percent(harm_share),
            )
        )
    return Table(
        "crime-by-type",
        f"Recorded crime by type, {month_span(*chapters.period)}",
        ("Type", "Count", "Share of all crime", "Per 1,000 residents", "Share of harm"),
        tuple(rows),
        notes=(
            "Anti-social behaviour is not a crime: it is listed last and not in the shares.",
            "Shares are left blank below 10 events.",
        ),
    )


def category_chart(chapters: AreaChapters) -> ChartImage:
    items = sorted(chapters.by_category.values(), key=lambda c: -(c.counts.total or 0))
    chart = charts.bars(
        [label_of(c.key) for c in items],
        [c.counts.total or 0 for c in items],
        title=f"Recorded crime by type, {month_span(*chapters.period)}",
        x_label="Crimes",
        width=6.8,
    )
    return ChartImage("crime-by-type", "Recorded crime by type", chart.svg, chart.alt)


def place_section(
    chapters: AreaChapters, wards: dict[str, str], map_svg: str | None = None
) -> Section:
    """Where crime concentrates: the map (when given), Gi* hot spots and concentration."""
    hotspots = chapters.overall.hotspots
    conc = hotspots.concentration
    total = chapters.overall.counts.total
    figures = []
    if conc.k_50 is not None and conc.share_units_50 is not None:
        figures.append(
            Figure(
                "place-concentration",
                "Concentration",
                f"Half of all crime happens in {plural(conc.k_50, 'neighbourhood')} of "
                f"{conc.n_units} ({conc.share_units_50 * 100:.0f}% of them); a quarter in "
                f"{plural(conc.k_25 or 0, 'neighbourhood')}. Gini coefficient "
                f"{(finite(conc.gini) or 0):.2f} (0 = evenly spread, 1 = all in one).",
                finite(conc.gini),
                provenance_dict(hotspots.provenance, method=conc.method),
            )
        )
    significant = hotspots.significant.to_pylist()
    hot = [r for r in significant if (r["bin"] or 0) > 0]
    cold = [r for r in significant if (r["bin"] or 0) < 0]
    figures.append(
        Figure(
            "place-hotspots",
            "Hot and cold spots",
            f"{plural(len(hot), 'hot spot')} and {plural(len(cold), 'cold spot')} among "
            f"{plural(hotspots.gi.n, 'neighbourhood')} (Getis-Ord Gi*, "
            "false discovery rate controlled).",
            float(len(hot)),
            provenance_dict(hotspots.provenance, method=hotspots.gi.method),
        )
    )
    lsoa_rows = []
    for row in sorted(hotspots.lsoas.to_pylist(), key=lambda r: -(r["count"] or 0)):
        lsoa_rows.append(
            (
                row["lsoa21_name"] or row["lsoa21_code"],
                wards.get(row["lsoa21_code"], ""),
                row["lsoa21_code"],
                row["count"],
                share_text(row["count"], total),
                row["label"] or "Not significant",
            )
        )
    table = Table(
        "place-lsoas",
        "Every neighbourhood (LSOA): crime and hot spot status",
        ("Neighbourhood", "Ward", "LSOA code", "Crimes", "Share", "Hot spot (Gi*)"),
        tuple(lsoa_rows),
        notes=(hotspots.gi.legend,),
    )
    ward_rows = tuple(
        (
            r["ward_name"] or r["ward_code"],
            r["ward_code"],
            r["count"],
            share_text(r["count"], total),
        )
        for r in sorted(
            chapters.overall.counts.by_ward.to_pylist(), key=lambda r: -(r["count"] or 0)
        )
    )
    wards_table = Table(
        "place-wards", "Crime by ward", ("Ward", "Ward code", "Crimes", "Share"), ward_rows
    )
    charts_: list[ChartImage] = []
    if map_svg:
        charts_.append(
            ChartImage(
                MAP_HOOK,
                "Crime by neighbourhood (map)",
                map_svg,
                "Map of the area's neighbourhoods shaded by crime; the numbers are in "
                "the table of neighbourhoods.",
            )
        )
    top = sorted(hotspots.lsoas.to_pylist(), key=lambda r: -(r["count"] or 0))[:10]
    chart = charts.bars(
        [r["lsoa21_name"] or r["lsoa21_code"] for r in top],
        [r["count"] or 0 for r in top],
        title="Neighbourhoods with the most crime",
        x_label="Crimes",
        width=6.8,
    )
    charts_.append(
        ChartImage("place-top-lsoas", "Neighbourhoods with the most crime", chart.svg, chart.alt)
    )
    narrative = " ".join(f.text for f in figures)
    return Section("place", "Place", narrative, figures, charts_, [table, wards_table])


def harm_section(chapters: AreaChapters) -> Section:
    harm = chapters.harm
    rows = [r for r in harm.by_category.to_pylist() if r["included"] and r["harm"] is not None]
    total = finite(harm.total.total)
    interval = harm.interval
    figures = [
        Figure(
            "harm-total",
            "Harm total",
            f"{(total or 0):,.0f} {harm.total.unit}"
            + (
                f" (95% interval {interval.lower:,.0f} to {interval.upper:,.0f})"
                if interval is not None and finite(interval.lower) is not None
                else ""
            )
            + f", Cambridge Crime Harm Index weights {harm.weights_version}.",
            total,
            provenance_dict(harm.provenance),
        )
    ]
    labels = [label_of(r["crime_type"]) for r in rows]
    chart = charts.scatter_quadrant(
        labels,
        [float(r["count_share"] or 0) * 100 for r in rows],
        [float(r["harm_share"] or 0) * 100 for r in rows],
        title="Count versus harm by crime type",
        x_label="Share of crimes (%)",
        y_label="Share of harm (%)",
        width=6.5,
        height=4.2,
    )
    table = Table(
        "harm-by-type",
        "Harm by crime type",
        ("Type", "Crimes", "Weight (days)", "Harm", "Share of harm", "Share of crimes"),
        tuple(
            (
                label_of(r["crime_type"]),
                r["count"],
                r["weight"],
                r["harm"],
                percent(r["harm_share"]),
                share_text(r["count"], sum(x["count"] for x in rows)),
            )
            for r in rows
        ),
        notes=(
            "Harm = crimes × the weight (days of imprisonment equivalent); left out: "
            + "; ".join(f"{label_of(k)} ({v})" for k, v in harm.total.excluded.items()),
        ),
    )
    quadrants: dict[str, int] = {}
    for q in harm.quadrants.quadrant:
        quadrants[q] = quadrants.get(q, 0) + 1
    quad_text = ", ".join(
        f"{plural(n, 'neighbourhood')} {q.replace('_', ' ')}" for q, n in sorted(quadrants.items())
    )
    figures.append(
        Figure(
            "harm-quadrants",
            "Neighbourhoods by count and harm",
            f"Split at the medians: {quad_text}.",
            None,
            provenance_dict(harm.provenance, method=harm.quadrants.method),
        )
    )
    top_harm = [r for r in harm.by_lsoa.to_pylist()][:10]
    lsoa_table = Table(
        "harm-top-lsoas",
        "Neighbourhoods with the most harm",
        ("Rank", "Neighbourhood", "LSOA code", "Crimes", "Harm", "95% interval", "Rank range"),
        tuple(
            (
                r["rank"],
                r["lsoa21_name"] or r["lsoa21_code"],
                r["lsoa21_code"],
                r["count"],
                r["harm"],
                f"{r['harm_lower']:,.0f} to {r['harm_upper']:,.0f}"
                if finite(r["harm_lower"]) is not None
                else "",
                f"{r['rank_best']} to {r['rank_worst']}",
            )
            for r in top_harm
        ),
        notes=(
            "Rank range: the 95% range of the neighbourhood's rank (harm is driven by few, "
            "serious crimes, so ranks are uncertain).",
        ),
    )
    top = rows[:3]
    narrative = (
        "Harm weights each crime by its seriousness, so a few serious crimes can matter more "
        "than many minor ones. "
        + "; ".join(
            f"{label_of(r['crime_type'])} makes up {r['harm_share'] * 100:.0f}% of the "
            f"harm from {events(r['count'], r['crime_type'])}"
            for r in top
        )
        + "."
    )
    image = ChartImage("harm-quadrant", "Count versus harm by crime type", chart.svg, chart.alt)
    return Section("harm", "Harm", narrative, figures, [image], [table, lsoa_table])


def annex_tables(chapters: AreaChapters) -> list[Table]:
    """Monthly counts by crime type over the trend period."""
    items = [
        chapters.overall,
        *sorted(chapters.by_category.values(), key=lambda c: c.key),
        chapters.asb,
    ]
    months = chapters.overall.trend.series["month"].to_pylist()
    tables = []
    # Eight types a table, so each fits an A4 page upright.
    for part, start in enumerate(range(0, len(items), 8), start=1):
        chunk = items[start : start + 8]
        series = [c.trend.series["count"].to_pylist() for c in chunk]
        rows = tuple((month_name(m), *(s[i] for s in series)) for i, m in enumerate(months))
        tables.append(
            Table(
                f"annex-monthly-by-type-{part}",
                f"Monthly counts by type ({part} of {(len(items) + 7) // 8})",
                ("Month", *(label_of(c.key) for c in chunk)),
                rows,
                notes=("Blank: a month missing from the data.",),
            )
        )
    return [*tables, months_table(chapters)]
