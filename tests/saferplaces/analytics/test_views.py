"""The crime data page: who may open it, what it shows, and the audit record of each view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from saferplaces.analytics.services import VERB_CRIME_DATA_VIEWED
from saferplaces.audit.models import AuditEvent
from saferplaces.audit.registry import Action
from tests.crimestats.reference import NWL_2025_ASB, NWL_2025_CRIMES

URL = "/staff/crime/"
PROFILE = "/staff/crime/profile/"
ALLOWED = ["viewer", "board_member", "partner_officer", "analyst", "partnership_manager"]


def test_url_is_staff_crime() -> None:
    assert reverse("analytics:crime_data") == URL


@pytest.mark.parametrize("role", ALLOWED)
def test_members_in_every_role_see_the_figures(
    client: Any, sign_in_as: Any, partnership: Any, synthetic_store: Path, role: str
) -> None:
    sign_in_as(client, role, partnership=partnership)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Crime data</h1>' in html
    assert "Per 1,000 residents" in html
    assert "How these figures were made" in html


def test_system_administrator_sees_no_case_data(
    client: Any, sign_in_as: Any, synthetic_store: Path
) -> None:
    sign_in_as(client, "system_admin")

    assert client.get(URL).status_code == 403


def test_generated_data_carries_a_warning(
    client: Any, sign_in_as: Any, partnership: Any, synthetic_store: Path
) -> None:
    sign_in_as(client, "analyst", partnership=partnership)

    html = client.get(URL).content.decode()

    assert "govuk-warning-text" in html
    assert "generated demo data, not real police records" in html


def test_real_page_shows_counts_harm_quality_and_provenance(
    client: Any, sign_in_as: Any, real_store: Path
) -> None:
    from tests.saferplaces.factories import PartnershipFactory

    partnership = PartnershipFactory(lad_codes=["E07000134"])
    sign_in_as(client, "viewer", partnership=partnership)

    html = client.get(PROFILE).content.decode()

    assert "govuk-warning-text" not in html
    assert f"{NWL_2025_CRIMES:,}" in html  # crimes, data README §4 less anti-social behaviour
    assert f"{NWL_2025_ASB:,}" in html  # anti-social behaviour, counted separately
    assert "Violence and sexual offences" in html
    assert "May to December 2024" in html  # the data-quality gaps
    assert '<th scope="col"' in html
    assert '<th scope="row"' in html
    assert "<caption" in html
    assert "cchi" in html  # harm weights version in the provenance


def test_empty_state_says_how_to_load_data(
    client: Any, sign_in_as: Any, partnership: Any, empty_store: Path
) -> None:
    sign_in_as(client, "analyst", partnership=partnership)

    html = client.get(URL).content.decode()

    assert "No crime data has been loaded yet" in html
    assert "saferplaces_load_demo_data" in html


def test_viewing_writes_a_view_audit_event(
    client: Any, sign_in_as: Any, partnership: Any, empty_store: Path
) -> None:
    user = sign_in_as(client, "board_member", partnership=partnership)

    client.get(URL)

    event = AuditEvent.objects.get(verb=VERB_CRIME_DATA_VIEWED)
    assert event.action == Action.VIEW
    assert event.actor == user
    assert event.partnership == partnership
    assert event.summary["state"] == "no_data"


def test_navigation_links_to_crime_data_for_members_only(
    client: Any, sign_in_as: Any, partnership: Any
) -> None:
    sign_in_as(client, "viewer", partnership=partnership)
    assert 'href="/staff/crime/"' in client.get(reverse("accounts:staff_home")).content.decode()

    sign_in_as(client, "system_admin")
    assert 'href="/staff/crime/"' not in client.get(reverse("accounts:staff_home")).content.decode()


def test_figures_that_cannot_be_computed_say_why(
    client: Any,
    sign_in_as: Any,
    partnership: Any,
    synthetic_store: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from saferplaces.analytics import selectors

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("no street data for the period")

    monkeypatch.setattr(selectors, "csp_profile", refuse)
    sign_in_as(client, "analyst", partnership=partnership)

    html = client.get(PROFILE).content.decode()

    assert "could not be computed" in html
    assert "No street data for the period." in html


def test_real_page_shows_harm_interval_hot_spots_and_archives(
    client: Any, sign_in_as: Any, real_store: Path
) -> None:
    # Issue #11.6 / #11.5 / #12 / #11.10 on the page: the harm total carries an interval and
    # what drives it, every hot or cold spot is listed (or why none was tested), and the
    # police.uk archives are named in the method details.
    from tests.saferplaces.factories import PartnershipFactory

    partnership = PartnershipFactory(lad_codes=["E07000134"])
    sign_in_as(client, "viewer", partnership=partnership)

    html = client.get(PROFILE).content.decode()

    assert "could plausibly be anywhere from" in html
    assert "comes from robbery" in html
    assert "Harm, 95% interval" in html
    assert '<h2 class="govuk-heading-m">Hot spots</h2>' in html
    assert "hot spot" in html.lower()
    assert "police.uk archives" in html
    assert "leicestershire-2025" in html
    assert "Counted: " in html
    assert "belong to neither" in html
