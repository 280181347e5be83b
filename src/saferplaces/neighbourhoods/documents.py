"""The profile as documents: its tables (for CSV and XLSX) and the PDF (WeasyPrint, A4).

Every table is built once from the cached profile, so the page, the CSV, the workbook and the
PDF show the same numbers. Small on purpose: shared report helpers may replace it later.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from saferplaces_reports.pdf import html_to_pdf
from saferplaces_reports.tables import Cell, Table, csv_download, workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRINT_CSS = Path(__file__).with_name("print.css")


def file_stem(neighbourhood: Any) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", neighbourhood.name.lower()).strip("-") or "neighbourhood"
    return f"neighbourhood-profile-{slug[:60]}"


def _cmp(c: dict[str, Any]) -> list[Any]:
    return [c["rate"], c["ratio"], c["lower"], c["upper"], c["p_value"], c["sentence"]]


def _table(
    key: str, title: str, columns: list[str], rows: list[list[Any]], source: str = ""
) -> Table:
    cells: tuple[tuple[Cell, ...], ...] = tuple(tuple(row) for row in rows)
    return Table(key, title, tuple(columns), cells, (f"Source: {source}",) if source else ())


def profile_tables(p: dict[str, Any]) -> list[Table]:
    """The profile's tables, in page order."""
    period = p["period"]
    population = p["population"]
    tables = [
        _table(
            "categories",
            f"Crime and anti-social behaviour by category, {period}",
            [
                "Category",
                "Crimes",
                "Rate per 1,000 residents",
                "Rate 95% lower",
                "Rate 95% upper",
                f"{p['partnership_label']} rate",
                "Times the partnership rate",
                "Ratio 95% lower",
                "Ratio 95% upper",
                "p (exact test)",
                "Against the partnership",
                f"{p['force_label']} rate",
                "Times the force area rate",
                "Ratio 95% lower",
                "Ratio 95% upper",
                "p (exact test)",
                "Against the force area",
            ],
            [
                [
                    r["name"],
                    r["count"],
                    r["rate"],
                    r["rate_lower"],
                    r["rate_upper"],
                    *_cmp(r["partnership"]),
                    *_cmp(r["force"]),
                ]
                for r in p["categories"]
            ],
            f"police.uk street crime located in the neighbourhood's {p['n_lsoas']} small areas, "
            f"{period}; rates per 1,000 residents (Census 2021); exact rate ratio test",
        ),  # fmt: skip
        _table(
            "small-areas",
            "Small areas (LSOAs) in the neighbourhood",
            [
                "LSOA code",
                "Name",
                "Ward",
                "Residents (Census 2021)",
                "IMD 2019 decile",
                "IMD 2019 rank",
            ],
            [
                [r["code"], r["name"], r["ward"], r["population"], r["imd_decile"], r["imd_rank"]]
                for r in p["lsoas"]
            ],
            "ONS lookups; Census 2021; English Indices of Deprivation 2019 (1 = most deprived "
            "tenth of England), mapped to 2021 LSOAs",
        ),  # fmt: skip
        _table(
            "age",
            "Residents by age (Census 2021)",
            ["Age band", "Residents", "Share"],
            [[b["band"], b["residents"], b["share"]] for b in population["age_bands"]],
            population["age_source"] or population["age_note"],
        ),
        _table(
            "deprivation",
            "Small areas by deprivation decile (IMD 2019)",
            ["IMD decile (1 = most deprived)", "Small areas", "Residents"],
            [[d["decile"], d["lsoas"], d["residents"]] for d in p["imd"]["deciles"]],
            "English Indices of Deprivation 2019, mapped to 2021 LSOAs",
        ),
        _table(
            "monthly",
            f"Crimes by month, {p['trend']['period']}",
            ["Month", "Crimes", "Crimes in the 12 months to this month"],
            [[m["month"], m["count"], m["rolling_12"]] for m in p["trend"]["series"]],
            "Empty: no data for the month (a gap, not a zero)",
        ),
        _table(
            "top-small-areas",
            f"Small areas with the most crimes, {period}",
            ["Rank", "Name", "LSOA code", "Crimes", "95% lower", "95% upper", "Share"],
            [
                [r["rank"], r["name"], r["code"], r["count"], r["lower"], r["upper"], r["share"]]
                for r in p["hotspots"]["top"]
            ],
        ),  # fmt: skip
        _table(
            "repeat-locations",
            f"Repeat locations (police.uk map points), {period}",
            ["Rank", "Location", "Crimes"],
            [[r["rank"], r["location"], r["count"]] for r in p["hotspots"]["points"]],
            "police.uk snaps crimes to nearby map points; a map point is not an address",
        ),
    ]
    change = p["change"]
    if change.get("period_1"):
        tables.append(
            _table(
                "change",
                f"Change since the baseline ({p['baseline']})",
                ["Period", "Crimes", "Verdict"],
                [
                    [f"Baseline: {change['period_1']}", change["x1"], ""],
                    [
                        f"Latest: {change['period_2']}",
                        change["x2"],
                        f"{change['headline']}: {change['estimate_text']}"
                        if change["tested"]
                        else change["reason"],
                    ],
                ],  # fmt: skip
                change["rule"],
            )
        )
    return tables


def table_csv(table: Table) -> bytes:
    return csv_download(table)


def profile_xlsx(name: str, p: dict[str, Any], tables: list[Table]) -> bytes:
    """One sheet per table, and an 'About' sheet saying what the figures were computed from."""
    provenance = p["provenance"]
    about = [
        f"Small areas (LSOAs): {', '.join(provenance['lsoas'])}",
        f"Period: {p['period']}",
        f"Months of data used: {provenance['months_used']}",
        f"Recording forces: {', '.join(provenance['forces'])}",
        f"Population: Census 2021 usual residents ({provenance['population_year']})",
        f"Compared with: {p['partnership_label']}; {p['force_label']}",
        f"Baseline month: {p['baseline']}",
        f"Data catalogue version: {provenance['catalogue_version']}",
        f"crimestats version: {provenance['crimestats_version']}",
        f"Computed at: {provenance['computed_at'] or ''}",
    ]
    return workbook(tables, title=f"Neighbourhood profile: {name}", about=about)


def profile_pdf(request: HttpRequest, context: dict[str, Any]) -> bytes:
    """The profile as an A4 PDF with page numbers, from its own print template."""
    html = render_to_string("neighbourhoods/profile_print.html", context, request=request)
    return html_to_pdf(html, extra_css=PRINT_CSS.read_text(encoding="utf-8"))
