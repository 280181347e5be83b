"""Fixtures for the alerts tests: a partnership of two districts, members in each role, and
helpers that sign a resident up (and confirm) through the services."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache

from saferplaces.accounts.models import Role
from saferplaces.alerts import services
from saferplaces.alerts.models import Subscription
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

DISTRICT_A, DISTRICT_B = "E07000134", "E07000129"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()  # the per-address counts of public forms live in the cache


@pytest.fixture
def csp(db: Any) -> Any:
    return PartnershipFactory(
        name="North West Leicestershire Community Safety Partnership",
        lad_codes=[DISTRICT_A, DISTRICT_B],
    )


@pytest.fixture
def council(csp: Any) -> Any:
    return OrganisationFactory(partnership=csp, name="District Council")


@pytest.fixture
def person(council: Any) -> Callable[..., Any]:
    def make(role: str) -> Any:
        user = UserFactory()
        MembershipFactory(user=user, organisation=council, role=role)
        return user

    return make


@pytest.fixture
def manager(person: Callable[..., Any]) -> Any:
    return person(Role.PARTNERSHIP_MANAGER)


@pytest.fixture
def viewer(person: Callable[..., Any]) -> Any:
    return person(Role.VIEWER)


def link_in(message: Any, path: str) -> str:
    """The first link in an e-mail whose path starts with ``path`` (made absolute)."""
    found = re.search(r"http://testserver(" + re.escape(path) + r"\S+)", message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def subscribe(csp: Any) -> Callable[..., Subscription]:
    """``subscribe(email, areas=["all"], topics=["crime"], confirm=True)`` via the services."""

    def make(
        email: str,
        areas: list[str] | None = None,
        topics: list[str] | None = None,
        confirm: bool = True,
    ) -> Subscription:
        before = len(mail.outbox)
        services.subscription_request(
            partnership=csp,
            email=email,
            areas=areas or ["all"],
            topics=topics or ["crime"],
            key=uuid.uuid4(),
        )
        subscription = Subscription.objects.get(partnership=csp, email=email.lower())
        if confirm:
            confirm_path = link_in(mail.outbox[before], "/alerts/confirm/")
            signed = confirm_path.split("/alerts/confirm/")[1].rstrip("/")
            services.subscription_confirm(signed=signed)
            subscription.refresh_from_db()
        return subscription

    return make
