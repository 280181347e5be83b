"""The staff home by role: crime data for every member, tested changes for analysts and
managers (from the cache only), and a set-up checklist for the manager of a new partnership."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

HOME = reverse("accounts:staff_home")


@pytest.fixture
def nwl(real_store: Path) -> Any:
    from tests.saferplaces.factories import OrganisationFactory, PartnershipFactory

    partnership = PartnershipFactory(name="North West Leicestershire CSP", lad_codes=["E07000134"])
    OrganisationFactory(partnership=partnership)  # a partner besides the signed-in member's
    return partnership


def _prepare(partnership: Any) -> dict[str, Any]:
    from saferplaces.analytics.dashboard import home_figures_prepare

    return home_figures_prepare(partnership=partnership)


def test_analyst_sees_the_real_changes_once_prepared(
    client: Any, sign_in_as: Any, nwl: Any
) -> None:
    sign_in_as(client, "analyst", partnership=nwl)

    cold = client.get(HOME).content.decode()
    assert "figures are being prepared" in cold  # never computed on the home page
    assert 'href="/staff/crime/"' in cold

    figures = _prepare(nwl)
    html = client.get(HOME).content.decode()

    assert "Real changes, Jan–Apr 2025 against Jan–Apr 2024" in html
    assert figures["changes"], "the real data holds tested changes"
    for change in figures["changes"]:
        assert change["label"] in html
        assert "distinguishable from noise" in change["text"]
    assert "All crime" in html
    assert 'id="home-alerts"' in html
    assert "Nothing needs your attention" not in html


def test_viewer_gets_the_link_but_neither_figures_nor_checklist(
    client: Any, sign_in_as: Any, nwl: Any
) -> None:
    sign_in_as(client, "viewer", partnership=nwl)
    _prepare(nwl)

    html = client.get(HOME).content.decode()

    assert 'href="/staff/crime/"' in html
    assert "Real changes" not in html
    assert "Setting up the partnership" not in html


def test_manager_of_an_empty_partnership_sees_the_checklist(
    client: Any, sign_in_as: Any, empty_store: Path
) -> None:
    from tests.saferplaces.factories import PartnershipFactory

    partnership = PartnershipFactory()
    sign_in_as(client, "partnership_manager", partnership=partnership)
    _prepare(partnership)

    html = client.get(HOME).content.decode()

    assert "Setting up the partnership" in html
    assert "Add the partner organisations" in html
    assert "Invite members" in html
    assert "Load the police data" in html
    assert "Not loaded" in html
    assert "Start the first strategic assessment" in html
    assert 'href="/staff/assessments/"' in html


def test_analyst_of_an_empty_partnership_sees_no_checklist(
    client: Any, sign_in_as: Any, empty_store: Path
) -> None:
    from tests.saferplaces.factories import PartnershipFactory

    sign_in_as(client, "analyst", partnership=PartnershipFactory())

    assert "Setting up the partnership" not in client.get(HOME).content.decode()


def test_the_checklist_knows_when_an_assessment_has_been_started(
    client: Any, sign_in_as: Any, empty_store: Path
) -> None:
    from saferplaces.assessments.models import Assessment
    from tests.saferplaces.factories import PartnershipFactory

    partnership = PartnershipFactory()
    sign_in_as(client, "partnership_manager", partnership=partnership)
    _prepare(partnership)
    Assessment.objects.create(partnership=partnership, title="Strategic assessment")

    html = client.get(HOME).content.decode()

    step = html.split("Start the first strategic assessment", 1)[1][:300]
    assert "Started" in step
    assert "Not started" not in step
