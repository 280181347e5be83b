"""Fixtures: the small real store of the analytics tests, a partnership over it, its people."""

from __future__ import annotations

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

# Greenhill and Agar Nook, Coalville: the demo neighbourhood (MSOA North West Leicestershire 009).
GREENHILL = ["E01025932", "E01025933", "E01025934", "E01025935", "E01025936"]
LEICESTER_LSOA = "E01013600"  # Leicester 003A: in the force area, outside the partnership


@pytest.fixture
def nwl(db: Any) -> Any:
    """North West Leicestershire's partnership (its real district code)."""
    return PartnershipFactory(
        name="North West Leicestershire Community Safety Partnership",
        gss_code="E22000170",
        lad_codes=["E07000134"],
    )


@pytest.fixture
def council(nwl: Any) -> Any:
    return OrganisationFactory(partnership=nwl, name="North West Leicestershire District Council")


@pytest.fixture
def analyst(council: Any) -> Any:
    return MembershipFactory(organisation=council, role=Role.ANALYST).user


@pytest.fixture
def member(nwl: Any) -> Any:
    """A viewer in another organisation of the partnership."""
    police = OrganisationFactory(partnership=nwl, name="Leicestershire Police")
    return MembershipFactory(organisation=police, role=Role.VIEWER).user


def square(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}
