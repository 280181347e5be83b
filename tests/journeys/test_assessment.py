"""The strategic assessment, drafted, edited, submitted, approved and downloaded in a browser.

The demo analyst starts a draft of North West Leicestershire's 2025 assessment from the real
data (the test settings run tasks at once, inside the request, so the build finishes before the
status page shows), rewrites the executive summary, changes a priority score with a reason and
submits it; the demo manager approves it and downloads the PDF.
"""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import Page, expect

from saferplaces.assessments.models import Assessment, AssessmentStatus
from tests.journeys.conftest import DESKTOP, SCREENSHOTS, save_screenshot
from tests.journeys.people import expect_no_sideways_scroll, sign_in, sign_out
from tests.saferplaces.analytics._stores import real_data_dir

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

ANALYST = "analyst@demo.saferplaces.test"
MANAGER = "manager@demo.saferplaces.test"
# The build runs inside the request that starts it (about ten seconds on two busy cores).
BUILD_TIMEOUT = 180_000
PHONE_375 = {"width": 375, "height": 812}


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> dict[str, Any]:
    """The demo partnership and users over the real Leicestershire store (2024 and 2025)."""
    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    password = json.loads((tmp_path / "demo-credentials.json").read_text())["password"]
    settings.DATA_DIR = real_data_dir()
    cache.clear()
    return {"password": password}


def _at_375(page: Page, name: str) -> None:
    """A screenshot at a phone's width, then back to the desktop."""
    page.set_viewport_size(PHONE_375)
    expect_no_sideways_scroll(page)
    save_screenshot(page, f"{name}-375")
    page.set_viewport_size(DESKTOP)


