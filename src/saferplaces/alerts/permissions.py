"""Who may compose and send alerts, and who reads their counts.

Partnership managers and analysts write and send alerts; every other member reads the counts
(how many confirmed subscribers, how many e-mails went). Nobody on staff sees a subscriber's
e-mail address: there is no page that shows one.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from saferplaces.accounts.models import Role
from saferplaces.accounts.permissions import signed_in

NOT_ALLOWED_VIEW = "Only members of the partnership can see its alerts to residents."
NOT_ALLOWED_SEND = "Only the partnership's managers and analysts can send alerts to residents."

SENDING_ROLES = {Role.PARTNERSHIP_MANAGER, Role.ANALYST}
READING_ROLES = {
    Role.PARTNERSHIP_MANAGER,
    Role.ANALYST,
    Role.PARTNER_OFFICER,
    Role.BOARD_MEMBER,
    Role.VIEWER,
}


def can_view_alerts(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and any(role in READING_ROLES for role in roles)


def can_send_alerts(user: Any, *, roles: Collection[str]) -> bool:
    return signed_in(user) and any(role in SENDING_ROLES for role in roles)
