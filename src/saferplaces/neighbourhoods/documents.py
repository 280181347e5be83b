"""The profile as documents: its tables (for CSV and XLSX) and the PDF (WeasyPrint, A4).

Every table is built once from the cached profile, so the page, the CSV, the workbook and the
PDF show the same numbers. Small on purpose: shared report helpers may replace it later.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRINT_CSS = Path(__file__).with_name("print.css")


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    source: str = ""
    notes: list[str] = field(default_factory=list)


def file_stem(neighbourhood: Any) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", neighbourhood.name.lower()).strip("-") or "neighbourhood"
    return f"neighbourhood-profile-{slug[:60]}"


def _cmp(c: dict[str, Any]) -> list[Any]:
    return [c["rate"], c["ratio"], c["lower"], c["upper"], c["p_value"], c["sentence"]]


def profile_tables(p: dict[str, Any]) -> list[Table]:
    """The profile's tables, in page order."""
    period = p["period"]
    population = p["population"]
    tables = [
        Table(
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
        Table(
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
        Table(
            "age",
            "Residents by age (Census 2021)",
            ["Age band", "Residents", "Share"],
            [[b["band"], b["residents"], b["share"]] for b in population["age_bands"]],
            population["age_source"] or population["age_note"],
        ),
        Table(
            "deprivation",
            "Small areas by deprivation decile (IMD 2019)",
            ["IMD decile (1 = most deprived)", "Small areas", "Residents"],
            [[d["decile"], d["lsoas"], d["residents"]] for d in p["imd"]["deciles"]],
            "English Indices of Deprivation 2019, mapped to 2021 LSOAs",
        ),
        Table(
            "monthly",
            f"Crimes by month, {p['trend']['period']}",
            ["Month", "Crimes", "Crimes in the 12 months to this month"],
            [[m["month"], m["count"], m["rolling_12"]] for m in p["trend"]["series"]],
            "Empty: no data for the month (a gap, not a zero)",
        ),
        Table(
            "top-small-areas",
            f"Small areas with the most crimes, {period}",
            ["Rank", "Name", "LSOA code", "Crimes", "95% lower", "95% upper", "Share"],
            [
                [r["rank"], r["name"], r["code"], r["count"], r["lower"], r["upper"], r["share"]]
                for r in p["hotspots"]["top"]
            ],
        ),  # fmt: skip
        Table(
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
            Table(
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
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.headers)
    writer.writerows(["" if v is None else v for v in row] for row in table.rows)
    if table.source:
        writer.writerow([])
        writer.writerow([f"Source: {table.source}"])
    # A byte-order mark, so Excel reads the names (Anti-social …, Leicestershire …) as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def profile_xlsx(name: str, p: dict[str, Any], tables: list[Table]) -> bytes:
    """One sheet per table, and an 'About' sheet saying what the figures were computed from."""
    import xlsxwriter

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "nan_inf_to_errors": True})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    about = book.add_worksheet("About")
    provenance = p["provenance"]
    lines = [
        ("Neighbourhood", name),
        ("Small areas (LSOAs)", ", ".join(provenance["lsoas"])),
        ("Period", p["period"]),
        ("Months of data used", provenance["months_used"]),
        ("Recording forces", ", ".join(provenance["forces"])),
        ("Population", f"Census 2021 usual residents ({provenance['population_year']})"),
        ("Compared with", f"{p['partnership_label']}; {p['force_label']}"),
        ("Baseline month", p["baseline"]),
        ("Data catalogue version", provenance["catalogue_version"]),
        ("crimestats version", provenance["crimestats_version"]),
        ("Computed at", str(provenance["computed_at"] or "")),
    ]
    about.set_column(0, 0, 28)
    about.set_column(1, 1, 90)
    for i, (key, value) in enumerate(lines):
        about.write(i, 0, key, bold)
        about.write(i, 1, value)
    used: set[str] = {"About"}
    for table in tables:
        title = re.sub(r"[\[\]:*?/\\]", "", table.title)[:31]
        while title in used:
            title = title[:28] + f" {len(used)}"
        used.add(title)
        sheet = book.add_worksheet(title)
        sheet.write_row(0, 0, table.headers, bold)
        for r, row in enumerate(table.rows, start=1):
            sheet.write_row(r, 0, ["" if v is None else v for v in row])
        if table.source:
            sheet.write(len(table.rows) + 2, 0, f"Source: {table.source}")
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, len(table.headers) - 1, 14)
        sheet.freeze_panes(1, 1)
    book.close()
    return output.getvalue()


def profile_pdf(request: HttpRequest, context: dict[str, Any]) -> bytes:
    """The profile as an A4 PDF with page numbers, from its own print template."""
    from weasyprint import CSS, HTML

    html = render_to_string("neighbourhoods/profile_print.html", context, request=request)
    document = HTML(string=html, base_url=request.build_absolute_uri("/"))
    return bytes(
        document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))], uncompressed_pdf=True)
    )
