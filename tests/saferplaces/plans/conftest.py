"""Fixtures for the plan tests: a partnership with three organisations, people in each role,
an approved assessment (small hand-made document) and a draft plan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from saferplaces.accounts.models import Role
from saferplaces.assessments.models import Assessment, AssessmentStatus
from saferplaces.plans import services
from saferplaces.plans.models import Plan
from tests.saferplaces.assessments._documents import small_document
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)


@pytest.fixture
def csp(db: Any) -> Any:
    return PartnershipFactory(name="North West Leicestershire Community Safety Partnership")


@pytest.fixture
def council(csp: Any) -> Any:
    return OrganisationFactory(partnership=csp, name="District Council")


@pytest.fixture
def police(csp: Any) -> Any:
    return OrganisationFactory(partnership=csp, name="Police", type="police")


@pytest.fixture
def housing(csp: Any) -> Any:
    return OrganisationFactory(partnership=csp, name="Housing Association", type="housing")


@pytest.fixture
def person(council: Any) -> Callable[..., Any]:
    """``person(role, organisation=council, **user_fields)``: a member of the partnership."""

    def make(role: str, organisation: Any = None, **fields: Any) -> Any:
        user = UserFactory(**fields)
        MembershipFactory(user=user, organisation=organisation or council, role=role)
        return user

    return make


@pytest.fixture
def manager(person: Callable[..., Any]) -> Any:
    return person(Role.PARTNERSHIP_MANAGER, full_name="Morgan Manager")


@pytest.fixture
def analyst(person: Callable[..., Any]) -> Any:
    return person(Role.ANALYST, full_name="Ash Analyst")


@pytest.fixture
def officer(person: Callable[..., Any], police: Any) -> Any:
    return person(Role.PARTNER_OFFICER, organisation=police, full_name="Olu Officer")


MANAGER = {Role.PARTNERSHIP_MANAGER}
ANALYST = {Role.ANALYST}
OFFICER = {Role.PARTNER_OFFICER}


@pytest.fixture
def approved_assessment(csp: Any, manager: Any) -> Assessment:
    return Assessment.objects.create(
        partnership=csp,
        title="Strategic assessment 2025",
        status=AssessmentStatus.APPROVED,
        number=1,
        approved_by=manager,
        document=small_document(),
        options={"area": "E07000134", "last_month": "2025-12-01", "months": 12},
        progress=100,
    )


@pytest.fixture
def plan(csp: Any, manager: Any) -> Plan:
    return services.plan_create(
        partnership=csp,
        by=manager,
        roles=MANAGER,
        title="Community Safety Plan",
        start_year=2026,
        end_year=2029,
        vision="A safer district.",
    )


@pytest.fixture
def make_action(manager: Any) -> Callable[..., Any]:
    def make(plan: Plan, organisations: list[Any], **data: Any) -> Any:
        priority = plan.priorities.first() or services.priority_create(
            plan=plan, by=manager, roles=MANAGER, data={"title": "Burglary"}
        )
        values = {
            "key_activity": "Target hardening for repeat victims",
            "organisations": organisations,
            "intervention_level": "prevention",
            "start_date": date(2026, 4, 1),
            "completion_date": date(2027, 3, 31),
            **data,
        }
        return services.action_create(priority=priority, by=manager, roles=MANAGER, data=values)

    return make


def approve(plan: Plan, analyst: Any, manager: Any) -> None:
    services.plan_submit(plan=plan, by=analyst, roles=ANALYST)
    services.plan_approve(
        plan=plan, by=manager, roles=MANAGER, minute="Board, 12 March 2026, item 5: approved",
        approved_on=date(2026, 3, 12),
    )  # fmt: skip
    plan.refresh_from_db()


@pytest.fixture
def sign_in() -> Callable[..., Any]:
    """``sign_in(client, user)``: signed in, past two-factor."""
    from tests.conftest import mark_second_factor_verified

    def go(client: Any, user: Any) -> Any:
        client.logout()
        client.force_login(user)
        mark_second_factor_verified(client, user)
        return user

    return go
