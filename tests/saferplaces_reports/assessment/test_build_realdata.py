"""A real-data build for North West Leicestershire, 2025: the document's figures are the
engine's figures, its text is fit for a board, and its workbook holds the matrix.

The PDF is checked in tests/saferplaces_cli/test_assessment_cli.py on the command's output.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import UTC, date, datetime
from html import unescape

import pytest

from crimestats import measures
from crimestats.engines import open_engine
from crimestats.store import Store
from saferplaces_reports.assessment import (
    AssessmentDocument,
    AssessmentOptions,
    NoDataError,
    build_assessment,
    render_html,
    render_xlsx,
)
from saferplaces_reports.assessment.rescore import rescore
from tests.crimestats.measures._realstore import real_data_dir

pytestmark = pytest.mark.realdata

NWL = "E07000134"
NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def engine():
    opened = open_engine(Store(real_data_dir()))
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def doc(engine) -> AssessmentDocument:
    steps: list[tuple[str, float]] = []
    options = AssessmentOptions(NWL, last_month=date(2025, 12, 1))
    built = build_assessment(engine, options, now=NOW, progress=lambda s, f: steps.append((s, f)))
    assert steps[-1] == ("Done", 1.0)
    return built


def test_headline_figures_equal_the_measures_called_directly(engine, doc) -> None:
    period = {"last": "2025-12", "months": 12}
    counts = measures.counts(engine, NWL, **period)
    rate = measures.rates(engine, NWL, **period)
    comparison = measures.compare(engine, NWL, "rest-of-force", **period)
    overall = doc.section("overall")
    assert overall.figure("overall-count").value == counts.total == 6697
    assert overall.figure("overall-rate").value == pytest.approx(rate.rate.rate)
    assert overall.figure("overall-comparison").value == pytest.approx(comparison.ratio.rate_ratio)
    # 2024 has no data after April, so the change is tested on January to April of both years.
    change = measures.change(
        engine, NWL, period_1=("2024-01", "2024-04"), period_2=("2025-01", "2025-04")
    )
    figure = overall.figure("overall-change")
    assert figure.value == pytest.approx(change.test.rate_ratio)
    assert change.test.verdict.estimate_text in figure.text
    assert "January to April 2025 against January to April 2024" in figure.text
    assert figure.provenance["data_months"] == ["2024-01", "2025-12"]
    burglary = measures.counts(engine, NWL, categories="burglary", **period)
    assert doc.section("crime-burglary").figure("crime-burglary-count").value == burglary.total


def test_every_figure_carries_its_provenance(doc) -> None:
    for section in doc.all_sections():
        for figure in section.figures:
            p = figure.provenance
            assert p["data_months"], figure.key
            assert p["forces"], figure.key
            assert p["method"], figure.key
            assert p["crimestats_version"]
            assert p["computed_at"] == "2026-01-10T12:00:00+00:00"
    rate = doc.section("overall").figure("overall-rate").provenance
    assert rate["population_year"] == 2021
    assert doc.provenance["months_missing"][:2] == ["2023-01", "2023-02"]


def test_sections_are_in_the_order_the_issue_asks(doc) -> None:
    keys = [s.key for s in doc.sections]
    assert keys == [
        "executive-summary", "methodology", "overall", "crime-types", "place", "harm",
        "priority-matrix", "recommendations", "annex", "method-details",
    ]  # fmt: skip
    chapters = [c.key for c in doc.section("crime-types").children]
    assert chapters[0] == "crime-violent-crime"
    assert chapters[-1] == "crime-anti-social-behaviour"
    assert len(chapters) == 14
    # Three complete years are not held, so no chapter shows a seasonal index.
    assert all(len(c.charts) == 1 for c in doc.section("crime-types").children)
    assert "DRAFT FOR THE ANALYST TO EDIT" in doc.section("recommendations").narrative_default


def test_reader_facing_text_has_no_rows_section_signs_or_bare_small_percentages(doc) -> None:
    html = render_html(doc, status_label="Draft")
    body = html.split('id="method-details"')[0]
    text = unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<img[^>]*>", "", body)))
    assert "§" not in text
    assert not re.search(r"\brows?\b", text)
    assert "Contents" in text
    assert "Priority matrix" in text
    # Robbery has 28 crimes, theft from the person 47: shares shown; no share below 10 events.
    for row in doc.section("overall").tables[0].rows:
        if isinstance(row[1], int) and row[1] < 10:
            assert row[2] == ""


def test_narrative_and_overrides_are_applied_when_rendering(doc) -> None:
    html = render_html(
        doc, narrative={"executive-summary": "<p>Our <strong>own</strong> words.</p>"},
        overrides={"shoplifting": (5.0, "Town-centre retailers report rising theft")},
        status_label="Submitted",
    )  # fmt: skip
    assert "<p>Our <strong>own</strong> words.</p>" in html
    assert "Town-centre retailers report rising theft" in html
    assert "Submitted" in html
    escaped = render_html(doc, narrative=None)
    assert "<script" not in escaped
    again = rescore(doc, overrides={"shoplifting": (5.0, "Retailers")})
    assert again.priorities[0].category == "shoplifting"
    assert "1. Shoplifting" in again.section("executive-summary").narrative_default
    assert doc.priorities[0].category != "shoplifting"  # the original is unchanged


def test_the_document_round_trips_and_the_workbook_has_the_matrix(doc) -> None:
    assert AssessmentDocument.from_dict(json.loads(json.dumps(doc.to_dict()))) == doc
    book = zipfile.ZipFile(io.BytesIO(render_xlsx(doc)))
    sheets = re.findall(r'<sheet name="([^"]+)"', book.read("xl/workbook.xml").decode())
    assert sheets[:3] == ["About", "Priority matrix", "Evidence behind every score"]
    assert "Provenance" in sheets
    assert "Figures and their provenance" in sheets


def test_a_period_without_data_raises_no_data_error(engine) -> None:
    with pytest.raises(NoDataError, match="no data for North West Leicestershire"):
        build_assessment(engine, AssessmentOptions(NWL, last_month=date(2023, 6, 1), months=6))
    with pytest.raises(ValueError, match="unknown area"):
        build_assessment(engine, AssessmentOptions("E99999999"))
