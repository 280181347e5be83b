"""Fixtures for the indicator tests: the demo partnership's district, a plan with two
priorities led by two organisations, people in each role, and the small real store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from saferplaces.accounts.models import Role
from saferplaces.indicators import services
from saferplaces.indicators.models import Indicator
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

NWL = "E07000134"


@pytest.fixture
def nwl(db: Any) -> Any:
    return PartnershipFactory(
        name="North West Leicestershire Community Safety Partnership",
        gss_code="E22000170",
        lad_codes=[NWL],
        police_force="leicestershire",
    )


@pytest.fixture
def council(nwl: Any) -> Any:
    return OrganisationFactory(partnership=nwl, name="District Council")


@pytest.fixture
def police(nwl: Any) -> Any:
    return OrganisationFactory(partnership=nwl, name="Police")


@pytest.fixture
def member(council: Any) -> Callable[..., Any]:
    """``member(role, organisation=council)``: a new user with that role."""

    def make(role: str, organisation: Any = None) -> Any:
        user = UserFactory()
        MembershipFactory(user=user, organisation=organisation or council, role=role)
        return user

    return make


@pytest.fixture
def manager(member: Callable[..., Any]) -> Any:
    return member(Role.PARTNERSHIP_MANAGER)


@pytest.fixture
def analyst(member: Callable[..., Any]) -> Any:
    return member(Role.ANALYST)


@pytest.fixture
def plan(nwl: Any, council: Any, police: Any, member: Callable[..., Any]) -> Any:
    from saferplaces.plans.models import Plan, Priority

    plan = Plan.objects.create(
        partnership=nwl,
        title="Community Safety Plan",
        start_year=2026,
        end_year=2029,
        status="published",
    )
    lead = member(Role.PARTNER_OFFICER, police)
    Priority.objects.create(
        plan=plan,
        title="Anti-social behaviour",
        order=1,
        lead_organisation=police,
        lead_officer=lead,
    )
    Priority.objects.create(plan=plan, title="Burglary", order=2, lead_organisation=council)
    return plan


def priority(plan: Any, title: str) -> Any:
    return plan.priorities.get(title=title)


@pytest.fixture
def nwl_store(settings: Any) -> Path:
    """``settings.DATA_DIR`` is the small real Leicestershire store (2024 January to April and
    all of 2025)."""
    from tests.saferplaces.analytics._stores import real_data_dir

    settings.DATA_DIR = real_data_dir()
    cache.clear()
    return Path(settings.DATA_DIR)


def roles(user: Any, partnership: Any) -> set[str]:
    from saferplaces.accounts.permissions import roles_in_partnership

    return roles_in_partnership(user, partnership)


@pytest.fixture
def make_bound(plan: Any, manager: Any) -> Callable[..., Indicator]:
    def make(
        name: str,
        categories: list[str] | None,
        measure: str = "count",
        area: dict[str, Any] | None = None,
        **data: Any,
    ) -> Indicator:
        fields = {
            "name": name,
            "kind": "bound",
            "direction": "lower",
            "frequency": "monthly",
            "priority": priority(plan, "Anti-social behaviour"),
            "measure": {
                "area": area or {"kind": "partnership"},
                "categories": categories,
                "measure": measure,
            },
        }
        fields.update(data)
        return services.indicator_create(
            plan=plan, by=manager, roles=roles(manager, plan.partnership), data=fields
        )

    return make


@pytest.fixture
def make_manual(plan: Any, manager: Any) -> Callable[..., Indicator]:
    def make(name: str = "Residents who feel safe", **data: Any) -> Indicator:
        fields = {
            "name": name,
            "kind": "manual",
            "direction": "higher",
            "frequency": "quarterly",
            "priority": priority(plan, "Anti-social behaviour"),
            "unit": "%",
            "baseline_value": 60.0,
            "baseline_month": date(2024, 12, 1),
            "target_value": 70.0,
            "target_date": date(2027, 12, 1),
        }
        fields.update(data)
        return services.indicator_create(
            plan=plan, by=manager, roles=roles(manager, plan.partnership), data=fields
        )

    return make
