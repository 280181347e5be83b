"""Who may read the crime figures of a partnership.

The roles are named once, in :mod:`saferplaces.accounts.permissions`; this module only gives
the analytics pages their own capability names.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from saferplaces.accounts.permissions import can_view_analytics

NOT_ALLOWED = "Only members of the partnership can read its crime data."


def can_view_crime_data(
    user: Any, partnership: Any, *, roles: Collection[str] | None = None
) -> bool:
    """Members of the partnership in any role; system administrators see no case data.

    With ``roles`` (the user's roles in the partnership, already loaded) no query is made.
    """
    return partnership is not None and can_view_analytics(user, partnership, roles=roles)
