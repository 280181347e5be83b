"""Who may build surveys, read their results and publish them. Pure predicates: no queries.

- Analysts and partnership managers build surveys, invite, export and publish results.
- Every member of the partnership reads the results (unsuppressed, marked "not for publication").
- Residents answer open surveys and read published results without signing in.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from saferplaces.accounts.models import Role
from saferplaces.accounts.permissions import signed_in

NOT_ALLOWED_VIEW = "Only members of the partnership can see its surveys."
NOT_ALLOWED_EDIT = (
    "Only the partnership's analysts and managers can build surveys and publish results."
)

BUILDING_ROLES = {Role.ANALYST, Role.PARTNERSHIP_MANAGER}
READING_ROLES = BUILDING_ROLES | {Role.PARTNER_OFFICER, Role.BOARD_MEMBER, Role.VIEWER}


def can_view_surveys(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and any(role in READING_ROLES for role in roles)


def can_build_surveys(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and any(role in BUILDING_ROLES for role in roles)
