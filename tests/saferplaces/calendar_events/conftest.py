"""Fixtures: a partnership with a council and a police force, and people in each role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from saferplaces.accounts.models import Role
from saferplaces.calendar_events import services
from saferplaces.calendar_events.models import Event
from saferplaces.calendar_events.selectors import roles_by_organisation
from tests.saferplaces.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def council(partnership: Any) -> Any:
    return OrganisationFactory(partnership=partnership, name="District Council")


@pytest.fixture
def police(partnership: Any) -> Any:
    return OrganisationFactory(partnership=partnership, name="Police")


@pytest.fixture
def analyst(council: Any) -> Any:
    return MembershipFactory(organisation=council, role=Role.ANALYST).user


@pytest.fixture
def officer(police: Any) -> Any:
    return MembershipFactory(organisation=police, role=Role.PARTNER_OFFICER).user


@pytest.fixture
def board(police: Any) -> Any:
    return MembershipFactory(organisation=police, role=Role.BOARD_MEMBER).user


@pytest.fixture
def manager(police: Any) -> Any:
    return MembershipFactory(organisation=police, role=Role.PARTNERSHIP_MANAGER).user


@pytest.fixture
def add_event(partnership: Any, council: Any, analyst: Any) -> Any:
    """``add_event(title=...)``: an event added by the council's analyst (through the service)."""

    def _add(**extra: Any) -> Event:
        fields: dict[str, Any] = {
            "by": analyst, "partnership": partnership, "owner_organisation": council,
            "org_roles": roles_by_organisation(user=analyst, partnership=partnership),
            "title": "Partnership board", "kind": "meeting",
            "start_date": dt.date(2026, 3, 10), "end_date": dt.date(2026, 3, 10),
            "start_time": dt.time(14, 0), "end_time": dt.time(16, 0),
        }  # fmt: skip
        fields.update(extra)
        return services.event_create(**fields)

    return _add
