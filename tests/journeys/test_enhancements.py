"""JavaScript enhancements: picking a neighbourhood on the map, the dashboard's period fields.

Each works as an addition: the same pages without JavaScript keep the checkbox list and show
every period field (the last journey).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.journeys.conftest import DESKTOP, PHONE, save_screenshot
from tests.journeys.people import sign_in
from tests.journeys.test_crime_data import FIRST_VIEW_TIMEOUT, demo  # noqa: F401

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

ANALYST = "analyst@demo.saferplaces.test"
PHONE_375 = {"width": 375, "height": 812}

# A point of the picker map where a small area not yet chosen is on top: [x, y, code].
FREE_AREA_SCRIPT = """(taken) => {
    const map = document.querySelector('[data-lsoa-picker-map]');
    map.scrollIntoView({block: 'center'});
    const box = map.getBoundingClientRect();
    for (let step = 0; step < 600; step++) {
        const x = box.left + box.width * (0.15 + 0.7 * ((step * 37) % 100) / 100);
        const y = box.top + box.height * (0.15 + 0.7 * ((step * 61) % 100) / 100);
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.dataset && hit.dataset.lsoa && !taken.includes(hit.dataset.lsoa)) {
            return [x, y, hit.dataset.lsoa];
        }
    }
    return null;
}"""


def _sign_in(journey: Any, password: str) -> Page:
    page = journey.page
    page.goto(journey.url("/sign-in/"))
    sign_in(page, ANALYST, password)
    return page


def _open_picker(page: Page, base: str) -> None:
    page.goto(base + "/staff/neighbourhoods/new/", timeout=FIRST_VIEW_TIMEOUT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a neighbourhood")
    expect(page.locator("[data-lsoa-picker-ready]")).to_have_count(1, timeout=FIRST_VIEW_TIMEOUT)


def _pick(page: Page, taken: list[str]) -> str:
    found = page.evaluate(FREE_AREA_SCRIPT, taken)
    assert found, "no small area found on the picker map"
    x, y, code = found
    page.mouse.click(x, y)
    return str(code)


def _last_three_months(select: Any) -> tuple[str, str]:
    """The first and last of the latest three months a month select offers (values 2025-03)."""
    values = sorted(
        v
        for v in select.locator("option").evaluate_all("(options) => options.map((o) => o.value)")
        if v
    )
    return values[-3], values[-1]


def test_analyst_picks_a_neighbourhood_on_the_map(open_journey: Any, demo: Any) -> None:  # noqa: F811
    journey = open_journey(viewport=DESKTOP)
    page = _sign_in(journey, demo["password"])
    base = journey.url("")
    _open_picker(page, base)
    count = page.locator("[data-lsoa-picker-count]")
    expect(count).to_have_text("0 small areas chosen")
    expect(page.locator("[data-lsoa-picker-map] path[data-lsoa]")).not_to_have_count(0)

    first = _pick(page, [])
    box = page.locator(f'input[name="lsoa_codes"][value="{first}"]')
    expect(box).to_be_checked()
    expect(count).to_have_text("1 small area chosen")
    # Pointing at an area names it (name, code and ward).
    expect(page.locator(".leaflet-tooltip")).to_contain_text(first)
    save_screenshot(page, "neighbourhood-picker-tooltip-1280")
    second = _pick(page, [first])
    expect(page.locator(f'input[name="lsoa_codes"][value="{second}"]')).to_be_checked()
    expect(count).to_have_text("2 small areas chosen")

    # The checkbox drives the map as well: unticking an area clears its shading.
    fill = f'[data-lsoa-picker-map] path[data-lsoa="{first}"]'
    chosen_fill = page.locator(fill).get_attribute("fill")
    box.uncheck()
    expect(count).to_have_text("1 small area chosen")
    expect(page.locator(fill)).not_to_have_attribute("fill", chosen_fill or "")
    box.check()
    expect(page.locator(fill)).to_have_attribute("fill", chosen_fill or "")
    expect(count).to_have_text("2 small areas chosen")
    save_screenshot(page, "neighbourhood-picker-1280")
    journey.check("neighbourhood-picker")

    page.get_by_label("Name", exact=True).fill("Picked on the map")
    page.get_by_label("North West Leicestershire District Council").check()
    page.get_by_role("button", name="Save neighbourhood").click(timeout=FIRST_VIEW_TIMEOUT)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Picked on the map", timeout=FIRST_VIEW_TIMEOUT
    )
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 small areas")
    areas = page.get_by_role("table", name="Small areas (2021 LSOAs) in Picked on the map")
    expect(areas.locator("tbody tr")).to_have_count(2)
    expect(areas).to_contain_text(first)
    expect(areas).to_contain_text(second)

    # The edit page starts with the saved areas ticked and counted.
    page.get_by_role("link", name="Change").first.click()
    expect(page.locator("[data-lsoa-picker-ready]")).to_have_count(1, timeout=FIRST_VIEW_TIMEOUT)
    expect(page.locator("[data-lsoa-picker-count]")).to_have_text("2 small areas chosen")

    phone = open_journey(viewport=PHONE_375)
    phone_page = _sign_in(phone, demo["password"])
    _open_picker(phone_page, base)
    save_screenshot(phone_page, "neighbourhood-picker-375")
    phone.check("neighbourhood-picker-phone")


def test_dashboard_shows_the_month_fields_the_period_needs(open_journey: Any, demo: Any) -> None:  # noqa: F811
    journey = open_journey(viewport=DESKTOP)
    page = _sign_in(journey, demo["password"])
    page.goto(journey.url("/staff/crime/"), timeout=FIRST_VIEW_TIMEOUT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Crime data")
    expect(page.locator("[data-period-filter-ready]")).to_have_count(1)

    month = page.get_by_label("Month", exact=True)
    start = page.get_by_label("From (for a period from one month to another)")
    end = page.get_by_label("To", exact=True)
    expect(month).to_be_visible()
    expect(start).to_be_hidden()
    expect(end).to_be_hidden()
    save_screenshot(page, "dashboard-period-1280")
    journey.check("dashboard-period")

    page.get_by_role("radio", name="From one month to another").check()
    expect(start).to_be_visible()
    expect(end).to_be_visible()
    expect(month).to_be_hidden()
    # Both ends start from the 12 months to the month that was chosen.
    latest = month.input_value()
    expect(end).to_have_value(latest)
    expect(start).not_to_have_value("")
    # The radios name what they change; none carries aria-expanded (not allowed on a radio).
    custom = page.get_by_role("radio", name="From one month to another")
    expect(custom).to_have_attribute("aria-controls", "period-range")
    assert page.locator('input[name="period"][aria-expanded]').count() == 0
    journey.check("dashboard-period-custom")

    # Choosing a month does not send the form: the button does.
    url = page.url
    first, last = _last_three_months(start)
    start.select_option(first)
    end.select_option(last)
    assert page.url == url
    page.get_by_role("button", name="Show figures").click(timeout=FIRST_VIEW_TIMEOUT)
    expect(page).to_have_url(re.compile(r"period=custom"), timeout=FIRST_VIEW_TIMEOUT)
    expect(page.get_by_role("radio", name="From one month to another")).to_be_checked()
    expect(page.get_by_label("From (for a period from one month to another)")).to_be_visible()
    expect(page.get_by_label("Month", exact=True)).to_be_hidden()

    page.get_by_role("radio", name="The month chosen only").check()
    expect(page.get_by_label("Month", exact=True)).to_be_visible()
    expect(page.get_by_label("To", exact=True)).to_be_hidden()

    # A field with an error stays in view, so the error summary's link has somewhere to go.
    page.goto(journey.url("/staff/crime/?period=rolling&start=2025-13"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("From")
    expect(page.get_by_label("From (for a period from one month to another)")).to_be_visible()
    expect(page.get_by_label("Month", exact=True)).to_be_visible()

    phone = open_journey(viewport=PHONE_375)
    phone_page = _sign_in(phone, demo["password"])
    phone_page.goto(phone.url("/staff/crime/"), timeout=FIRST_VIEW_TIMEOUT)
    expect(phone_page.locator("[data-period-filter-ready]")).to_have_count(1)
    save_screenshot(phone_page, "dashboard-period-375")
    phone.check("dashboard-period-phone")


def test_both_pages_work_without_javascript(open_journey: Any, demo: Any) -> None:  # noqa: F811
    journey = open_journey(viewport=PHONE, javascript=False)
    page = _sign_in(journey, demo["password"])

    # The dashboard: every period field shows, and a period from one month to another works.
    page.goto(journey.url("/staff/crime/"), timeout=FIRST_VIEW_TIMEOUT)
    expect(page.get_by_label("Month", exact=True)).to_be_visible()
    start = page.get_by_label("From (for a period from one month to another)")
    expect(start).to_be_visible()
    page.get_by_role("radio", name="From one month to another").check()
    first, last = _last_three_months(start)
    start.select_option(first)
    page.get_by_label("To", exact=True).select_option(last)
    page.get_by_role("button", name="Show figures").click(timeout=FIRST_VIEW_TIMEOUT)
    expect(page.get_by_role("radio", name="From one month to another")).to_be_checked()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("#dashboard-title")).to_contain_text(" to ")
    journey.check("dashboard-period-no-js")

    # The neighbourhood form: no map, the checkbox list as before.
    page.goto(journey.url("/staff/neighbourhoods/new/"))
    expect(page.locator("[data-lsoa-picker]")).to_be_hidden()
    journey.check("neighbourhood-picker-no-js")
    codes = page.locator('input[name="lsoa_codes"]')
    chosen = [codes.nth(0).get_attribute("value"), codes.nth(1).get_attribute("value")]
    codes.nth(0).check()
    codes.nth(1).check()
    page.get_by_label("Name", exact=True).fill("Chosen from the list")
    page.get_by_label("North West Leicestershire District Council").check()
    page.get_by_role("button", name="Save neighbourhood").click(timeout=FIRST_VIEW_TIMEOUT)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Chosen from the list", timeout=FIRST_VIEW_TIMEOUT
    )
    areas = page.get_by_role("table", name="Small areas (2021 LSOAs) in Chosen from the list")
    for code in chosen:
        expect(areas).to_contain_text(str(code))
