"""The dashboard's files (CSV of a table, XLSX of all, PDF of the page) and the page's own bits
that depend on the filters (the items of each filter and the download links).

Every file is made from the same :class:`saferplaces_reports.tables.Table` objects the page
shows, so a figure in a download is the figure on screen.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from crimestats.months import month_label
from saferplaces.analytics.forms import PERIODS, DashboardFilterForm, Filters
from saferplaces_reports.pdf import html_to_pdf
from saferplaces_reports.tables import to_csv, workbook

FORMATS = {"csv": "CSV", "xlsx": "spreadsheet (XLSX)", "pdf": "PDF"}
EXTRA_CSS = """
.app-heat-1 { background: #d2e2f1; } .app-heat-2 { background: #a5c5e3; }
.app-heat-3 { background: #5694ca; } .app-heat-4 { background: #1d70b8; color: #fff; }
.app-stats { list-style: none; padding: 0; } .app-stat { border-top: 3pt solid #1d70b8;
  padding: 2mm 0; margin-bottom: 2mm; break-inside: avoid; }
.app-stat__label { font-size: 10.5pt; margin: 0; } .app-stat__value { font-size: 15pt;
  font-weight: bold; margin: 1mm 0; } .app-stat__text { margin: 0 0 1mm; }
.govuk-visually-hidden { display: none; } .app-code { display: block; color: #505a5f; }
@page wide { size: A4 landscape; }
.app-heat-block { page: wide; }
.app-heat { font-size: 7pt; } .app-heat th, .app-heat td { padding: 0.7mm 0.8mm; }
"""


def _name(filters: Filters, suffix: str) -> str:
    span = (
        month_label(filters.last)
        if filters.first == filters.last
        else (f"{month_label(filters.first)}-to-{month_label(filters.last)}")
    )
    area = filters.area.lower()
    return f"crime-{filters.category}-{area}-{span}{suffix}"


def problem(file_format: str, table: str, data: Any) -> str | None:
    """Why a download cannot be made, in words; ``None`` when it can."""
    if file_format not in FORMATS:
        return f"“{file_format[:20]}” is not a download: choose CSV, spreadsheet (XLSX) or PDF"
    if data is None or data.state != "ready":
        return "There are no figures to download for these filters"
    if file_format == "csv" and table not in data.view["tables"]:
        names = ", ".join(data.view["table_order"])
        return f"There is no table called “{table[:30]}”: choose one of {names}"
    return None


def _attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(data: Any, filters: Filters, key: str) -> HttpResponse:
    table = data.view["tables"][key]
    return _attachment(to_csv(table), "text/csv; charset=utf-8", _name(filters, f"-{key}.csv"))


def xlsx_response(data: Any, filters: Filters) -> HttpResponse:
    view = data.view
    tables = [view["tables"][key] for key in view["table_order"]]
    content = workbook(tables, title=view["title"], about=view["about"])
    return _attachment(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _name(filters, ".xlsx"),
    )


def pdf_response(html: str, filters: Filters) -> HttpResponse:
    return _attachment(
        html_to_pdf(html, extra_css=EXTRA_CSS), "application/pdf", _name(filters, ".pdf")
    )


def page_context(form: DashboardFilterForm, setup: Any, filters: Filters | None) -> dict[str, Any]:
    """The filter items (the current choice selected, even a wrong one) and download links."""
    from saferplaces.analytics.dashboard import category_choices, month_items

    raw = form.data
    current = filters.params() if filters else {}

    def chosen(name: str, default: str = "") -> str:
        return str(current.get(name) or raw.get(name) or default)

    months = month_items(setup)
    context: dict[str, Any] = {
        "period_items": list(PERIODS.items()),
        "month_items": months,
        "area_items": [(c.value, c.label) for c in setup.areas],
        "category_items": category_choices(),
        "chosen": {
            name: chosen(name) for name in ("period", "month", "start", "end", "area", "category")
        },
        "downloads": [],
    }
    if not context["chosen"]["month"] and months:
        context["chosen"]["month"] = months[0][0]
    if filters is not None:
        context["query"] = filters.query()
        context["downloads"] = [
            {
                "text": "All tables as a spreadsheet (XLSX)",
                "href": "?" + filters.query(format="xlsx"),
            },
            {"text": "This page as a PDF", "href": "?" + filters.query(format="pdf")},
        ]
    return context
