"""Who may read and change neighbourhood profiles.

- Any member of the partnership may read a neighbourhood shared with the partnership; one kept
  to its organisation is read by that organisation's members only (``core.selectors``).
- Analysts and partnership managers of the partnership create, change and delete them. An
  analyst owns new neighbourhoods for an organisation they are an analyst of; a manager may
  name any organisation of the partnership.
- System administrators see no crime data, so no neighbourhood either.

With ``roles`` (the user's roles in the partnership, already loaded) no query is made.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from saferplaces.accounts.models import Role
from saferplaces.accounts.permissions import can_view_analytics, roles_in_partnership

NOT_ALLOWED_VIEW = "Only members of the partnership can read its neighbourhood profiles."
NOT_ALLOWED_EDIT = "Only analysts and partnership managers can create or change neighbourhoods."
EDIT_ROLES = {Role.ANALYST, Role.PARTNERSHIP_MANAGER}


def roles_can_edit_neighbourhoods(roles: Collection[str]) -> bool:
    return any(role in EDIT_ROLES for role in roles)


def can_view_neighbourhoods(
    user: Any, partnership: Any, *, roles: Collection[str] | None = None
) -> bool:
    """Members of the partnership in any role (the same rule as its crime data)."""
    return partnership is not None and can_view_analytics(user, partnership, roles=roles)


def can_create_neighbourhood(
    user: Any, partnership: Any, *, roles: Collection[str] | None = None
) -> bool:
    if partnership is None or not getattr(user, "is_authenticated", False):
        return False
    if roles is None:
        roles = roles_in_partnership(user, partnership)
    return roles_can_edit_neighbourhoods(roles)


def can_edit_neighbourhood(
    user: Any, neighbourhood: Any, *, roles: Collection[str] | None = None
) -> bool:
    """Analysts and managers of the neighbourhood's partnership (who can see it)."""
    return can_create_neighbourhood(user, neighbourhood.partnership_id, roles=roles)
