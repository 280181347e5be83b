"""Charts, tables and PDFs as people receive them."""

from __future__ import annotations

import base64
import csv
import io
import zipfile
from datetime import date

import pytest

from saferplaces_reports import charts
from saferplaces_reports.pdf import html_to_pdf, local_fetcher
from saferplaces_reports.tables import Table, to_csv, workbook

MONTHS = [date(2024, m, 1) for m in range(1, 13)]


def test_monthly_series_shows_a_missing_month_as_a_gap_and_says_so() -> None:
    values = [10, 12, None, 9, 11, 14, 13, 12, 10, 9, 8, 11]
    chart = charts.monthly_series(MONTHS, values, title="All crime")
    assert chart.svg.startswith("<svg")
    assert "1 month(s) missing" in chart.alt
    assert "1 month(s) with no data: gaps" in chart.svg  # text kept as text (svg.fonttype none)
    decoded = base64.b64decode(chart.data_url.split(",", 1)[1]).decode()
    assert decoded == chart.svg


def test_the_same_chart_gives_the_same_bytes() -> None:
    one = charts.bars(["A", "B"], [3, 4], title="T", x_label="Crimes")
    two = charts.bars(["A", "B"], [3, 4], title="T", x_label="Crimes")
    assert one.svg == two.svg


def test_series_of_unequal_length_is_refused() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        charts.monthly_series(MONTHS, [1, 2], title="x")


def test_csv_defuses_formulas_and_leaves_missing_figures_empty() -> None:
    table = Table("t", "T", ("Name", "Crimes"), (("=HYPERLINK(1)", 3), ("-5", None)))
    rows = list(csv.reader(io.StringIO(to_csv(table))))
    assert rows == [["Name", "Crimes"], ["'=HYPERLINK(1)", "3"], ["-5", ""]]


def test_table_rejects_a_row_of_the_wrong_width_naming_the_line() -> None:
    with pytest.raises(ValueError, match="line 2 has 1 cells for 2 columns"):
        Table("t", "T", ("a", "b"), ((1, 2), (1,)))


def test_workbook_has_an_about_sheet_and_one_sheet_per_table_with_text_not_formulas() -> None:
    tables = [
        Table("a", "Crimes by month", ("Month", "Crimes"), ((date(2024, 1, 1), 5),)),
        Table("b", "Crimes by month", ("Ward", "Note"), (("Greenhill", "=1+1"),), ("From x",)),
    ]
    data = workbook(tables, title="Dashboard", about=["Data: police.uk"])
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        names = book.namelist()
        shared = book.read("xl/sharedStrings.xml").decode()
        sheets = book.read("xl/workbook.xml").decode()
    assert sum(n.startswith("xl/worksheets/sheet") for n in names) == 3
    assert 'name="About"' in sheets
    assert 'name="Crimes by month 2"' in sheets
    assert "=1+1" in shared  # stored as a string, so no formula is run


def test_pdf_is_a4_with_page_numbers_and_refuses_the_network() -> None:
    pdf = html_to_pdf("<h1>Title</h1><p>Hello</p>")
    assert pdf.startswith(b"%PDF")
    with pytest.raises(ValueError, match="disallowed protocol"):
        local_fetcher().fetch("https://example.org/x.png")
