"""Who may read and change the community network and the neighbourhood forums.

Pure predicates over roles the caller already loaded (and the organisations involved); no query.

- Every member of the partnership reads the register's anonymous part (name, kind, area,
  members) and the capacity page, and reads the forums.
- Coordinators' personal data (name, e-mail, phone) is read by partnership managers and by the
  owning organisation's analysts and partner officers; every view is audited.
- Partnership managers record and change any group; analysts and partner officers those their
  own organisation owns.
- Forums: analysts and managers write any forum; partner officers only their organisation's.
- Publishing a neighbourhood's "you said, we did" page is a partnership manager's decision.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from saferplaces.accounts.models import Role
from saferplaces.accounts.permissions import signed_in

NOT_ALLOWED_VIEW = "Only members of the partnership can see its community network."
NOT_ALLOWED_EDIT = (
    "Only partnership managers, and the analysts and partner officers of the organisation "
    "that owns it, can record or change a community group."
)
NOT_ALLOWED_FORUM = (
    "Only analysts, partnership managers and the partner officers of the organisation that "
    "runs the forum can change it."
)
NOT_ALLOWED_PUBLISH = "Only a partnership manager can publish a neighbourhood's page to residents."

READING_ROLES = {
    Role.PARTNERSHIP_MANAGER,
    Role.ANALYST,
    Role.PARTNER_OFFICER,
    Role.BOARD_MEMBER,
    Role.VIEWER,
}
WRITING_ROLES = {Role.PARTNERSHIP_MANAGER, Role.ANALYST, Role.PARTNER_OFFICER}


def _shares(mine: Iterable[Any], owner_id: Any) -> bool:
    return str(owner_id) in {str(pk) for pk in mine}


def can_view_network(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and any(role in READING_ROLES for role in roles)


def can_record_group(user: Any, *, roles: Collection[str]) -> bool:
    """May open the "record a group" form (for an organisation they write for)."""
    return signed_in(user) and any(role in WRITING_ROLES for role in roles)


def can_edit_group(
    user: Any, *, roles: Collection[str], writer_organisation_ids: Iterable[Any], owner_id: Any
) -> bool:
    """``writer_organisation_ids``: where the user is an analyst or partner officer."""
    if not signed_in(user):
        return False
    if Role.PARTNERSHIP_MANAGER in roles:
        return True
    return _shares(writer_organisation_ids, owner_id)


def can_see_personal_data(
    user: Any, *, roles: Collection[str], writer_organisation_ids: Iterable[Any], owner_id: Any
) -> bool:
    """The same people who may change the group: managers and the owning organisation."""
    return can_edit_group(
        user, roles=roles, writer_organisation_ids=writer_organisation_ids, owner_id=owner_id
    )


def can_create_forum(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and any(role in WRITING_ROLES for role in roles)


def can_edit_forum(
    user: Any, *, roles: Collection[str], officer_organisation_ids: Iterable[Any], owner_id: Any
) -> bool:
    if not signed_in(user):
        return False
    if Role.PARTNERSHIP_MANAGER in roles or Role.ANALYST in roles:
        return True
    return Role.PARTNER_OFFICER in roles and _shares(officer_organisation_ids, owner_id)


def can_publish_page(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and Role.PARTNERSHIP_MANAGER in roles
