"""Who may triage residents' concerns and see the personal data in them.

Predicates over roles and organisation ids the caller already loaded; no queries.

- Partnership managers triage: they see every concern of the partnership, assign it to an
  organisation and read its personal data.
- Members of the organisation a concern is assigned to see it in their queue; its officers,
  analysts and managers act on it (notes, updates, closing, duplicates, passing it on) and,
  like every member of that organisation, may read its personal data (each view audited).
- Every member of the partnership reads the community intelligence: counts only.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from saferplaces.accounts.models import Role

NOT_ALLOWED_VIEW = "Only members of the partnership can see residents' concerns."
NOT_ALLOWED_ACT = (
    "Only the organisation this concern is assigned to, or a partnership manager, can work on it."
)
NOT_ALLOWED_ASSIGN = (
    "Only a partnership manager, or the organisation the concern is assigned to, can pass it "
    "to an organisation."
)

MEMBER_ROLES = {
    Role.PARTNERSHIP_MANAGER,
    Role.ANALYST,
    Role.PARTNER_OFFICER,
    Role.BOARD_MEMBER,
    Role.VIEWER,
}
ACTING_ROLES = {Role.PARTNERSHIP_MANAGER, Role.ANALYST, Role.PARTNER_OFFICER}


def roles_can_view_concerns(roles: Collection[str]) -> bool:
    return any(role in MEMBER_ROLES for role in roles)


def roles_see_all_concerns(roles: Collection[str]) -> bool:
    return Role.PARTNERSHIP_MANAGER in roles


def can_see_personal_data(
    concern: Any, *, roles: Collection[str], organisation_ids: Collection[Any]
) -> bool:
    """The assigned organisation's members and the partnership managers."""
    if Role.PARTNERSHIP_MANAGER in roles:
        return True
    return concern.assigned_organisation_id is not None and (
        concern.assigned_organisation_id in organisation_ids
    )


def can_act_on_concern(
    concern: Any, *, roles: Collection[str], acting_organisation_ids: Collection[Any]
) -> bool:
    """``acting_organisation_ids``: organisations where the user is officer, analyst or manager."""
    if Role.PARTNERSHIP_MANAGER in roles:
        return True
    return concern.assigned_organisation_id is not None and (
        concern.assigned_organisation_id in acting_organisation_ids
    )


def can_assign_concern(
    concern: Any, *, roles: Collection[str], acting_organisation_ids: Collection[Any]
) -> bool:
    return can_act_on_concern(concern, roles=roles, acting_organisation_ids=acting_organisation_ids)
