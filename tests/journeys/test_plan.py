"""The Community Safety Plan in a browser: from the assessment's priorities to the public page.

The demo manager creates the 2026–2029 plan, takes its priorities from the approved strategic
assessment (keeping the evidence link), assigns an action to Leicestershire Police, sends the
plan for approval, approves it with the minute and publishes it. The demo partner officer, of
Leicestershire Police, posts progress on that action. A resident reads the public summary on a
phone (375 px), axe-clean, with nothing scrolling sideways at 320 px.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from saferplaces.accounts.models import Partnership, User
from saferplaces.assessments.models import Assessment, AssessmentStatus
from saferplaces.plans.models import Action, ProgressUpdate
from tests.journeys.conftest import DESKTOP, NARROW, save_screenshot
from tests.journeys.people import expect_no_sideways_scroll, sign_in, sign_out
from tests.saferplaces.assessments._documents import small_document

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

MANAGER = "manager@demo.saferplaces.test"
OFFICER = "officer@demo.saferplaces.test"
PHONE_375 = {"width": 375, "height": 812}


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> dict[str, Any]:
    """The demo partnership and users, with an approved strategic assessment."""
    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    password = json.loads((tmp_path / "demo-credentials.json").read_text())["password"]
    partnership = Partnership.objects.get(gss_code="E22000170")
    Assessment.objects.create(
        partnership=partnership,
        title="Strategic assessment: North West Leicestershire, January to December 2025",
        status=AssessmentStatus.APPROVED,
        number=1,
        approved_by=User.objects.get(email=MANAGER),
        document=small_document(),
        options={"area": "E07000134", "last_month": "2025-12-01", "months": 12},
        progress=100,
    )
    return {"password": password}


def _open_plan_menu(page: Page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Community safety plan")


def test_plan_from_assessment_to_public_summary(open_journey: Any, demo: dict[str, Any]) -> None:
    journey = open_journey(viewport=DESKTOP)
    page = journey.page
    journey.context.set_default_timeout(60_000)
    page.goto(journey.url("/sign-in/"))
    sign_in(page, MANAGER, demo["password"])

    # The manager starts the plan; a period out of order is refused with a clear message.
    _open_plan_menu(page)
    page.get_by_role("button", name="Start a new plan").click()
    page.get_by_label("First year").fill("2029")
    page.get_by_label("Last year").fill("2026")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The last year of the plan must be the same as or after the first year"
    )
    journey.check("plan-new-error")
    page.get_by_label("First year").fill("2026")
    page.get_by_label("Last year").fill("2029")
    page.get_by_label("Vision").fill("A district where people feel safe at home and in town.")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Community Safety Plan 2026–2029")

    # Priorities from the approved assessment, keeping the evidence link.
    page.get_by_role("button", name="Add priorities from the strategic assessment").click()
    journey.check("plan-from-assessment")
    page.get_by_label("1. Shoplifting").check()
    page.get_by_label("2. Burglary").check()
    page.get_by_role("button", name="Add the chosen priorities").click()
    expect(page.get_by_text("Priorities added from the assessment")).to_be_visible()
    expect(page.get_by_role("link", name="Strategic assessment version 1").first).to_be_visible()

    # An action for Leicestershire Police under Burglary.
    page.get_by_role("link", name="Add an action to Burglary").click()
    page.get_by_label("Key activity").fill("Visit every repeat burglary victim within 48 hours")
    page.get_by_label("Leicestershire Police").check()
    page.get_by_label("Prevention", exact=True).check()
    page.get_by_label("Completion date").fill("2027-03-31")
    journey.check("plan-action-new")
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_text("Action added to the action plan.")).to_be_visible()

    # Sign-off: send for approval, approve with the minute, publish.
    page.get_by_role("button", name="Send for approval").click()
    page.get_by_role("button", name="Send for approval").click()
    page.get_by_role("button", name="Approve the plan").click()
    page.get_by_label("The decision as minuted").fill(
        "Partnership board, 12 March 2026, item 5: plan approved"
    )
    page.get_by_label("Date of the decision").fill("2026-03-12")
    journey.check("plan-approve")
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.locator("#approval-trail ~ div")).to_contain_text("item 5: plan approved")
    page.get_by_role("button", name="Publish to residents").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published. Residents can now read")).to_be_visible()
    journey.check("plan-detail-manager")
    sign_out(page)

    # The Leicestershire Police officer posts progress on their action.
    page.goto(journey.url("/sign-in/"))
    sign_in(page, OFFICER, demo["password"])
    _open_plan_menu(page)
    page.get_by_role("link", name="Community Safety Plan 2026–2029").click()
    page.get_by_role("link", name="Post progress on Visit every repeat burglary").click()
    page.get_by_label("What has been done").fill("32 victims visited; locks fitted at 12 homes.")
    page.get_by_label("Evidence").fill("Crime prevention visit log")
    page.get_by_label("Status of the action now").select_option("on_track")
    journey.check("plan-progress")
    page.get_by_role("button", name="Post the update").click()
    expect(page.get_by_text("Progress update posted.")).to_be_visible()
    expect(page.get_by_role("region", name="Action plan (scrolls sideways)")).to_contain_text(
        "32 victims visited"
    )
    journey.check("plan-detail-officer")
    save_screenshot(page, "plan-detail-1280")
    assert ProgressUpdate.objects.get().author.email == OFFICER
    assert Action.objects.get().status == "on_track"
    sign_out(page)

    # A resident on a phone: the home page links the published plan.
    page.set_viewport_size(PHONE_375)
    page.goto(journey.url("/"))
    page.get_by_role("link", name="Community Safety Plan 2026–2029").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Our community safety plan, 2026–2029"
    )
    expect(page.get_by_text("Visit every repeat burglary victim within 48 hours")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Olu Officer")
    expect(page.locator("main")).not_to_contain_text("Morgan Manager")
    journey.check("plan-public-375")
    save_screenshot(page, "plan-public-375")
    page.set_viewport_size(NARROW)
    expect_no_sideways_scroll(page)
