"""A demo analyst defines a neighbourhood in Coalville, reads its profile and downloads it."""

from __future__ import annotations

import json
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect

from tests.journeys.conftest import DESKTOP, PHONE
from tests.journeys.people import expect_no_sideways_scroll, sign_in
from tests.saferplaces.analytics._stores import real_data_dir

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

ANALYST = "analyst@demo.saferplaces.test"
FIRST_VIEW_TIMEOUT = 90_000
GREENHILL = ["E01025932", "E01025933", "E01025934", "E01025935", "E01025936"]


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    password = json.loads((tmp_path / "demo-credentials.json").read_text())["password"]
    settings.DATA_DIR = real_data_dir()
    cache.clear()
    return {"password": password}


def test_analyst_creates_a_neighbourhood_from_the_list(
    open_journey: Any, demo: Any, tmp_path: Path
) -> None:
    journey = open_journey(viewport=DESKTOP)
    page = journey.page
    page.goto(journey.url("/sign-in/"))
    sign_in(page, ANALYST, demo["password"])

    page.goto(journey.url("/staff/neighbourhoods/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Neighbourhood profiles")
    journey.check("neighbourhoods-list-empty")
    page.get_by_role("button", name="Create a neighbourhood").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a neighbourhood")
    journey.check("neighbourhoods-form")

    # Saving with nothing chosen: the error summary names each problem.
    page.get_by_role("button", name="Save neighbourhood").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a name for the neighbourhood")
    expect(summary).to_contain_text("Choose at least one small area (LSOA)")
    journey.check("neighbourhoods-form-errors")

    page.get_by_label("Name", exact=True).fill("Greenhill and Agar Nook")
    page.get_by_label("North West Leicestershire District Council").check()
    page.get_by_label("Baseline month").select_option(label="January 2024")
    for code in GREENHILL:
        page.locator(f'input[name="lsoa_codes"][value="{code}"]').check()
    page.get_by_role("button", name="Save neighbourhood").click(timeout=FIRST_VIEW_TIMEOUT)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Greenhill and Agar Nook", timeout=FIRST_VIEW_TIMEOUT
    )
    expect(page.locator(".govuk-notification-banner")).to_contain_text("5 small areas")
    expect(page.get_by_text("times the North West Leicestershire rate").first).to_be_visible()
    categories = page.get_by_role("table", name="Crime and anti-social behaviour by category")
    expect(categories.get_by_role("rowheader", name="Burglary")).to_be_visible()
    expect(page.get_by_role("heading", name="Change since the baseline")).to_be_visible()
    journey.check("neighbourhood-profile-desktop")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download every table (Excel workbook, XLSX)").click()
    path = tmp_path / "profile.xlsx"
    download_info.value.save_as(path)
    with zipfile.ZipFile(path) as book:
        assert "xl/workbook.xml" in book.namelist()

    phone = open_journey(viewport=PHONE)
    phone.page.goto(phone.url("/sign-in/"))
    sign_in(phone.page, ANALYST, demo["password"])
    phone.page.goto(page.url)
    expect(phone.page.get_by_role("heading", level=1)).to_have_text("Greenhill and Agar Nook")
    expect_no_sideways_scroll(phone.page)
    phone.check("neighbourhood-profile-phone")
