"""Surveys in a browser: a resident answers the perception survey on a phone; staff publish a
follow-up survey's results and the public page shows them with small numbers suppressed.

The demo (saferplaces_demo_surveys) gives a baseline and a follow-up perception survey with
generated answers, and an open survey. Here the follow-up's results are withdrawn first, so the
analyst publishes them through the pages.
"""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from saferplaces.accounts.models import User
from saferplaces.accounts.permissions import roles_in_partnership
from saferplaces.surveys import services
from saferplaces.surveys.models import Response, Survey
from tests.journeys.conftest import DESKTOP
from tests.journeys.people import expect_no_sideways_scroll, sign_in

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

ANALYST = "analyst@demo.saferplaces.test"
PHONE_375 = {"width": 375, "height": 812}


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    call_command("saferplaces_demo_surveys", stdout=StringIO())
    password = json.loads((tmp_path / "demo-credentials.json").read_text())["password"]
    follow = Survey.objects.get(title__contains="follow-up")
    analyst = User.objects.get(email=ANALYST)
    services.results_unpublish(
        survey=follow, by=analyst, roles=roles_in_partnership(analyst, follow.partnership)
    )
    return {"password": password, "follow_up": follow}


def test_resident_answers_the_perception_survey_on_a_phone(open_journey: Any, demo: Any) -> None:
    journey = open_journey(viewport=PHONE_375)
    page = journey.page
    before = Response.objects.count()

    page.goto(journey.url("/"))
    page.get_by_role("link", name="Have your say: surveys and consultations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Have your say")
    journey.check("surveys-phone-list")
    page.get_by_role("link", name="Have your say: community safety survey 2027").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("community safety survey 2027")
    journey.check("surveys-phone-answer")

    # Sent with nothing answered: the error summary, nothing stored.
    page.get_by_role("button", name="Send your answers").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    journey.check("surveys-phone-errors")
    assert Response.objects.count() == before

    dark = page.get_by_role(
        "group", name="1. How safe do you feel walking alone in your area after dark?"
    )
    dark.get_by_label("A bit unsafe").check()
    day = page.get_by_role(
        "group", name="2. How safe do you feel walking alone in your area during the day?"
    )
    day.get_by_label("Fairly safe").check()
    selects = page.locator("select[name^='q3_']")
    for index in range(selects.count()):
        selects.nth(index).select_option(str(index + 1))
    page.get_by_label("4. What one thing would make you feel safer?").fill(
        "<script>alert('x')</script>Better lighting on the path to the station"
    )
    page.get_by_role("group", name="Which area do you live in?").get_by_label("Coalville").check()
    page.get_by_role("group", name="What is your age?").get_by_label("35 to 44").check()
    page.get_by_role("button", name="Send your answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answers")
    expect_no_sideways_scroll(page)
    journey.check("surveys-phone-thanks")
    assert Response.objects.count() == before + 1
    stored = Response.objects.latest("created_at")
    assert stored.area_label == "Coalville"
    assert stored.answers["q4"] == "Better lighting on the path to the station"
    assert stored.equality.age_band == "35_44"

    # The published baseline results, on the phone: suppressed cells, labelled as generated.
    page.get_by_role("link", name="Back to surveys").click()
    page.get_by_role("link", name=re.compile("baseline survey 2025")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("baseline survey 2025")
    expect(page.get_by_text("generated for the demonstration").first).to_be_visible()
    expect(page.get_by_text("[c]").first).to_be_visible()
    journey.check("surveys-phone-public-results")


def test_staff_publish_follow_up_and_public_page_shows_suppressed_cells(
    open_journey: Any, demo: Any
) -> None:
    journey = open_journey(viewport=DESKTOP)
    page = journey.page
    page.goto(journey.url("/sign-in/"))
    sign_in(page, ANALYST, demo["password"])
    page.goto(journey.url("/staff/residents/"))
    page.get_by_role("link", name="Surveys and consultations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Surveys and consultations")
    journey.check("surveys-staff-list")
    page.get_by_role("link", name=demo["follow_up"].title).click()
    expect(page.get_by_text("generated for the demonstration").first).to_be_visible()
    page.get_by_role("link", name="See the results").click()
    expect(page.get_by_text("Not for publication").first).to_be_visible()
    expect(page.get_by_text("a real fall, not noise").first).to_be_visible()
    journey.check("surveys-staff-results")

    page.get_by_role("link", name="Back to the survey").click()
    page.get_by_role("button", name="Publish the results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish the results")
    journey.check("surveys-staff-publish")
    page.get_by_role("button", name="Publish the results").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Results:")
    expect(page.get_by_text("[c]").first).to_be_visible()
    expect(page.get_by_text("generated for the demonstration").first).to_be_visible()
    expect(page.get_by_text("Not for publication")).to_have_count(0)
    journey.check("surveys-public-results")
    demo["follow_up"].refresh_from_db()
    assert demo["follow_up"].results_published
