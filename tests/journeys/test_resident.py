"""A resident reads the public pages, on a phone and on a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.journeys.conftest import DESKTOP, PHONE
from tests.journeys.people import blaby_partnership, expect_no_sideways_scroll

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_resident_reads_home_accessibility_statement_and_privacy_notice(
    open_journey, device, viewport
):
    cast = blaby_partnership()
    journey = open_journey(viewport=viewport)
    page = journey.page

    page.goto(journey.url("/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(cast.partnership.name)
    expect(page.get_by_text("Blaby District Council").first).to_be_visible()
    expect(page.get_by_role("link", name="Staff sign in")).to_be_visible()
    expect_no_sideways_scroll(page)
    journey.check(f"resident-{device}-home")

    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
    expect_no_sideways_scroll(page)
    journey.check(f"resident-{device}-accessibility")

    page.get_by_role("contentinfo").get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Privacy")
    expect_no_sideways_scroll(page)
    journey.check(f"resident-{device}-privacy")

    # The skip link is the first thing a keyboard user reaches, and it works.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
