"""Who may read, draft and approve a partnership's strategic assessment.

Roles are named here and in :mod:`saferplaces.accounts.permissions` only. Every predicate takes
the user's roles in the assessment's partnership (loaded once per request with
``roles_in_partnership``) and then queries nothing.

- Analysts and partnership managers draft: they see every version, build, edit, submit.
- A partnership manager approves. A manager who submitted a draft may approve it only when
  they are the partnership's only manager (so a small partnership is never stuck); otherwise
  another manager must (the service checks the count, see ``assessment_approval_problem``).
- Partner officers, board members and read-only viewers read approved versions only: a draft
  is work in progress, not what the partnership agreed.
- System administrators see no case data, so no assessment.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from saferplaces.accounts.models import Role
from saferplaces.accounts.permissions import signed_in

NOT_ALLOWED_VIEW = "Only members of the partnership can read its strategic assessments."
NOT_ALLOWED_DRAFT = "Only the partnership's analysts and managers can draft an assessment."
NOT_ALLOWED_APPROVE = (
    "Only a partnership manager can approve a strategic assessment. "
    "Ask a partnership manager to approve it."
)

DRAFTING_ROLES = {Role.ANALYST, Role.PARTNERSHIP_MANAGER}
READING_ROLES = {
    Role.PARTNERSHIP_MANAGER,
    Role.ANALYST,
    Role.PARTNER_OFFICER,
    Role.BOARD_MEMBER,
    Role.VIEWER,
}


def roles_can_read_assessments(roles: Collection[str]) -> bool:
    """Any member reads approved versions (what a board member circulates)."""
    return any(role in READING_ROLES for role in roles)


def roles_can_read_drafts(roles: Collection[str]) -> bool:
    return any(role in DRAFTING_ROLES for role in roles)


def roles_can_draft(roles: Collection[str]) -> bool:
    """Build a draft, edit its narrative and scores, submit it, withdraw or return it."""
    return any(role in DRAFTING_ROLES for role in roles)


def roles_can_approve(roles: Collection[str]) -> bool:
    return Role.PARTNERSHIP_MANAGER in roles


def can_view_assessments(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and roles_can_read_assessments(roles)


def can_view_assessment(user: Any, assessment: Any, *, roles: Collection[str]) -> bool:
    if not can_view_assessments(user, roles=roles):
        return False
    return assessment.is_approved or roles_can_read_drafts(roles)


def can_draft_assessment(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and roles_can_draft(roles)


def can_edit_assessment(user: Any, assessment: Any, *, roles: Collection[str]) -> bool:
    """Change the narrative or a score: a drafter, and only while the row is a draft."""
    return can_draft_assessment(user, roles=roles) and assessment.is_editable


def can_approve_assessment(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and roles_can_approve(roles)
