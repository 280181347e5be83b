"""The permission vocabulary: predicates "may this user do this?".

Role names appear here and nowhere else in views or templates. Each predicate takes the user
(possibly anonymous) and the object, and returns a bool.

The ``roles_*`` predicates are pure: they take the roles a caller already loaded (with
``roles_in_partnership``, once per request) and never query the database. The user-and-object
predicates accept those roles as ``roles=`` and then query nothing either; without them they load
the roles themselves, as before.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.conf import settings

from saferplaces.accounts.models import Membership, Partnership
from saferplaces.core.models import SharingLevel

Role = Membership.Role

# Roles that may change records their organisation owns.
EDITING_ROLES = {Role.PARTNERSHIP_MANAGER, Role.ANALYST, Role.PARTNER_OFFICER}
ANALYTICS_ROLES = {
    Role.PARTNERSHIP_MANAGER,
    Role.ANALYST,
    Role.PARTNER_OFFICER,
    Role.BOARD_MEMBER,
    Role.VIEWER,
}
IMPORT_ROLES = {Role.PARTNERSHIP_MANAGER, Role.ANALYST}


def signed_in(user: Any) -> bool:
    """A real, active, signed-in user: the first test of every app's permission predicates."""
    return user is not None and user.is_authenticated and user.is_active


def is_system_admin(user: Any) -> bool:
    return signed_in(user) and bool(user.is_system_admin)


def roles_can_manage(roles: Collection[str]) -> bool:
    return Role.PARTNERSHIP_MANAGER in roles


def roles_can_view_analytics(roles: Collection[str]) -> bool:
    return any(role in ANALYTICS_ROLES for role in roles)


def roles_can_import_data(roles: Collection[str]) -> bool:
    return any(role in IMPORT_ROLES for role in roles)


def roles_in_partnership(user: Any, partnership: Partnership | Any) -> set[str]:
    if not signed_in(user) or partnership is None:
        return set()
    partnership_id = getattr(partnership, "pk", partnership)
    return set(
        Membership.objects.filter(
            user=user, organisation__partnership_id=partnership_id
        ).values_list("role", flat=True)
    )


def roles_in_organisation(user: Any, organisation: Any) -> set[str]:
    if not signed_in(user) or organisation is None:
        return set()
    organisation_id = getattr(organisation, "pk", organisation)
    return set(
        Membership.objects.filter(user=user, organisation_id=organisation_id).values_list(
            "role", flat=True
        )
    )


def is_member_of_partnership(user: Any, partnership: Partnership) -> bool:
    return bool(roles_in_partnership(user, partnership))


def can_view_partnership(user: Any, partnership: Partnership) -> bool:
    # Administrators set partnerships up, so they see organisations and members (not case data).
    return is_system_admin(user) or is_member_of_partnership(user, partnership)


def can_create_partnership(user: Any) -> bool:
    return is_system_admin(user)


def can_manage_partnership(
    user: Any, partnership: Partnership, *, roles: Collection[str] | None = None
) -> bool:
    if is_system_admin(user):
        return True
    if roles is None:
        roles = roles_in_partnership(user, partnership)
    return signed_in(user) and roles_can_manage(roles)


def can_manage_members(
    user: Any, partnership: Partnership, *, roles: Collection[str] | None = None
) -> bool:
    return can_manage_partnership(user, partnership, roles=roles)


def can_view_audit_log(user: Any, partnership: Partnership | None = None) -> bool:
    """Without a partnership: may the user open the audit log page at all?"""
    if is_system_admin(user):
        return True
    if not signed_in(user):
        return False
    if partnership is None:
        return Membership.objects.filter(user=user, role=Role.PARTNERSHIP_MANAGER).exists()
    return Role.PARTNERSHIP_MANAGER in roles_in_partnership(user, partnership)


def can_view_analytics(
    user: Any, partnership: Partnership, *, roles: Collection[str] | None = None
) -> bool:
    if roles is None:
        roles = roles_in_partnership(user, partnership)
    return signed_in(user) and roles_can_view_analytics(roles)


def can_import_data(
    user: Any, partnership: Partnership, *, roles: Collection[str] | None = None
) -> bool:
    if roles is None:
        roles = roles_in_partnership(user, partnership)
    return signed_in(user) and roles_can_import_data(roles)


def can_view_owned_record(user: Any, record: Any) -> bool:
    if record.sharing == SharingLevel.PUBLIC:
        return True
    if not signed_in(user):
        return False
    if roles_in_organisation(user, record.owner_organisation_id):
        return True
    return record.sharing == SharingLevel.PARTNERSHIP and bool(
        roles_in_partnership(user, record.partnership_id)
    )


def can_edit_owned_record(user: Any, record: Any) -> bool:
    """Editors of the owner organisation, or a manager of the record's partnership."""
    if Role.PARTNERSHIP_MANAGER in roles_in_partnership(user, record.partnership_id):
        return True
    return bool(roles_in_organisation(user, record.owner_organisation_id) & EDITING_ROLES)


def can_use_admin_site(user: Any) -> bool:
    return is_system_admin(user)


def requires_two_factor(user: Any) -> bool:
    """Two-factor is required for every account (ASVS v5.0.0-6.3.2).

    ``SAFERPLACES_REQUIRE_2FA_FOR_ALL = False`` (for a demo only; production settings refuse it)
    makes it optional for partnership staff; system administrators always need it.
    """
    if is_system_admin(user):
        return True
    return signed_in(user) and bool(getattr(settings, "SAFERPLACES_REQUIRE_2FA_FOR_ALL", True))
