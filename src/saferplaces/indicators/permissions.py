"""Who may read and change a plan's indicators, exceptions and meetings.

Every predicate takes the user's roles in the partnership (``roles_in_partnership``, loaded once
per request) and, where an organisation matters, the ids of the organisations the user belongs
to there (``organisation_ids``, loaded once too); none queries the database.

- Every member reads indicators, exceptions, meetings and board packs (board members and
  viewers included: the board pack is theirs).
- Analysts and partnership managers create and change indicators and meetings, refresh the
  computed values and make board packs.
- Only a partnership manager overrides a RAG colour (with a reason).
- A partner officer enters values for a manual indicator whose priority their organisation
  leads, and writes the exception note for an exception they own or whose priority their
  organisation leads.
- System administrators see no partnership data.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from saferplaces.accounts.models import Role
from saferplaces.accounts.permissions import signed_in

NOT_ALLOWED_VIEW = "Only members of the partnership can see its plan indicators."
NOT_ALLOWED_MANAGE = "Only the partnership's analysts and managers can change indicators."
NOT_ALLOWED_OVERRIDE = (
    "Only a partnership manager can override a RAG colour. Ask a partnership manager."
)
NOT_ALLOWED_VALUE = (
    "Only an officer of the organisation that leads this indicator's priority, an analyst or a "
    "manager can enter its values."
)
NOT_ALLOWED_NOTE = (
    "Only the owner of this exception, an officer of the organisation that leads its priority, "
    "an analyst or a manager can write its exception note."
)
NOT_ALLOWED_MEETINGS = "Only the partnership's analysts and managers can change meetings."

MANAGING_ROLES = {Role.ANALYST, Role.PARTNERSHIP_MANAGER}
READING_ROLES = {
    Role.PARTNERSHIP_MANAGER,
    Role.ANALYST,
    Role.PARTNER_OFFICER,
    Role.BOARD_MEMBER,
    Role.VIEWER,
}


def can_view_indicators(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and any(role in READING_ROLES for role in roles)


def can_manage_indicators(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and any(role in MANAGING_ROLES for role in roles)


def can_override_rag(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and Role.PARTNERSHIP_MANAGER in roles


def _lead_organisation_id(indicator: Any) -> Any:
    priority = getattr(indicator, "priority", None)
    return getattr(priority, "lead_organisation_id", None) if priority is not None else None


def can_enter_value(
    user: Any, indicator: Any, *, roles: Collection[str], organisation_ids: Collection[Any]
) -> bool:
    """A value for a manual indicator (bound ones are computed, never typed)."""
    if not signed_in(user) or indicator.is_bound:
        return False
    if can_manage_indicators(user, roles=roles):
        return True
    lead = _lead_organisation_id(indicator)
    return Role.PARTNER_OFFICER in roles and lead is not None and lead in organisation_ids


def can_write_note(
    user: Any,
    exception: Any,
    *,
    roles: Collection[str],
    organisation_ids: Collection[Any],
    owner_ids: Collection[Any],
    lead_organisation_ids: Collection[Any],
) -> bool:
    """``owner_ids``: the exception's owners; ``lead_organisation_ids``: the organisations that
    lead its priority or own its action (both loaded by the selector)."""
    if not signed_in(user):
        return False
    if can_manage_indicators(user, roles=roles):
        return True
    if Role.PARTNER_OFFICER not in roles:
        return False
    return user.pk in owner_ids or bool(set(organisation_ids) & set(lead_organisation_ids))


def can_manage_meetings(user: Any, *, roles: Collection[str]) -> bool:
    return can_manage_indicators(user, roles=roles)
