"""The permission vocabulary, role by role."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from saferplaces.accounts import permissions
from saferplaces.accounts.models import Role
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

#                        manager analyst officer board viewer
EXPECTED = {
    "can_view_partnership": (True, True, True, True, True),
    "can_manage_partnership": (True, False, False, False, False),
    "can_manage_members": (True, False, False, False, False),
    "can_view_audit_log": (True, False, False, False, False),
    "can_view_analytics": (True, True, True, True, True),
    "can_import_data": (True, True, False, False, False),
}  # fmt: skip
ROLES = (
    Role.PARTNERSHIP_MANAGER,
    Role.ANALYST,
    Role.PARTNER_OFFICER,
    Role.BOARD_MEMBER,
    Role.VIEWER,
)


@pytest.mark.parametrize("predicate", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_role_capabilities(db: Any, predicate: str, role: str) -> None:
    partnership = PartnershipFactory()
    user = MembershipFactory(
        organisation=OrganisationFactory(partnership=partnership), role=role
    ).user
    expected = dict(zip(ROLES, EXPECTED[predicate], strict=True))[role]
    assert getattr(permissions, predicate)(user, partnership) is expected


@pytest.mark.parametrize("predicate", sorted(EXPECTED))
def test_nobody_outside_gets_anything(db: Any, predicate: str) -> None:
    partnership = PartnershipFactory()
    manager_elsewhere = MembershipFactory(role=Role.PARTNERSHIP_MANAGER).user
    assert getattr(permissions, predicate)(manager_elsewhere, partnership) is False
    assert getattr(permissions, predicate)(AnonymousUser(), partnership) is False


def test_system_admin_runs_the_installation_but_sees_no_analytics(db: Any) -> None:
    partnership = PartnershipFactory()
    admin = UserFactory(is_system_admin=True)
    assert permissions.can_create_partnership(admin)
    assert permissions.can_manage_members(admin, partnership)
    assert permissions.can_view_audit_log(admin)
    assert permissions.requires_two_factor(admin)
    assert not permissions.can_view_analytics(admin, partnership)
    assert not permissions.can_import_data(admin, partnership)


def test_inactive_user_gets_nothing(db: Any) -> None:
    membership = MembershipFactory(role=Role.PARTNERSHIP_MANAGER, user__is_active=False)
    assert not permissions.can_manage_partnership(
        membership.user, membership.organisation.partnership
    )


def test_roles_across_partnerships_do_not_leak(db: Any) -> None:
    user = UserFactory()
    first, second = PartnershipFactory(), PartnershipFactory()
    MembershipFactory(
        user=user,
        organisation=OrganisationFactory(partnership=first),
        role=Role.PARTNERSHIP_MANAGER,
    )
    MembershipFactory(
        user=user, organisation=OrganisationFactory(partnership=second), role=Role.VIEWER
    )
    assert permissions.can_manage_partnership(user, first)
    assert not permissions.can_manage_partnership(user, second)
    assert permissions.can_view_partnership(user, second)


def test_every_signed_in_account_requires_two_factor(db: Any, settings: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    member, admin = UserFactory(), UserFactory(is_system_admin=True)
    assert permissions.requires_two_factor(member)
    assert not permissions.requires_two_factor(AnonymousUser())
    settings.SAFERPLACES_REQUIRE_2FA_FOR_ALL = False  # the demo relaxation
    assert not permissions.requires_two_factor(member)
    assert permissions.requires_two_factor(admin)
