from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from saferplaces.accounts import permissions
from saferplaces.accounts.models import Membership, Partnership
from saferplaces.audit.models import AuditEvent


def audit_partnership_list_visible(*, user: Any) -> QuerySet[Partnership]:
    """Partnerships whose audit events ``user`` may read."""
    if permissions.is_system_admin(user):
        return Partnership.objects.all().order_by("name")
    managed = Membership.objects.filter(user=user, role=Membership.Role.PARTNERSHIP_MANAGER).values(
        "organisation__partnership_id"
    )
    return Partnership.objects.filter(pk__in=managed).order_by("name")


def audit_event_list_visible(
    *,
    user: Any,
    partnership: Partnership | None = None,
    action: str = "",
    verb: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Managers see their partnerships' events; system administrators see every event."""
    events = AuditEvent.objects.select_related("actor", "partnership")
    if not permissions.is_system_admin(user):
        partnerships = audit_partnership_list_visible(user=user)
        events = events.filter(Q(partnership__in=partnerships))
    if partnership is not None:
        events = events.filter(partnership=partnership)
    if action:
        events = events.filter(action=action)
    if verb:
        events = events.filter(verb=verb)
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    return events.order_by("-occurred_at")
