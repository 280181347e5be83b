"""Plan indicators in a browser: a manager reads an indicator's chart and table, overrides its
colour (a reason is required), makes the board pack and downloads its PDF.

The demo partnership gets a published plan and two indicators over the real Leicestershire
store (2024 January to April and all of 2025): anti-social behaviour in the district (bound;
red: the rise is real) and a residents' survey (manual, example figures).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.journeys.conftest import DESKTOP, SCREENSHOTS, save_screenshot
from tests.journeys.people import expect_no_sideways_scroll, sign_in
from tests.saferplaces.analytics._stores import real_data_dir

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

MANAGER = "manager@demo.saferplaces.test"
PHONE_375 = {"width": 375, "height": 812}
ASB = "Anti-social behaviour incidents in North West Leicestershire"


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> dict[str, Any]:
    from saferplaces.accounts.models import Partnership, User
    from saferplaces.accounts.permissions import roles_in_partnership
    from saferplaces.indicators import meetings, services
    from saferplaces.indicators.tasks import refresh_run
    from saferplaces.plans.models import Plan, Priority

    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    password = json.loads((tmp_path / "demo-credentials.json").read_text())["password"]
    settings.DATA_DIR = real_data_dir()
    cache.clear()
    partnership = Partnership.objects.get(gss_code="E22000170")
    manager = User.objects.get(email=MANAGER)
    roles = roles_in_partnership(manager, partnership)
    plan = Plan.objects.create(
        partnership=partnership,
        title="Community Safety Plan",
        start_year=2026,
        end_year=2029,
        status="published",
    )
    asb = Priority.objects.create(
        plan=plan, title="Anti-social behaviour", order=1, lead_officer=manager
    )
    services.indicator_create(
        plan=plan,
        by=manager,
        roles=roles,
        data={
            "name": ASB,
            "priority": asb,
            "kind": "bound",
            "unit": "incidents",
            "direction": "lower",
            "frequency": "monthly",
            "baseline_value": 800.0,
            "baseline_month": date(2024, 12, 1),
            "target_value": 700.0,
            "target_date": date(2026, 12, 1),
            "measure": {
                "area": {"kind": "partnership"},
                "categories": ["anti-social-behaviour"],
                "measure": "count",
            },
        },
    )
    survey = services.indicator_create(
        plan=plan,
        by=manager,
        roles=roles,
        data={
            "name": "Residents who feel safe after dark (survey)",
            "priority": asb,
            "kind": "manual",
            "unit": "%",
            "direction": "higher",
            "frequency": "quarterly",
            "baseline_value": 62.0,
            "baseline_month": date(2024, 12, 1),
            "target_value": 70.0,
            "target_date": date(2027, 12, 1),
        },
    )
    services.indicator_value_enter(
        indicator=survey,
        by=manager,
        roles=roles,
        organisation_ids=set(),
        month=date(2025, 3, 1),
        value=63.0,
        low=59.1,
        high=66.9,
        note="Example figure entered for the demo",
    )
    services.indicator_value_enter(
        indicator=survey,
        by=manager,
        roles=roles,
        organisation_ids=set(),
        month=date(2025, 9, 1),
        value=64.5,
        low=60.6,
        high=68.4,
        note="Example figure entered for the demo",
    )
    refresh_run(partnership_id=str(partnership.pk))
    meetings.meeting_create(
        partnership=partnership,
        by=manager,
        roles=roles,
        data={
            "title": "Community Safety Partnership board",
            "date": date(2026, 3, 12),
            "plan": plan,
            "agenda": "Performance\nAction plan progress",
            "attendees": list(partnership.organisations.all()[:3]),
        },
    )
    return {"password": password}


def _at_375(page: Page, name: str) -> None:
    page.set_viewport_size(PHONE_375)
    expect_no_sideways_scroll(page)
    save_screenshot(page, f"{name}-375")
    page.set_viewport_size(DESKTOP)


def test_indicator_override_and_board_pack(open_journey: Any, demo: dict[str, Any]) -> None:
    journey = open_journey(viewport=DESKTOP)
    page = journey.page
    journey.context.set_default_timeout(90_000)
    page.goto(journey.url("/sign-in/"))
    sign_in(page, MANAGER, demo["password"])

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Indicators").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan indicators")
    journey.check("indicators-list")

    page.get_by_role("link", name=ASB).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ASB)
    expect(page.get_by_text("Red:", exact=False).first).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("12 months to December 2025")
    journey.check("indicators-detail-1280")
    _at_375(page, "indicators-detail")

    # A series with more than one period is drawn, with its interval, beside the table.
    page.get_by_role("link", name="Back to the indicators").click()
    page.get_by_role("link", name="Residents who feel safe after dark (survey)").click()
    expect(page.locator(".app-figure__chart img")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("59.1 to 66.9")
    journey.check("indicators-survey-1280")
    page.get_by_role("link", name="Back to the indicators").click()
    page.get_by_role("link", name=ASB).click()

    # An override with no reason is refused with a GOV.UK error summary; nothing is saved.
    page.get_by_role("button", name="Override the colour").click()
    page.get_by_label("Amber").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason")
    journey.check("indicators-override-error")
    page.get_by_label("Reason").fill("The rise follows a change in how incidents are recorded")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Computed colour")).to_be_visible()
    expect(page.get_by_text("change in how incidents are recorded")).to_be_visible()

    page.goto(journey.url("/staff/indicators/exceptions/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Exceptions")
    journey.check("indicators-exceptions-1280")
    _at_375(page, "indicators-exceptions")

    page.goto(journey.url("/staff/indicators/meetings/"))
    page.get_by_role("link", name="Community Safety Partnership board").click()
    page.get_by_role("button", name="Board pack").click()
    # Tasks run at once in the test settings: the pack is made before the page shows again.
    page.get_by_role("button", name="Make the board pack").click()
    expect(page.get_by_role("button", name="Download the PDF")).to_be_visible()
    expect(page.locator(".app-board-pack")).to_contain_text("RAG table")
    journey.check("indicators-board-pack-1280")
    _at_375(page, "indicators-board-pack")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the PDF").click()
    pdf = Path(download_info.value.path())
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                str(pdf),
                str(SCREENSHOTS / "indicators-board-pack-pdf"),
            ],
            check=True,
        )
