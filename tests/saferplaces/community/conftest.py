"""Fixtures: a partnership with a council and the police, their people, and known LSOAs."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from saferplaces.accounts.models import Role
from tests.saferplaces.analytics.conftest import (  # noqa: F401 - fixtures used by these tests
    _close_engines_at_the_end,
    empty_store,
    real_store,
    use_data_dir,
)
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
)

# Greenhill and Agar Nook, Coalville (MSOA North West Leicestershire 009).
GREENHILL = ["E01025932", "E01025933", "E01025934", "E01025935", "E01025936"]
GREENHILL_NAMES = [f"North West Leicestershire 009{letter}" for letter in "ABCDE"]


@pytest.fixture
def nwl(db: Any) -> Any:
    return PartnershipFactory(
        name="North West Leicestershire Community Safety Partnership",
        gss_code="E22000170",
        lad_codes=["E07000134"],
    )


@pytest.fixture
def council(nwl: Any) -> Any:
    return OrganisationFactory(partnership=nwl, name="North West Leicestershire District Council")


@pytest.fixture
def police(nwl: Any) -> Any:
    return OrganisationFactory(partnership=nwl, name="Leicestershire Police")


def _member(organisation: Any, role: str) -> Any:
    return MembershipFactory(organisation=organisation, role=role).user


@pytest.fixture
def manager(police: Any) -> Any:
    return _member(police, Role.PARTNERSHIP_MANAGER)


@pytest.fixture
def analyst(council: Any) -> Any:
    return _member(council, Role.ANALYST)


@pytest.fixture
def officer(council: Any) -> Any:
    """A partner officer of the council (the organisation that owns the test groups)."""
    return _member(council, Role.PARTNER_OFFICER)


@pytest.fixture
def police_officer(police: Any) -> Any:
    return _member(police, Role.PARTNER_OFFICER)


@pytest.fixture
def viewer(council: Any) -> Any:
    return _member(council, Role.VIEWER)


@pytest.fixture
def known_lsoas(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The partnership's LSOAs without a crime store: the five Greenhill areas."""
    rows = [
        {"code": code, "name": name, "ward": "Greenhill"}
        for code, name in zip(GREENHILL, GREENHILL_NAMES, strict=True)
    ]
    monkeypatch.setattr(
        "saferplaces.neighbourhoods.selectors.partnership_lsoas", lambda partnership: rows
    )
    return GREENHILL


@pytest.fixture
def neighbourhood(nwl: Any, council: Any) -> Any:
    from saferplaces.neighbourhoods.models import Neighbourhood

    return Neighbourhood.objects.create(
        partnership=nwl, owner_organisation=council, name="Greenhill and Agar Nook",
        lsoa_codes=GREENHILL, baseline_month=date(2024, 1, 1), sharing="partnership",
    )  # fmt: skip


def group_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": "watch",
        "name": "Greenhill Road Neighbourhood Watch",
        "description": "Twenty-five households on Greenhill Road.",
        "members_count": 25,
        "listed_publicly": True,
        "review_date": date(2027, 1, 31),
        "coordinator_name": "Pat Example",
        "coordinator_email": "pat@example.org",
        "coordinator_phone": "01530 000000",
        "consent_given_on": date(2026, 1, 10),
        "consent_wording": "I agree that the partnership may keep my details.",
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def watch(nwl: Any, council: Any, analyst: Any, known_lsoas: list[str]) -> Any:
    from saferplaces.accounts.permissions import roles_in_partnership
    from saferplaces.community.services import group_create

    return group_create(
        partnership=nwl, by=analyst, roles=roles_in_partnership(analyst, nwl),
        owner_organisation=council, lsoa_codes=GREENHILL[:2], **group_fields(),
    )  # fmt: skip
