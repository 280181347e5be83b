"""Who may read and change the partnership calendar.

- Every member of the partnership (any role) reads every event in it, staff and public.
- Analysts, partner officers and partnership managers add events, owned by an organisation
  they hold one of those roles in (a manager may name any organisation of the partnership).
- An event is changed or deleted by those roles in its owning organisation, or by a
  partnership manager. Board members and read-only viewers read.
- System administrators hold no membership, so they see no calendar.
- Anyone (no sign-in) reads a partnership's public events through its public feed.

Each predicate takes the user's roles by organisation inside the partnership (loaded once per
request with ``selectors.roles_by_organisation``) and queries nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from saferplaces.accounts.models import Role
from saferplaces.accounts.permissions import signed_in

NOT_ALLOWED_VIEW = "Only members of the partnership can read its calendar."
NOT_ALLOWED_EDIT = (
    "Only analysts, partner officers and partnership managers can add or change events, and "
    "only for an organisation they work for."
)

EDITING_ROLES = {Role.PARTNERSHIP_MANAGER, Role.ANALYST, Role.PARTNER_OFFICER}

OrgRoles = Mapping[Any, Set[str]]


def _all_roles(org_roles: OrgRoles) -> set[str]:
    return {role for roles in org_roles.values() for role in roles}


def can_view_calendar(user: Any, *, org_roles: OrgRoles) -> bool:
    return signed_in(user) and bool(_all_roles(org_roles))


def is_partnership_manager(org_roles: OrgRoles) -> bool:
    return Role.PARTNERSHIP_MANAGER in _all_roles(org_roles)


def organisations_user_may_own_for(
    organisation_ids: list[Any], *, org_roles: OrgRoles
) -> list[Any]:
    """Which of the partnership's organisations the user may name as an event's owner."""
    if is_partnership_manager(org_roles):
        return list(organisation_ids)
    return [oid for oid in organisation_ids if set(org_roles.get(oid, ())) & EDITING_ROLES]


def can_add_event(user: Any, *, org_roles: OrgRoles) -> bool:
    return signed_in(user) and bool(_all_roles(org_roles) & EDITING_ROLES)


def can_edit_event(user: Any, event: Any, *, org_roles: OrgRoles) -> bool:
    if not signed_in(user):
        return False
    if is_partnership_manager(org_roles):
        return True
    return bool(set(org_roles.get(event.owner_organisation_id, ())) & EDITING_ROLES)
