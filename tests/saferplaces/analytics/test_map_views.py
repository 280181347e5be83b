"""The crime map page and its GeoJSON: what they return, bad parameters, the audit record."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from saferplaces.analytics.services import VERB_CRIME_DATA_VIEWED
from saferplaces.audit.models import AuditEvent
from tests.saferplaces.factories import PartnershipFactory

PAGE = "/staff/crime/map/"
GEOJSON = "/staff/crime/map/geojson/"


@pytest.fixture
def nwl(db: Any) -> Any:
    return PartnershipFactory(name="North West Leicestershire CSP", lad_codes=["E07000134"])


def test_urls() -> None:
    assert reverse("analytics:map") == PAGE
    assert reverse("analytics:map_geojson") == GEOJSON


def test_geojson_of_the_current_partnership(
    client: Any, sign_in_as: Any, nwl: Any, real_store: Path
) -> None:
    sign_in_as(client, "board_member", partnership=nwl)

    response = client.get(GEOJSON, {"from": "2025-01", "to": "2025-12"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert len(response.content) < 200 * 1024
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection"
    assert sum(f["properties"]["kind"] == "lsoa" for f in body["features"]) == 60
    assert body["saferplaces"]["period"] == "January to December 2025"
    # What the browser fetches is not audited again: the page that shows it is.
    assert not AuditEvent.objects.filter(verb=VERB_CRIME_DATA_VIEWED).exists()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"area": "nowhere"}, "is not a ward code"),
        ({"from": "2025-1"}, "Start month “2025-1” must be a month written as YYYY-MM"),
        ({"category": "parking"}, "Category “parking” is not known"),
        ({"area": "E01025610"}, "is not inside North West Leicestershire"),
        ({"from": "2010-01", "to": "2010-12"}, "No crime data for January to December 2010"),
    ],
)
def test_bad_parameters_get_400_with_a_message(
    client: Any, sign_in_as: Any, nwl: Any, real_store: Path, params: dict[str, str], message: str
) -> None:
    sign_in_as(client, "analyst", partnership=nwl)

    response = client.get(GEOJSON, params)
    page = client.get(PAGE, params)

    assert response.status_code == 400
    assert message in json.loads(response.content)["error"]
    assert page.status_code == 400
    html = page.content.decode()
    assert "govuk-error-summary" in html
    assert message in html


def test_page_shows_map_legend_and_table(
    client: Any, sign_in_as: Any, nwl: Any, real_store: Path
) -> None:
    sign_in_as(client, "viewer", partnership=nwl)

    response = client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "data-crime-map" in html
    assert f'data-geojson-url="{GEOJSON}"' in html
    assert 'data-tile-url=""' in html
    assert "The map needs JavaScript" in html
    assert "Hot spot, 99% confidence" in html  # the legend
    assert 'role="region" aria-label="All crime (not anti-social behaviour) per 1,000' in html
    assert html.count('<th scope="row"') == 60  # one row per neighbourhood
    assert "Coalville West" in html  # a ward name
    assert "/static/app/crime-map.js" in html
    assert "style=" not in html.split("<main", 1)[1]  # the CSP allows no inline style
    event = AuditEvent.objects.get(verb=VERB_CRIME_DATA_VIEWED)
    assert event.summary["page"] == "map"
    assert event.summary["area"] == "E07000134"


def test_page_keeps_the_filters_in_the_geojson_url(
    client: Any, sign_in_as: Any, nwl: Any, real_store: Path
) -> None:
    sign_in_as(client, "analyst", partnership=nwl)

    html = client.get(PAGE, {"category": "burglary", "from": "2025-07"}).content.decode()

    assert f'data-geojson-url="{GEOJSON}?from=2025-07&amp;category=burglary"' in html
    assert "Burglary per 1,000 residents by neighbourhood" in html
    assert "July to December 2025" in html


def test_tile_layer_comes_from_the_setting(
    client: Any, sign_in_as: Any, nwl: Any, real_store: Path, settings: Any
) -> None:
    settings.SAFERPLACES_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    sign_in_as(client, "analyst", partnership=nwl)

    html = client.get(PAGE).content.decode()

    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html


def test_no_data_is_still_geojson(
    client: Any, sign_in_as: Any, nwl: Any, empty_store: Path
) -> None:
    sign_in_as(client, "analyst", partnership=nwl)

    body = json.loads(client.get(GEOJSON).content)
    page = client.get(PAGE).content.decode()

    assert body["features"] == []
    assert body["saferplaces"]["state"] == "no_data"
    assert "No map yet" in page


def test_anti_social_behaviour_counts_incidents_not_crimes(
    client: Any, sign_in_as: Any, nwl: Any, real_store: Path
) -> None:
    sign_in_as(client, "analyst", partnership=nwl)

    html = client.get(PAGE, {"category": "asb"}).content.decode()

    assert "Incidents per 1,000 residents" in html  # the legend
    assert re.search(r'<th scope="col"[^>]*>\s*Incidents\s*</th>', html)
    assert "Anti-social behaviour per 1,000 residents by neighbourhood" in html
