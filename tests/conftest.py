"""Shared fixtures for the whole suite."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def _allow_flush_of_append_only_audit_table() -> None:
    """Let ``flush`` (between transactional tests on SQLite) empty the audit table.

    The table refuses DELETE through a trigger (docs/adr/0004); ``audit_maintenance`` opens a
    window for it. PostgreSQL's flush uses TRUNCATE, which row triggers do not see.
    """
    import django.db.backends.sqlite3.base  # noqa: F401 - operations imports base circularly
    from django.db.backends.sqlite3.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush
    if getattr(original, "_saferplaces_patched", False):
        return

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):  # type: ignore[no-untyped-def]
        statements = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if "audit_auditevent" in tables:
            statements = [
                "UPDATE audit_maintenance SET allow_delete = 1",
                *statements,
                "UPDATE audit_maintenance SET allow_delete = 0",
            ]
        return statements

    sql_flush._saferplaces_patched = True  # type: ignore[attr-defined]
    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    _allow_flush_of_append_only_audit_table()


# Every role a permission matrix lists, in matrix column order.
ROLES = (
    "anonymous",
    "outsider",
    "viewer",
    "board_member",
    "partner_officer",
    "analyst",
    "partnership_manager",
    "system_admin",
)


def mark_second_factor_verified(client: Any, user: Any) -> None:
    """Give ``user`` a confirmed TOTP device and mark the client's session as verified."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test device", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def partnership(db: Any) -> Any:
    from tests.saferplaces.factories import PartnershipFactory

    return PartnershipFactory()


@pytest.fixture
def sign_in_as(db: Any) -> Callable[..., Any]:
    """``sign_in_as(client, role, partnership=...)`` signs a new user with that role in.

    Roles: see ``ROLES``. ``outsider`` is a partnership manager of *another* partnership;
    ``system_admin`` has no membership. Every signed-in user has passed two-factor (required
    for every account). Returns the user (None for anonymous).
    """
    from saferplaces.accounts.models import Role
    from tests.saferplaces.factories import (
        MembershipFactory,
        OrganisationFactory,
        PartnershipFactory,
        UserFactory,
    )

    def _sign_in(client: Any, role: str, partnership: Any = None, **user_fields: Any) -> Any:
        if role not in ROLES:
            raise ValueError(f"Unknown role {role!r}; choose from {ROLES}")
        client.logout()
        if role == "anonymous":
            return None
        if role == "system_admin":
            user = UserFactory(is_system_admin=True, **user_fields)
            client.force_login(user)
            mark_second_factor_verified(client, user)
            return user
        user = UserFactory(**user_fields)
        if role == "outsider":
            elsewhere = OrganisationFactory(partnership=PartnershipFactory())
            MembershipFactory(user=user, organisation=elsewhere, role=Role.PARTNERSHIP_MANAGER)
        else:
            partnership = partnership or PartnershipFactory()
            organisation = OrganisationFactory(partnership=partnership)
            MembershipFactory(user=user, organisation=organisation, role=role)
        client.force_login(user)
        mark_second_factor_verified(client, user)
        return user

    return _sign_in
