"""A demo analyst works the crime data dashboard, on a desktop and on a phone."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.journeys.conftest import DESKTOP
from tests.journeys.people import expect_no_sideways_scroll, sign_in, sign_out
from tests.saferplaces.analytics._stores import real_data_dir, synthetic_data_dir

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

ANALYST = "analyst@demo.saferplaces.test"
PHONE_375 = {"width": 375, "height": 812}
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


def test_analyst_filters_the_dashboard_and_downloads_a_table(open_journey: Any, demo: Any) -> None:
    journey = open_journey(viewport=DESKTOP)
    page = journey.page
    page.goto(journey.url("/sign-in/"))
    sign_in(page, ANALYST, demo["password"])
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs your attention")

    _open_crime_data(page)
    expect(page.get_by_role("heading", name="Headline figures")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("each month"))).to_be_visible()
    expect(page.get_by_role("table", name="Crimes each month")).to_be_visible()
    lead = page.locator("#dashboard-lead")
    if not demo["synthetic"]:
        expect(lead).to_contain_text("All crime in North West Leicestershire")
        expect(lead).to_contain_text("per 1,000 residents")
        expect(page.locator("#change-card")).to_contain_text("Jan–Apr 2025 against Jan–Apr 2024")
    first_lead = lead.inner_text()
    journey.check("dashboard-desktop")

    # One month, one ward, one crime type: the address and the figures follow.
    page.get_by_label("The month chosen only").check()
    month = page.get_by_label("Month", exact=True)
    chosen_month = month.locator("option").nth(6).get_attribute("value")
    month.select_option(chosen_month)
    area = page.get_by_label("Area")
    ward = area.locator("option", has_text=" ward (").first
    ward_value = ward.get_attribute("value")
    area.select_option(ward_value)
    page.get_by_label("Crime type").select_option("burglary")
    page.get_by_role("button", name="Show figures").click()
    expect(page).to_have_url(re.compile(rf"period=month&month={chosen_month}"))
    assert f"area={ward_value}" in page.url
    assert "category=burglary" in page.url
    expect(lead).to_contain_text("Burglary in ")
    assert lead.inner_text() != first_lead
    journey.check("dashboard-filtered-desktop")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="“Crimes each month” as CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-crimes-by-month.csv")
    content = Path(download.path()).read_text(encoding="utf-8")
    assert content.startswith("Month,Crimes,")
    sign_out(page)


def test_analyst_reads_the_dashboard_on_a_phone(open_journey: Any, demo: Any) -> None:
    phone = open_journey(viewport=PHONE_375)
    page = phone.page
    page.goto(phone.url("/sign-in/"))
    sign_in(page, ANALYST, demo["password"])
    page.get_by_role("button", name="Menu").click()
    _open_crime_data(page)
    expect_no_sideways_scroll(page)
    phone.check("dashboard-phone")
