"""A demo analyst reads the partnership's crime data, on a desktop and on a phone."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.journeys.conftest import DESKTOP, PHONE
from tests.journeys.people import expect_no_sideways_scroll, sign_in, sign_out
from tests.saferplaces.analytics._stores import real_data_dir, synthetic_data_dir

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

ANALYST = "analyst@demo.saferplaces.test"
# The first view computes the figures (a few seconds); later views read the cache.
FIRST_VIEW_TIMEOUT = 90_000


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> dict[str, Any]:
    """The demo partnership and users (``saferplaces_setup_demo``) over a small crime store."""
    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    password = json.loads((tmp_path / "demo-credentials.json").read_text())["password"]
    try:
        store, synthetic = real_data_dir(), False
    except pytest.skip.Exception:
        store, synthetic = synthetic_data_dir(), True
    settings.DATA_DIR = store
    cache.clear()
    return {"password": password, "synthetic": synthetic}


def _open_crime_data(page: Page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Crime data").click(
        timeout=FIRST_VIEW_TIMEOUT
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Crime data", timeout=FIRST_VIEW_TIMEOUT
    )


def _expect_tables_fit(page: Page) -> None:
    """Every table either fits the viewport or scrolls inside its own wrapper."""
    expect_no_sideways_scroll(page)
    width = page.evaluate("() => document.documentElement.clientWidth")
    for wrapper in page.locator(".app-table-scroll").all():
        box = wrapper.bounding_box()
        assert box is not None
        assert box["x"] >= 0, box
        assert box["x"] + box["width"] <= width + 0.5, box


def test_analyst_reads_crime_data_on_desktop_and_phone(open_journey: Any, demo: Any) -> None:
    journey = open_journey(viewport=DESKTOP)
    page = journey.page
    page.goto(journey.url("/sign-in/"))
    sign_in(page, ANALYST, demo["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs your attention")

    _open_crime_data(page)
    expect(page.get_by_role("heading", name="Headline figures")).to_be_visible()
    expect(page.get_by_role("heading", name="Crimes recorded")).to_be_visible()
    expect(page.get_by_role("heading", name="Crimes per 1,000 residents")).to_be_visible()
    categories = page.get_by_role("table", name="Crimes and harm by category")
    expect(categories.get_by_role("rowheader", name="Violence and sexual offences")).to_be_visible()
    expect(page.get_by_role("table", name="neighbourhoods with the most crimes")).to_be_visible()
    expect(page.get_by_role("heading", name="Data quality")).to_be_visible()
    warning = page.locator(".govuk-warning-text")
    if demo["synthetic"]:
        expect(warning).to_contain_text("generated demo data")
    else:
        expect(warning).to_have_count(0)
        expect(
            page.get_by_text("Police-recorded crime in North West Leicestershire")
        ).to_be_visible()

    # The method and provenance are one click away.
    page.get_by_text("How these figures were computed").click()
    expect(page.get_by_text("Harm weights", exact=True)).to_be_visible()
    journey.check("analyst-crime-data-desktop")
    sign_out(page)

    phone = open_journey(viewport=PHONE)
    page = phone.page
    page.goto(phone.url("/sign-in/"))
    sign_in(page, ANALYST, demo["password"])
    page.get_by_role("button", name="Menu").click()
    _open_crime_data(page)
    _expect_tables_fit(page)
    phone.check("analyst-crime-data-phone")
