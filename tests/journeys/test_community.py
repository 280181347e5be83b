"""A resident reads their neighbourhood's "You said, we did" page on a phone; staff record a
neighbourhood watch scheme with its coordinator's consent and see it beside crime."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.journeys.conftest import DESKTOP
from tests.journeys.people import expect_no_sideways_scroll, sign_in
from tests.saferplaces.analytics._stores import real_data_dir

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

PHONE_375 = {"width": 375, "height": 812}
ANALYST = "analyst@demo.saferplaces.test"
FIRST_VIEW_TIMEOUT = 90_000


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    password = json.loads((tmp_path / "demo-credentials.json").read_text())["password"]
    settings.DATA_DIR = real_data_dir()
    cache.clear()
    return {"password": password}


def test_resident_reads_the_neighbourhoods_you_said_we_did_page_on_a_phone(
    open_journey: Any, demo: Any
) -> None:
    from saferplaces.accounts.models import Partnership
    from saferplaces.plans.models import Plan, Priority

    # The demo plan's priority stands in for saferplaces_demo_plan (which needs an assessment).
    partnership = Partnership.objects.get(gss_code="E22000170")
    plan = Plan.objects.create(
        partnership=partnership, title="Community Safety Plan", start_year=2026, end_year=2029
    )
    Priority.objects.create(plan=plan, title="Anti-social behaviour", order=1)
    call_command("saferplaces_demo_community", stdout=StringIO())

    journey = open_journey(viewport=PHONE_375)
    page = journey.page
    page.goto(journey.url("/"))
    page.get_by_role("link", name="You said, we did: your neighbourhood").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You said, we did: your neighbourhood"
    )
    expect_no_sideways_scroll(page)
    journey.check("community-phone-neighbourhoods")

    page.get_by_role("link", name="Greenhill and Agar Nook, Coalville").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Greenhill and Agar Nook")
    expect(
        page.get_by_text("Off-road motorbikes on the Greenhill playing field").first
    ).to_be_visible(timeout=FIRST_VIEW_TIMEOUT)
    expect(page.get_by_text("two bikes were seized").first).to_be_visible()
    expect(page.get_by_text("were recorded from").first).to_be_visible()
    expect(page.get_by_text("alex.sample@example.invalid")).to_have_count(0)
    page.get_by_text("How we worked this out").click()
    expect(page.get_by_text("police.uk").first).to_be_visible()
    expect_no_sideways_scroll(page)
    journey.check("community-phone-you-said-we-did")

    page.get_by_role("link", name="All neighbourhood watch and community groups").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Neighbourhood watch and community groups"
    )
    expect(page.get_by_text("Greenhill Road Neighbourhood Watch").first).to_be_visible()
    expect(page.get_by_text("Alex Sample")).to_have_count(0)
    expect_no_sideways_scroll(page)
    journey.check("community-phone-groups")


def test_staff_record_a_watch_scheme_with_consent_and_see_it_beside_crime(
    open_journey: Any, demo: Any
) -> None:
    journey = open_journey(viewport=DESKTOP)
    page = journey.page
    page.goto(journey.url("/sign-in/"))
    sign_in(page, ANALYST, demo["password"])

    page.goto(journey.url("/staff/residents/"))
    page.get_by_role("link", name="Community network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Community network")
    page.get_by_role("button", name="Record a group, scheme or champion").click()
    journey.check("community-group-form")

    # A coordinator's details without consent: refused, with the error summary.
    page.get_by_label("Neighbourhood watch scheme").check()
    page.get_by_label("Name", exact=True).fill("Meadow Lane Neighbourhood Watch")
    page.get_by_label("North West Leicestershire District Council").check()
    page.get_by_label("North West Leicestershire 009A").check()
    page.get_by_label("Coordinator's name").fill("Robin Example")
    page.get_by_label("Coordinator's e-mail address").fill("robin@example.org")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Record the coordinator's consent")
    journey.check("community-group-form-errors")

    agreed = (timezone.localdate() - timedelta(days=3)).strftime("%d/%m/%Y")
    page.get_by_label("Date the coordinator gave consent").fill(agreed)
    page.get_by_label("Number of members (optional)").fill("18")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meadow Lane Neighbourhood Watch")
    expect(page.get_by_text("robin@example.org")).to_be_visible()
    expect(page.get_by_text("Your viewing of these details has been recorded")).to_be_visible()
    journey.check("community-group-detail")

    page.goto(journey.url("/staff/community/capacity/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Community capacity beside crime")
    row = page.get_by_role("row").filter(has_text="North West Leicestershire 009A")
    expect(row).to_be_visible(timeout=FIRST_VIEW_TIMEOUT)
    expect(row.get_by_role("cell").nth(4)).to_have_text("1")  # one watch scheme
    expect(page.get_by_role("img", name="Map of recorded crime by small area")).to_be_visible()
    journey.check("community-capacity")
