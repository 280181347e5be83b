"""Residents' pages: never any personal data; the trend in the verdict's words on a real store;
the capacity page's map and table from the same store."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from saferplaces.accounts.permissions import roles_in_partnership
from saferplaces.community import crime, services
from tests.conftest import mark_second_factor_verified
from tests.saferplaces.community.conftest import GREENHILL

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(neighbourhood: Any, manager: Any, nwl: Any) -> Any:
    services.page_publish(
        partnership=nwl, neighbourhood=neighbourhood, by=manager,
        roles=roles_in_partnership(manager, nwl),
    )  # fmt: skip
    return neighbourhood


@pytest.fixture
def issue(neighbourhood: Any, analyst: Any, council: Any, nwl: Any) -> Any:
    roles = roles_in_partnership(analyst, nwl)
    forum = services.forum_create(
        partnership=nwl, by=analyst, roles=roles, neighbourhood=neighbourhood,
        owner_organisation=council,
    )  # fmt: skip
    meeting = services.meeting_record(
        forum=forum, by=analyst, roles=roles, date=timezone.localdate(), place="Greenhill Centre",
        attendance=23, notes="Mrs Example complained about her neighbour.",
    )  # fmt: skip
    return services.issue_record(
        meeting=meeting, by=analyst, roles=roles, text="Off-road bikes on the playing field",
        raised_by=9, votes=17, status="done", we_did="Police patrols; two bikes seized.",
    )  # fmt: skip


def test_unpublished_neighbourhood_has_no_public_page(client: Any, neighbourhood: Any):
    url = reverse("community_public:you_said", kwargs={"neighbourhood_id": neighbourhood.pk})
    assert client.get(url).status_code == 404
    assert (
        neighbourhood.name
        not in client.get(reverse("community_public:neighbourhoods")).content.decode()
    )


def test_you_said_page_shows_issues_and_what_we_did_but_no_personal_data(
    client: Any, published: Any, issue: Any, watch: Any, empty_store: Any
):
    index = client.get(reverse("community_public:neighbourhoods")).content.decode()
    assert "Greenhill and Agar Nook" in index
    url = reverse("community_public:you_said", kwargs={"neighbourhood_id": published.pk})
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Off-road bikes on the playing field: raised by 9 residents" in page
    assert "Police patrols; two bikes seized." in page
    assert "Greenhill Road Neighbourhood Watch" in page  # listed, so shown by name
    for secret in ("Pat Example", "pat@example.org", "01530 000000", "Mrs Example"):
        assert secret not in page
    assert "not available" in page  # no crime store: says so rather than guessing


def test_public_group_listing_shows_listed_groups_only_and_no_personal_data(
    client: Any, watch: Any, nwl: Any, council: Any, analyst: Any, known_lsoas: Any
):
    from tests.saferplaces.community.conftest import group_fields

    services.group_create(
        partnership=nwl, by=analyst, roles=roles_in_partnership(analyst, nwl),
        owner_organisation=council, lsoa_codes=GREENHILL[:1],
        **group_fields(name="Private residents' association", kind="residents",
                       listed_publicly=False),
    )  # fmt: skip
    page = client.get(reverse("community_public:groups")).content.decode()
    assert "Greenhill Road Neighbourhood Watch" in page
    assert "North West Leicestershire 009A" in page  # names, not codes
    assert '<h3 class="govuk-heading-m">Greenhill</h3>' in page  # by ward
    assert "Private residents" not in page
    for secret in ("Pat Example", "pat@example.org", "01530 000000"):
        assert secret not in page


def test_the_home_page_offers_both_services(client: Any, db: Any):
    page = client.get(reverse("core:home")).content.decode()
    assert "You said, we did: your neighbourhood" in page
    assert "Neighbourhood watch and community groups" in page


# --- on the small real store -------------------------------------------------------------------


def test_trend_sentences_use_the_verdict_wording_and_never_a_bare_percentage(real_store: Path):
    trend = crime.neighbourhood_trend(GREENHILL)
    assert trend["state"] == "ready"
    assert trend["n_lsoas"] == 5
    crime_sentence, asb_sentence = trend["sentences"]
    assert re.match(r"[\d,]+ crimes? were recorded from \w+ \d{4} to \w+ \d{4}, against",
                    crime_sentence["counts"])  # fmt: skip
    assert "incidents of anti-social behaviour were recorded" in asb_sentence["counts"]
    # The small store lacks months of 2024: the same months of each year are compared instead.
    assert "is missing, so we compare the same months of each year" in crime_sentence["counts"]
    for sentence in (crime_sentence, asb_sentence):
        # The verdict names its confidence level ("at the 95 % level"); no other percentage.
        text = " ".join([sentence["counts"], sentence["plain"], sentence["verdict"]])
        assert "%" not in text.replace("95 % level", "").replace("99 % level", "")
        if sentence["verdict"]:
            assert "distinguishable from noise" in sentence["verdict"]


def test_you_said_page_with_the_real_store_says_what_it_was_computed_from(
    client: Any, published: Any, real_store: Path
):
    url = reverse("community_public:you_said", kwargs={"neighbourhood_id": published.pk})
    page = client.get(url).content.decode()
    assert "were recorded from" in page
    assert "How we worked this out" in page
    assert "police.uk" in page
    assert "5 small areas" in page


def test_capacity_page_shades_crime_and_outlines_covered_areas(
    client: Any, watch: Any, viewer: Any, real_store: Path
):
    client.force_login(viewer)
    mark_second_factor_verified(client, viewer)
    page = client.get(reverse("community:capacity")).content.decode()
    assert "data:image/svg+xml;base64," in page
    assert "North West Leicestershire 009A" in page  # a name before its code
    assert "2 of " in page  # the watch covers two small areas

    crime_data = crime.partnership_crime(watch.partnership)
    svg = crime.capacity_map_svg(crime_data, set(GREENHILL[:2]))
    assert svg is not None
    assert svg.count("stroke-width: 2.5") >= 2


def test_a_neighbourhood_made_private_later_drops_off_the_public_site(client: Any, published: Any):
    url = reverse("community_public:you_said", kwargs={"neighbourhood_id": published.pk})
    assert client.get(url).status_code == 200
    published.sharing = "organisation"
    published.save()
    assert client.get(url).status_code == 404