def _element_screenshot(page: Page, selector: str, name: str) -> None:
    """One part of a long page, at the desktop and a phone's width (for reviewing the layout)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("1280", DESKTOP), ("375", PHONE_375)):
        page.set_viewport_size(size)
        page.locator(selector).screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"))
    page.set_viewport_size(DESKTOP)


def _open_assessments(page: Page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Assessments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategic assessments")


def test_assessment_drafted_edited_approved_and_downloaded(
    open_journey: Any, demo: dict[str, Any]
) -> None:
    journey = open_journey(viewport=DESKTOP)
    page = journey.page
    # The document is a long page (a chapter and charts per crime type): a full-page screenshot
    # and axe take longer than the usual ten seconds on two shared cores.
    journey.context.set_default_timeout(90_000)
    page.goto(journey.url("/sign-in/"))
    sign_in(page, ANALYST, demo["password"])

    # The guided build: the defaults are the latest 12 months held, 36 months of trend.
    _open_assessments(page)
    journey.check("assessment-list-empty")
    page.get_by_role("button", name="Start a new draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a new draft assessment")
    expect(page.get_by_label("Month", exact=True)).to_have_value("12")
    expect(page.get_by_label("Year", exact=True)).to_have_value("2025")
    expect(page.get_by_label("Months in the assessment period")).to_have_value("12")
    expect(page.get_by_label("Months of history for the trend")).to_have_value("36")
    journey.check("assessment-new")

    # A period outside the data: an error summary, nothing saved.
    page.get_by_label("Year", exact=True).fill("2027")
    page.get_by_role("button", name="Draft the assessment").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose a last month from December 2024 to December 2025")
    journey.check("assessment-new-error")
    assert not Assessment.objects.exists()

    page.get_by_label("Year", exact=True).fill("2025")
    page.get_by_role("button", name="Draft the assessment").click(timeout=BUILD_TIMEOUT)
    expect(page.get_by_role("heading", name="Draft ready")).to_be_visible(timeout=BUILD_TIMEOUT)
    journey.check("assessment-status-ready")
    page.get_by_role("button", name="Open the draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Strategic assessment: North West Leicestershire, January to December 2025"
    )
    expect(page.get_by_text("Draft: not approved")).to_be_visible()
    # Every figure can be traced to what it was computed from.
    first_figure = page.locator("details", has_text="Where this figure comes from").first
    first_figure.get_by_text("Where this figure comes from").click()
    expect(first_figure.get_by_text("Engine version (crimestats)")).to_be_visible()
    journey.check("assessment-detail")
    save_screenshot(page, "assessment-detail-1280")
    _at_375(page, "assessment-detail")

    # Rewrite the executive summary (a script in it is removed on saving).
    page.get_by_role("link", name="Change the text of ‘Executive summary’").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change ‘Executive summary’")
    page.get_by_label("Text of the section").fill(
        "Crime in North West Leicestershire is <strong>lower</strong> than in the rest of "
        "the force area.<script>alert(1)</script>\n\nThe partnership should focus on:\n\n"
        "<ul><li>violence in Coalville town centre</li><li>shoplifting</li></ul>"
    )
    journey.check("assessment-section-edit")
    save_screenshot(page, "assessment-section-edit-1280")
    _at_375(page, "assessment-section-edit")
    page.get_by_role("button", name="Save the section").click()
    expect(page.get_by_text("‘Executive summary’ saved.")).to_be_visible()
    summary_section = page.locator("#section-executive-summary")
    expect(summary_section.locator("strong", has_text="lower")).to_be_visible()
    expect(summary_section.get_by_text("violence in Coalville town centre")).to_be_visible()
    assert "alert(1)" not in summary_section.inner_html()

    # Change a priority score: without a reason it is refused, with one it is kept.
    matrix = page.locator("#section-priority-matrix")
    change = matrix.get_by_role("link", name=re.compile(r"^Change the score for ")).nth(2)
    label = (change.text_content() or "").replace("Change the score for ", "").strip()
    change.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Change the score for {label}")
    page.get_by_label("New score").fill("5")
    page.get_by_role("button", name="Save the score").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a reason for changing the score"
    )
    journey.check("assessment-override-error")
    page.get_by_label("Reason for the change").fill(
        "Residents named it their first concern at every 2025 neighbourhood meeting."
    )
    page.get_by_role("button", name="Save the score").click()
    expect(page.get_by_text(f"Score for {label} changed, with your reason.")).to_be_visible()
    expect(page.get_by_text("Residents named it their first concern")).to_be_visible()
    _element_screenshot(page, "#section-priority-matrix", "assessment-priority-matrix")

    # Submit for approval.
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Submit for approval")
    expect(page.get_by_text("Executive summary", exact=True)).to_be_visible()
    journey.check("assessment-submit")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Submitted for approval.")).to_be_visible()
    expect(page.get_by_text("Waiting for a partnership manager to approve it.")).to_be_visible()
    sign_out(page)

    # The manager approves it, then downloads the PDF and the workbook.
    page.goto(journey.url("/sign-in/"))
    sign_in(page, MANAGER, demo["password"])
    _open_assessments(page)
    save_screenshot(page, "assessment-list-1280")
    _at_375(page, "assessment-list")
    page.get_by_role("link", name=re.compile("^Strategic assessment: North West")).click()
    page.get_by_role("button", name="Approve or send back").click()
    page.get_by_label("Approve this version").check()
    page.get_by_label("Note").fill("Agreed at the partnership board on 20 January 2026.")
    journey.check("assessment-review")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Approved as version 1.")).to_be_visible()
    expect(page.get_by_text("Approved version 1", exact=True)).to_be_visible()
    assert Assessment.objects.get().status == AssessmentStatus.APPROVED

    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF document").click()
    pdf_path = pdf.value.path()
    assert pdf.value.suggested_filename == "strategic-assessment-2025-12-version-1.pdf"
    assert Path(pdf_path).read_bytes()[:4] == b"%PDF"
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Spreadsheet (XLSX)").click()
    assert Path(xlsx.value.path()).read_bytes()[:2] == b"PK"
    journey.check("assessment-approved")
