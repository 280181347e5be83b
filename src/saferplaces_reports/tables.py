"""Tables as people download them: CSV per table, one XLSX workbook of all of a page's tables.

A :class:`Table` is what a page shows under a chart and what a download holds, so the numbers
on screen and in the file are the same numbers. Each table carries its own notes (what it was
computed from), written above the header in the workbook and kept in the CSV's companion
"About" lines.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import xlsxwriter

Cell = str | int | float | date | None

# A cell a spreadsheet would run as a formula (CSV/formula injection, OWASP): text starting with
# one of these is written with a leading apostrophe in CSV and always as text in XLSX.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """A titled table with its provenance; ``key`` names its files (``crimes-by-month.csv``)."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", self.key):
            raise ValueError(f"table key {self.key!r} must be lower-case words joined by '-'")
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.key!r} line {number} has {len(row)} cells for "
                    f"{len(self.columns)} columns"
                )


def _csv_cell(value: Cell) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        # A negative number written as text stays readable; anything else is defused.
        try:
            float(value)
        except ValueError:
            return "'" + value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def to_csv(table: Table) -> str:
    """The table as CSV text: header, rows; empty cells where a figure is missing (not 0)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue()


def csv_download(table: Table) -> bytes:
    """The CSV a person downloads: a byte-order mark (so Excel reads names such as
    "Anti-social behaviour" as UTF-8), the table, then a blank line and its notes, so the file
    still says what its figures were computed from once it leaves the page."""
    text = to_csv(table)
    if table.notes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([])
        for note in table.notes:
            writer.writerow([_csv_cell(note)])
        text += buffer.getvalue()
    return ("\ufeff" + text).encode("utf-8")


def _sheet_name(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique within the workbook.
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28] or "Table"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:26]} {n}"
        n += 1
    used.add(name.lower())
    return name


def workbook(tables: Sequence[Table], *, title: str, about: Sequence[str] = ()) -> bytes:
    """One XLSX workbook: an "About" sheet (title and provenance), then a sheet per table."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    heading = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    month = book.add_format({"num_format": "mmm yyyy"})
    about_sheet = book.add_worksheet("About")
    about_sheet.set_column(0, 0, 110)
    about_sheet.write_string(0, 0, title, heading)
    for line, text in enumerate(about, start=2):
        about_sheet.write_string(line, 0, text, wrap)
    used = {"about"}
    for table in tables:
        sheet = book.add_worksheet(_sheet_name(table.title, used))
        sheet.write_string(0, 0, table.title, heading)
        line = 1
        for note in table.notes:
            sheet.write_string(line, 0, note)
            line += 1
        header_line = line + 1 if table.notes else line
        for column, name in enumerate(table.columns):
            sheet.write_string(header_line, column, name, bold)
            widest = max([len(name)] + [len(str(row[column] or "")) for row in table.rows[:200]])
            sheet.set_column(column, column, min(60, max(10, widest + 2)))
        for offset, row in enumerate(table.rows, start=1):
            for column, value in enumerate(row):
                at = header_line + offset
                if value is None:
                    sheet.write_blank(at, column, None)
                elif isinstance(value, bool):
                    sheet.write_string(at, column, "yes" if value else "no")
                elif isinstance(value, int | float):
                    sheet.write_number(at, column, value)
                elif isinstance(value, datetime | date):
                    sheet.write_datetime(at, column, datetime(value.year, value.month, value.day),
                                         month)  # fmt: skip
                else:
                    sheet.write_string(at, column, str(value))
        sheet.freeze_panes(header_line + 1, 0)
    book.close()
    return buffer.getvalue()
