"""Reads of the calendar: a member's events by month and upcoming, one event, the feeds' events.

Every member of a partnership sees every event of it (staff and public); the public feed sees
public events only. Selectors are the one place that filters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from saferplaces.accounts.models import Membership, Organisation, Partnership
from saferplaces.calendar_events.models import Audience, Event, FeedToken
from saferplaces.calendar_events.months import Month
from saferplaces.calendar_events.permissions import (
    NOT_ALLOWED_VIEW,
    OrgRoles,
    can_view_calendar,
    organisations_user_may_own_for,
)
from saferplaces.core.selectors import object_get_visible_or_404


def roles_by_organisation(*, user: Any, partnership: Partnership | None) -> dict[Any, set[str]]:
    """The user's roles in each organisation of the partnership (one query)."""
    if partnership is None or not getattr(user, "is_authenticated", False):
        return {}
    found: dict[Any, set[str]] = defaultdict(set)
    rows = Membership.objects.filter(user=user, organisation__partnership=partnership)
    for organisation_id, role in rows.values_list("organisation_id", "role"):
        found[organisation_id].add(role)
    return dict(found)


def _events(partnership: Partnership) -> QuerySet[Event]:
    return Event.objects.filter(partnership=partnership).select_related(
        "owner_organisation", "created_by"
    )


def event_list_visible(
    *, user: Any, partnership: Partnership, org_roles: OrgRoles
) -> QuerySet[Event]:
    if not can_view_calendar(user, org_roles=org_roles):
        raise PermissionDenied(NOT_ALLOWED_VIEW)
    return _events(partnership)


def event_list_for_month(
    *, user: Any, partnership: Partnership, org_roles: OrgRoles, month: Month
) -> list[Event]:
    """Events that touch any day of the month (a week may start in the month before)."""
    return list(
        event_list_visible(user=user, partnership=partnership, org_roles=org_roles).filter(
            start_date__lte=month.last_day, end_date__gte=month.first_day
        )
    )


@dataclass
class MonthGroup:
    month: Month
    events: list[Event] = field(default_factory=list)


def event_list_upcoming(
    *, user: Any, partnership: Partnership, org_roles: OrgRoles, today: dt.date, limit: int = 200
) -> list[MonthGroup]:
    """Events not yet over, grouped by the month they start in (an ongoing one: this month)."""
    events = event_list_visible(user=user, partnership=partnership, org_roles=org_roles).filter(
        end_date__gte=today
    )[:limit]
    groups: dict[Month, MonthGroup] = {}
    for event in events:
        month = Month.of(max(event.start_date, today))
        groups.setdefault(month, MonthGroup(month)).events.append(event)
    return sorted(groups.values(), key=lambda g: g.month)


def event_get_visible(
    *, user: Any, partnership: Partnership, org_roles: OrgRoles, event_id: Any
) -> Event:
    """One event of the current partnership, else 404 (a hidden one's refusal is audited)."""
    return object_get_visible_or_404(
        event_list_visible(user=user, partnership=partnership, org_roles=org_roles),
        pk=event_id, user=user, partnership=partnership,
    )  # fmt: skip


def owner_organisation_choices(
    *, partnership: Partnership, org_roles: OrgRoles
) -> list[Organisation]:
    organisations = list(Organisation.objects.filter(partnership=partnership).order_by("name"))
    allowed = set(
        organisations_user_may_own_for([o.pk for o in organisations], org_roles=org_roles)
    )
    return [o for o in organisations if o.pk in allowed]


def public_feed_events(*, partnership: Partnership) -> QuerySet[Event]:
    """What anyone may read: the partnership's public events."""
    return _events(partnership).filter(audience=Audience.PUBLIC)


def private_feed_events(*, user: Any) -> QuerySet[Event]:
    """Staff and public events of every partnership the user is a member of."""
    partnership_ids = Membership.objects.filter(user=user).values("organisation__partnership_id")
    return Event.objects.filter(partnership_id__in=partnership_ids).select_related(
        "partnership", "owner_organisation"
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_token_user(*, token: str) -> Any:
    """The active user whose feed token this is, or None."""
    found = (
        FeedToken.objects.filter(token_hash=token_hash(token), user__is_active=True)
        .select_related("user")
        .first()
    )
    return found.user if found is not None else None


def feed_token_exists(*, user: Any) -> FeedToken | None:
    return FeedToken.objects.filter(user=user).first()


def partnership_get_public(*, partnership_id: Any) -> Partnership | None:
    return Partnership.objects.filter(pk=partnership_id).first()
