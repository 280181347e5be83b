"""A partnership's audit view: personal events only since the person joined; nothing of others."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import pytest

from saferplaces.accounts.models import Role
from saferplaces.audit.selectors import audit_event_list_visible
from saferplaces.audit.services import audit_record
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@contextmanager
def at(day: int) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=START + timedelta(days=day)):
        yield


@pytest.fixture
def setting(db: Any) -> dict[str, Any]:
    """Alice has been in partnership B since day 0; A's manager adds her on day 10."""
    a, b = PartnershipFactory(name="A"), PartnershipFactory(name="B")
    manager_a = MembershipFactory(
        organisation=OrganisationFactory(partnership=a), role=Role.PARTNERSHIP_MANAGER
    ).user
    manager_b = MembershipFactory(
        organisation=OrganisationFactory(partnership=b), role=Role.PARTNERSHIP_MANAGER
    ).user
    alice = UserFactory()
    with at(0):
        MembershipFactory(
            user=alice, organisation=OrganisationFactory(partnership=b), joined_at=START
        )
    with at(1):
        audit_record(actor=alice, verb="auth.signed_in", target=alice, summary={"n": "old"})
    with at(2):
        audit_record(actor=None, verb="auth.sign_in_failed", target=alice, summary={"n": "old"})
    with at(3):
        audit_record(actor=alice, verb="access.forbidden", summary={"n": "old"})
    with at(4):
        audit_record(actor=alice, verb="analytics.crime_data_viewed", partnership=b, target=b)
    with at(10):
        MembershipFactory(
            user=alice,
            organisation=OrganisationFactory(partnership=a),
            joined_at=START + timedelta(days=10),
        )
    with at(11):
        audit_record(actor=alice, verb="auth.signed_in", target=alice, summary={"n": "new"})
    with at(12):
        audit_record(actor=None, verb="auth.sign_in_failed", target=alice, summary={"n": "new"})
    with at(13):
        audit_record(actor=alice, verb="analytics.crime_data_viewed", partnership=b, target=b)
    with at(14):
        audit_record(actor=alice, verb="analytics.crime_data_viewed", partnership=a, target=a)
    return {"a": a, "b": b, "manager_a": manager_a, "manager_b": manager_b, "alice": alice}


def _seen(user: Any, **filters: Any) -> list[tuple[int, str]]:
    events = audit_event_list_visible(user=user, **filters).filter(occurred_at__gte=START)
    return sorted(((e.occurred_at - START).days, e.verb) for e in events)


def test_new_partnership_sees_personal_events_only_since_joining(setting: dict[str, Any]) -> None:
    assert _seen(setting["manager_a"]) == [
        (11, "auth.signed_in"),
        (12, "auth.sign_in_failed"),
        (14, "analytics.crime_data_viewed"),
    ]


def test_new_partnership_never_sees_the_other_partnerships_events(
    setting: dict[str, Any],
) -> None:
    events = audit_event_list_visible(user=setting["manager_a"])
    assert not events.filter(partnership=setting["b"]).exists()
    assert not events.filter(ip_address__isnull=False, occurred_at__lt=START + timedelta(days=10))


def test_old_partnership_still_sees_everything_of_its_member(setting: dict[str, Any]) -> None:
    assert _seen(setting["manager_b"]) == [
        (1, "auth.signed_in"),
        (2, "auth.sign_in_failed"),
        (3, "access.forbidden"),
        (4, "analytics.crime_data_viewed"),
        (11, "auth.signed_in"),
        (12, "auth.sign_in_failed"),
        (13, "analytics.crime_data_viewed"),
    ]


def test_partnership_filter_applies_the_same_rule(setting: dict[str, Any]) -> None:
    admin = UserFactory(is_system_admin=True)
    seen = _seen(admin, partnership=setting["a"])
    assert (1, "auth.signed_in") not in seen
    assert (11, "auth.signed_in") in seen
