"""The partnership page shows names first and codes second (issue #12)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.urls import reverse

from saferplaces.core.places import district_names, police_force_name
from tests.saferplaces.analytics._stores import real_data_dir


def test_police_force_names() -> None:
    assert police_force_name("leicestershire") == "Leicestershire Police"
    assert police_force_name("metropolitan") == "Metropolitan Police Service"
    assert police_force_name("devon-and-cornwall") == "Devon and Cornwall Police"
    assert police_force_name("new-force-of-somewhere") == "New Force of Somewhere Police"


def test_district_names_from_the_geography(settings: Any) -> None:
    settings.DATA_DIR = real_data_dir()
    cache.clear()
    names = district_names(["E07000134", "E99999999"])
    assert names == {"E07000134": "North West Leicestershire"}


def test_district_names_without_geography_are_empty(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    cache.clear()
    assert district_names(["E07000134"]) == {}


def test_partnership_page_shows_names_then_codes(
    client: Any, sign_in_as: Any, partnership: Any, settings: Any
) -> None:
    settings.DATA_DIR = real_data_dir()
    cache.clear()
    partnership.lad_codes = ["E07000134"]
    partnership.police_force = "leicestershire"
    partnership.save()
    sign_in_as(client, "board_member", partnership=partnership)
    html = client.get(
        reverse("accounts:partnership_detail", kwargs={"partnership_id": partnership.pk})
    ).content.decode()
    assert 'North West Leicestershire <span class="app-code">E07000134</span>' in html
    assert 'Leicestershire Police <span class="app-code">leicestershire</span>' in html
    # The members table scrolls inside its own labelled region, not the page.
    assert '<div class="app-table-scroll" role="region" aria-label="Members' in html
