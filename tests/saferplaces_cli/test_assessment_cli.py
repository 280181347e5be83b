"""``saferplaces assessment build``: three files for North West Leicestershire 2025; one line
and exit 1 for an unknown area or a period without data. The PDF is checked here (pdftotext)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.crimestats.measures._realstore import real_data_dir
from typer.testing import CliRunner

from saferplaces_cli.main import app

pytestmark = pytest.mark.realdata

NWL = "E07000134"
runner = CliRunner()


def _build(*args: str):
    return runner.invoke(app, ["assessment", "build", *args, "--data-dir", str(real_data_dir())])


def _error_line(result) -> str:
    text = result.stderr if result.stderr else result.output
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("assessment")
    result = _build("-a", NWL, "--from", "2025-01", "--to", "2025-12", "--out", str(folder))
    assert result.exit_code == 0, result.output
    assert f"Wrote {folder / 'assessment.pdf'}" in result.stdout  # the whole path, one line
    return folder


def test_writes_html_pdf_and_xlsx(out: Path) -> None:
    html = (out / "assessment.html").read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Strategic assessment: North West Leicestershire, January to December 2025" in html
    assert (out / "assessment.xlsx").read_bytes()[:2] == b"PK"


def test_pdf_has_contents_page_numbers_and_many_pages(out: Path) -> None:
    pdf = (out / "assessment.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is needed: make system-libs installs it"
    text = subprocess.run(
        [tool, "-layout", str(out / "assessment.pdf"), "-"], capture_output=True, check=True,
        text=True,
    ).stdout  # fmt: skip
    assert text.count("\f") > 5  # pdftotext ends every page with a form feed
    assert "Contents" in text
    assert re.search(r"Priority matrix \.+ *\d+", text)  # contents with page numbers
    assert "Page 1 of" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-a", "NOT-A-CODE"], "unknown area"),
        (["-a", NWL, "--from", "2030-01", "--to", "2030-12"], "no data for North West"),
        (["-a", NWL, "--from", "2025-13", "--to", "2025-12"], "not a month"),
    ],
)
def test_bad_input_gives_one_line_and_exit_1(tmp_path: Path, args, message) -> None:
    result = _build(*args, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    line = _error_line(result)
    assert line.startswith("Error:")
    assert message in line
    assert not (tmp_path / "out").exists()  # nothing half-written
