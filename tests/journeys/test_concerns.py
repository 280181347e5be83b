"""A resident reports a concern on a phone and follows it; staff triage and close it; the
resident reads what was done and reopens it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import DESKTOP
from tests.journeys.people import blaby_partnership, expect_no_sideways_scroll, sign_in
from tests.shared_data import require_shared_data

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

PHONE_375 = {"width": 375, "height": 812}


def test_resident_reports_a_concern_staff_close_it_and_resident_reopens(open_journey):
    require_shared_data("postcodes", "ons")
    cast = blaby_partnership()
    resident = open_journey(viewport=PHONE_375)
    page = resident.page

    page.goto(resident.url("/"))
    page.get_by_role("link", name="Report a concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a concern")
    expect(page.get_by_text("call 999")).to_be_visible()
    expect_no_sideways_scroll(page)
    resident.check("concerns-phone-start")
    page.get_by_role("button", name="Start now").click()

    # No answer: the error summary links to the question.
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Select what the concern is about")
    resident.check("concerns-phone-what-error")
    page.get_by_label("Street drinking").check()
    page.get_by_role("button", name="Continue").click()

    # With JavaScript, the phone's location can fill in the map location fields.
    resident.context.grant_permissions(["geolocation"], origin=resident.base_url)
    resident.context.set_geolocation({"latitude": 52.7219, "longitude": -1.3719})
    page.get_by_role("button", name="Use my current location").click()
    expect(page.get_by_label("Latitude")).to_have_value("52.721900")
    expect(page.get_by_label("I can give a map location")).to_be_checked()

    # A postcode in another district is refused in plain words.
    page.get_by_label("I know the postcode").check()
    page.get_by_label("Postcode", exact=True).fill("LE65 1AA")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "That postcode is in North West Leicestershire, not Blaby"
    )
    resident.check("concerns-phone-where-error")
    page.get_by_label("Postcode", exact=True).fill("LE19 2AA")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("When did it happen?")
    page.get_by_label("It is ongoing").check()
    page.get_by_label("Evening (6pm to 10pm)").check()
    resident.check("concerns-phone-when")
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Describe the problem").fill(
        "A group drinks by the bus shelter most evenings and shouts at people passing."
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a photo (optional)")
    resident.check("concerns-phone-photo")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("No, I want to stay anonymous").check()
    resident.check("concerns-phone-contact")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your answers")
    expect(page.get_by_text("LE19 2AA")).to_be_visible()
    expect_no_sideways_scroll(page)
    resident.check("concerns-phone-check")
    page.get_by_role("button", name="Send concern").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Concern sent")
    reference = page.locator(".app-concern-reference").inner_text()
    assert re.fullmatch(r"C-\d{4}-\d{5}", reference)
    resident.check("concerns-phone-confirmation")
    page.get_by_role("link", name="Follow your concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your concern {reference}")
    status_url = page.url
    resident.check("concerns-phone-status")

    # Staff triage: the manager passes it to the council and closes it with an outcome.
    staff = open_journey(viewport=DESKTOP)
    desk = staff.page
    desk.goto(staff.url("/sign-in/"))
    sign_in(desk, cast.manager.email)
    desk.goto(staff.url("/staff/concerns/"))
    staff.check("concerns-staff-queue")
    desk.get_by_role("link", name=reference).click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(f"Concern {reference}")
    expect(desk.get_by_text("shouts at people passing")).to_be_visible()
    staff.check("concerns-staff-detail")
    desk.get_by_label("Organisation", exact=True).select_option(label="Blaby District Council")
    desk.get_by_role("button", name="Assign").click()
    expect(desk.get_by_text(f"{reference} passed to Blaby District Council")).to_be_visible()
    desk.get_by_label("Action taken").check()
    desk.get_by_label("What we did").fill("We asked the shop to stop selling single cans.")
    desk.get_by_role("button", name="Close the concern").click()
    expect(desk.get_by_text(f"{reference} closed")).to_be_visible()
    desk.goto(staff.url("/staff/concerns/intelligence/"))
    expect(desk.get_by_role("cell", name="Blaby 007B")).to_be_visible()
    staff.check("concerns-staff-intelligence")

    # The resident reads what was done, and reopens it.
    page.goto(status_url)
    expect(page.get_by_text("We asked the shop to stop selling single cans.").first).to_be_visible()
    resident.check("concerns-phone-status-closed")
    page.get_by_role("button", name="Reopen this concern").click()
    page.get_by_role("button", name="Reopen the concern").click()
    expect(page.get_by_role("alert")).to_contain_text("Tell us why")
    resident.check("concerns-phone-reopen-error")
    page.get_by_label("Why do you want to reopen it?").fill("They were back on Friday night.")
    page.get_by_role("button", name="Reopen the concern").click()
    expect(page.get_by_text("Reopened by the resident")).to_be_visible()
    resident.check("concerns-phone-status-reopened")
