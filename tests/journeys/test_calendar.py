"""A demo analyst adds a meeting to the partnership calendar and finds it in the month and list."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.journeys.conftest import DESKTOP
from tests.journeys.people import expect_no_sideways_scroll, sign_in

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

ANALYST = "analyst@demo.saferplaces.test"
SMALL_PHONE = {"width": 375, "height": 812}


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    call_command("saferplaces_demo_calendar", stdout=StringIO())
    password = json.loads((tmp_path / "demo-credentials.json").read_text())["password"]
    return {"password": password}


def test_analyst_adds_an_event_and_sees_it_in_the_month_and_the_list(
    open_journey: Any, demo: Any
) -> None:
    day = timezone.localdate() + dt.timedelta(days=3)
    journey = open_journey(viewport=DESKTOP)
    page = journey.page
    page.goto(journey.url("/sign-in/"))
    sign_in(page, ANALYST, demo["password"])

    page.get_by_role("link", name="Calendar").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Calendar:")
    journey.check("calendar-month-desktop")
    page.get_by_role("button", name="Add an event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an event")
    journey.check("calendar-form")

    # The end before the start, and no title: each named in the error summary, nothing saved.
    page.get_by_label("Day").first.fill(str(day.day))
    page.get_by_label("Month").first.fill(str(day.month))
    page.get_by_label("Year").first.fill(str(day.year))
    before = day - dt.timedelta(days=1)
    page.get_by_label("Day").nth(1).fill(str(before.day))
    page.get_by_label("Month").nth(1).fill(str(before.month))
    page.get_by_label("Year").nth(1).fill(str(before.year))
    page.get_by_role("button", name="Add to the calendar").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a title")
    expect(summary).to_contain_text("The end date must be the same as or after the start date")
    journey.check("calendar-form-errors")

    page.get_by_label("Title").fill("Coalville town centre problem-solving meeting")
    for index in range(3):
        page.locator(".govuk-date-input").nth(1).locator("input").nth(index).fill("")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("11:30")
    page.get_by_label("Where").fill("Police station, Coalville")
    page.get_by_role("button", name="Add to the calendar").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("added to the calendar")
    cell = page.locator(f'td[data-date="{day.isoformat()}"]')
    expect(
        cell.get_by_role("link", name="10:00 Coalville town centre problem-solving meeting")
    ).to_be_visible()
    expect(page.get_by_role("table", name=f"{day:%B} {day.year}")).to_be_visible()
    journey.check("calendar-month-with-event")

    page.get_by_role("link", name="Upcoming events").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upcoming events")
    expect(
        page.get_by_role("link", name="Coalville town centre problem-solving meeting")
    ).to_be_visible()
    journey.check("calendar-list-desktop")

    page.get_by_role("link", name="Coalville town centre problem-solving meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Coalville town centre problem-solving meeting"
    )
    journey.check("calendar-event")

    page.goto(journey.url("/staff/calendar/subscribe/"))
    page.get_by_role("button", name="Make my private address").click()
    expect(page.get_by_label("Your new private address")).to_have_value(
        re.compile(r"/calendar/feed/[A-Za-z0-9_-]+\.ics$")
    )
    journey.check("calendar-subscribe")

    phone = open_journey(viewport=SMALL_PHONE)
    phone.page.goto(phone.url("/sign-in/"))
    sign_in(phone.page, ANALYST, demo["password"])
    phone.page.goto(phone.url(f"/staff/calendar/?month={day:%Y-%m}"))
    expect(
        phone.page.get_by_role("heading", level=2, name=f"Events in {day:%B} {day.year}")
    ).to_be_visible()
    expect_no_sideways_scroll(phone.page)
    phone.check("calendar-month-phone")
    phone.page.goto(phone.url("/staff/calendar/list/"))
    expect_no_sideways_scroll(phone.page)
    phone.check("calendar-list-phone")


def test_the_month_view_works_without_javascript(open_journey: Any, demo: Any) -> None:
    journey = open_journey(viewport=DESKTOP, javascript=False)
    page = journey.page
    page.goto(journey.url("/sign-in/"))
    sign_in(page, ANALYST, demo["password"])
    nxt = timezone.localdate().replace(day=1) + dt.timedelta(days=32)

    page.goto(journey.url("/staff/calendar/"))
    page.get_by_role("link", name=f"{nxt:%B} {nxt.year}").first.click()

    table = page.get_by_role("table", name=f"{nxt:%B} {nxt.year}")
    expect(table.get_by_role("link", name="Community safety partnership board")).to_be_visible()
    journey.check("calendar-month-no-javascript")
