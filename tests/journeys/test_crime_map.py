"""A demo analyst opens the crime map: polygons, layers, a neighbourhood's figures, a phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.journeys.conftest import DESKTOP, save_screenshot
from tests.journeys.people import expect_no_sideways_scroll, sign_in
from tests.journeys.test_crime_data import ANALYST, FIRST_VIEW_TIMEOUT, demo  # noqa: F401

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

PHONE_375 = {"width": 375, "height": 812}
POLYGONS = ".app-map path.leaflet-interactive"


def _open_map(page: Page) -> None:
    page.goto(page.url.split("/staff/")[0] + "/staff/crime/map/", timeout=FIRST_VIEW_TIMEOUT)
    expect(page.get_by_role("heading", level=1)).to_have_text("Crime map")
    expect(page.locator("[data-crime-map-ready]")).to_have_count(1, timeout=FIRST_VIEW_TIMEOUT)


def _fills(page: Page) -> set[str]:
    return set(page.locator(POLYGONS).evaluate_all("(ps) => ps.map((p) => p.getAttribute('fill'))"))


# A spot of the map where a neighbourhood (not a repeat location, not a control) is on top.
INSIDE_SCRIPT = """() => {
    const box = document.querySelector('.app-map').getBoundingClientRect();
    for (let step = 0; step < 400; step++) {
        const x = box.left + box.width * (0.3 + 0.4 * ((step * 37) % 100) / 100);
        const y = box.top + box.height * (0.3 + 0.4 * ((step * 61) % 100) / 100);
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.matches('path.leaflet-interactive') &&
            hit.getAttribute('fill') !== '#4c2c92') return [x, y];
    }
    return null;
}"""


def _inside_a_neighbourhood(page: Page) -> tuple[float, float]:
    # elementFromPoint sees only what is in the viewport: bring the whole map into view, and
    # wait for its shapes, before looking for one (a slow first paint failed here once).
    page.locator(".app-map").scroll_into_view_if_needed()
    expect(page.locator(POLYGONS).first).to_be_visible()
    found = page.evaluate(INSIDE_SCRIPT)
    assert found, "no neighbourhood polygon found under the middle of the map"
    return found[0], found[1]


def test_analyst_reads_the_crime_map(open_journey: Any, demo: Any) -> None:  # noqa: F811
    journey = open_journey(viewport=DESKTOP)
    page = journey.page
    page.goto(journey.url("/sign-in/"))
    sign_in(page, ANALYST, demo["password"])
    _open_map(page)

    # One polygon per neighbourhood plus the repeat locations, drawn on a plain background.
    rows = page.get_by_role("table", name="per 1,000 residents by neighbourhood").locator(
        "tbody tr"
    )
    neighbourhoods = rows.count()
    assert neighbourhoods > 10
    drawn = page.locator(POLYGONS).count()
    assert drawn > neighbourhoods  # the polygons and the repeat locations
    expect(page.locator(".app-map .leaflet-tile-pane img")).to_have_count(0)
    rate_fills = _fills(page)
    expect(page.locator('[data-legend="rates"]')).to_be_visible()
    expect(page.locator('[data-legend="gi"]')).to_be_hidden()
    expect(page.get_by_text("The map needs JavaScript")).to_have_count(0)
    save_screenshot(page, "analyst-crime-map-1280")

    # The layer toggle: hot and cold spots replace the rates, with their own legend.
    page.get_by_label("Hot and cold spots").check()
    expect(page.locator('[data-legend="gi"]')).to_be_visible()
    expect(page.locator('[data-legend="rates"]')).to_be_hidden()
    assert _fills(page) != rate_fills
    page.get_by_label("Repeat locations").uncheck()
    expect(page.locator(POLYGONS)).to_have_count(neighbourhoods)
    page.get_by_label("Crime rates").check()
    expect(page.locator('[data-legend="rates"]')).to_be_visible()

    # Selecting a neighbourhood opens its figures.
    page.get_by_label("Repeat locations").check()
    x, y = _inside_a_neighbourhood(page)
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("Crimes")
    expect(popup).to_contain_text("Per 1,000 residents")
    expect(popup).to_contain_text("Hot or cold spot")
    journey.check("analyst-crime-map-desktop")

    phone = open_journey(viewport=PHONE_375)
    page = phone.page
    page.goto(phone.url("/sign-in/"))
    sign_in(page, ANALYST, demo["password"])
    _open_map(page)
    expect_no_sideways_scroll(page)
    save_screenshot(page, "analyst-crime-map-375")
    phone.check("analyst-crime-map-phone")


def test_without_javascript_the_table_stands_in(open_journey: Any, demo: Any) -> None:  # noqa: F811
    journey = open_journey(viewport=DESKTOP, javascript=False)
    page = journey.page
    page.goto(journey.url("/sign-in/"))
    sign_in(page, ANALYST, demo["password"])
    page.goto(journey.url("/staff/crime/map/"), timeout=FIRST_VIEW_TIMEOUT)

    expect(page.get_by_text("The map needs JavaScript")).to_be_visible()
    table = page.get_by_role("table", name="per 1,000 residents by neighbourhood")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Hot or cold spot")).to_be_visible()
    journey.check("analyst-crime-map-no-js")
