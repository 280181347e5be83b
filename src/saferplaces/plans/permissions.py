"""Who may read, draft, approve and deliver a partnership's Community Safety Plan.

Roles are named here and in :mod:`saferplaces.accounts.permissions` only. Every predicate takes
the roles the caller already loaded (and, for an action, the organisations involved) and
queries nothing.

- Analysts and partnership managers write the plan: priorities, objectives, actions, milestones.
- A partnership manager approves and publishes it (the decision is minuted).
- A partner officer posts progress on (and updates the status of) only the actions their own
  organisation owns; they read the rest.
- Board members and read-only viewers read.
- Residents read a published plan's public summary without signing in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from saferplaces.accounts.models import Role
from saferplaces.accounts.permissions import signed_in

NOT_ALLOWED_VIEW = "Only members of the partnership can read its community safety plan."
NOT_ALLOWED_EDIT = "Only the partnership's analysts and managers can change the plan."
NOT_ALLOWED_APPROVE = (
    "Only a partnership manager can approve or publish the plan. "
    "Ask a partnership manager to approve it."
)
NOT_ALLOWED_UPDATE = (
    "You can post progress only on actions your organisation owns. "
    "This action belongs to {owners}: ask their officer, or the partnership's analyst, "
    "to update it."
)

EDITING_ROLES = {Role.ANALYST, Role.PARTNERSHIP_MANAGER}
READING_ROLES = {
    Role.PARTNERSHIP_MANAGER,
    Role.ANALYST,
    Role.PARTNER_OFFICER,
    Role.BOARD_MEMBER,
    Role.VIEWER,
}


def roles_can_read_plans(roles: Collection[str]) -> bool:
    return any(role in READING_ROLES for role in roles)


def roles_can_edit_plans(roles: Collection[str]) -> bool:
    return any(role in EDITING_ROLES for role in roles)


def roles_can_approve_plans(roles: Collection[str]) -> bool:
    return Role.PARTNERSHIP_MANAGER in roles


def can_view_plans(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and roles_can_read_plans(roles)


def can_edit_plan(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and roles_can_edit_plans(roles)


def can_approve_plan(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and roles_can_approve_plans(roles)


def can_update_action(
    user: Any,
    *,
    roles: Collection[str],
    officer_organisation_ids: Iterable[Any],
    action_organisation_ids: Iterable[Any],
) -> bool:
    """Post progress, mark milestones done, change the delivery status of one action.

    ``officer_organisation_ids``: the organisations where the user is a partner officer (loaded
    once per request); ``action_organisation_ids``: the organisations that own the action.
    """
    if not signed_in(user):
        return False
    if roles_can_edit_plans(roles):
        return True
    if Role.PARTNER_OFFICER not in roles:
        return False
    return bool(
        {str(pk) for pk in officer_organisation_ids} & {str(pk) for pk in action_organisation_ids}
    )
