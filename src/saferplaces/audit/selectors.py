from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from saferplaces.accounts import permissions
from saferplaces.accounts.models import Membership, Organisation, Partnership, User
from saferplaces.accounts.selectors import partnership_list_visible
from saferplaces.audit import chain
from saferplaces.audit.models import AuditChainHead, AuditEvent


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
    """Managers see their partnerships' events; system administrators see every event.

    Sign-in events belong to no partnership: a manager sees those of their partnership's
    members (as actor, or as the account a failed sign-in named), from the time each joined.
    """
    events = AuditEvent.objects.select_related("actor", "partnership")
    if not permissions.is_system_admin(user):
        partnerships = audit_partnership_list_visible(user=user)
        events = events.filter(_in_partnerships(partnerships))
    if partnership is not None:
        events = events.filter(_in_partnerships([partnership]))
    if action:
        events = events.filter(action=action)
    if verb:
        events = events.filter(verb=verb)
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    return events.order_by("-occurred_at")


def _in_partnerships(partnerships: Any) -> Q:
    """Events of these partnerships, and personal events of their members since they joined.

    A personal event (sign-in, failed sign-in, refusal, a change to the account) belongs to no
    partnership; it is about ``subject`` when set, else about the ``actor``. A manager sees it
    only if that person was a member when it happened, so adding an existing account from
    another partnership does not reveal its earlier sign-ins and IP addresses.
    """
    joined = Membership.objects.filter(
        organisation__partnership__in=partnerships, joined_at__lte=OuterRef("occurred_at")
    )
    about_subject = Q(subject_id__isnull=False) & Exists(
        joined.filter(user_id=OuterRef("subject_id"))
    )
    about_actor = Q(subject_id__isnull=True) & Exists(joined.filter(user_id=OuterRef("actor_id")))
    personal = Q(about_subject | about_actor, partnership__isnull=True)
    return Q(partnership__in=partnerships) | personal


def audit_chain_verify() -> chain.Verification:
    """Check the whole hash chain, oldest event first (``saferplaces audit verify``)."""
    rows = (
        AuditEvent.objects.order_by("sequence")
        .values(*chain.HASHED_FIELDS, "row_hash")
        .iterator(chunk_size=2000)
    )
    head = AuditChainHead.objects.filter(pk=1).values_list("sequence", "last_hash").first()
    return chain.verify(rows, head=head, start=audit_chain_start())


def audit_chain_start() -> tuple[int, str]:
    """Where the chain starts: (1, "") unless a retention job deleted the oldest events."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT chain_start_sequence, chain_start_hash FROM audit_maintenance "
            "ORDER BY chain_start_sequence DESC"
        )
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else (1, "")


def audit_chain_report(verification: chain.Verification) -> str:
    """One line for a person or a monitoring job: the head to note down, or the first break."""
    if verification.first_break is not None:
        return verification.first_break.describe()
    return (
        f"Audit chain intact: {verification.events} events; last event "
        f"#{verification.head_sequence}, hash {verification.head_hash or '-'}"
    )


@dataclass(frozen=True, slots=True)
class RecordLabel:
    text: str
    href: str | None = None


def audit_event_records_describe(*, user: Any, events: Any) -> dict[str, RecordLabel]:
    """What each event's record is ("Partnership: North West Leicestershire CSP"), by event id.

    Linked to the record's page only where ``user`` may open it; a record deleted since shows
    as "removed". One query per kind of record on the page.
    """
    ids_by_type: dict[str, set[uuid.UUID]] = defaultdict(set)
    for event in events:
        key = _uuid(event.object_id)
        if event.object_type in _DESCRIBERS and key is not None:
            ids_by_type[event.object_type].add(key)
    visible = set(
        partnership_list_visible(user=user)
        .filter(pk__in=_partnerships_named(ids_by_type))
        .values_list("pk", flat=True)
    )
    found: dict[tuple[str, str], RecordLabel] = {}
    for object_type, ids in ids_by_type.items():
        for pk, label in _DESCRIBERS[object_type](ids, visible):
            found[(object_type, str(pk))] = label
    labels = {}
    for event in events:
        labels[str(event.pk)] = found.get(
            (event.object_type, str(_uuid(event.object_id))), _fallback(event)
        )
    return labels


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None


def _partnership_href(partnership_id: Any, visible: set[Any]) -> str | None:
    if partnership_id not in visible:
        return None
    return reverse("accounts:partnership_detail", kwargs={"partnership_id": partnership_id})


def _partnerships_named(ids_by_type: dict[str, set[uuid.UUID]]) -> set[Any]:
    ids: set[Any] = set(ids_by_type.get("accounts.partnership", set()))
    ids |= set(
        Organisation.objects.filter(
            pk__in=ids_by_type.get("accounts.organisation", set())
        ).values_list("partnership_id", flat=True)
    )
    ids |= set(
        Membership.objects.filter(pk__in=ids_by_type.get("accounts.membership", set())).values_list(
            "organisation__partnership_id", flat=True
        )
    )
    return ids


def _describe_partnerships(ids: set[uuid.UUID], visible: set[Any]) -> Iterator[Any]:
    for p in Partnership.objects.filter(pk__in=ids):
        yield p.pk, RecordLabel(f"Partnership: {p.name}", _partnership_href(p.pk, visible))


def _describe_organisations(ids: set[uuid.UUID], visible: set[Any]) -> Iterator[Any]:
    for o in Organisation.objects.filter(pk__in=ids).select_related("partnership"):
        yield (
            o.pk,
            RecordLabel(
                f"Organisation: {o.name} ({o.partnership.name})",
                _partnership_href(o.partnership_id, visible),
            ),
        )


def _describe_memberships(ids: set[uuid.UUID], visible: set[Any]) -> Iterator[Any]:
    memberships = Membership.objects.filter(pk__in=ids).select_related("user", "organisation")
    for m in memberships:
        yield (
            m.pk,
            RecordLabel(
                f"Membership: {m.user.email}, {m.organisation.name}",
                _partnership_href(m.organisation.partnership_id, visible),
            ),
        )


def _describe_users(ids: set[uuid.UUID], visible: set[Any]) -> Iterator[Any]:
    for pk, email in User.objects.filter(pk__in=ids).values_list("pk", "email"):
        yield pk, RecordLabel(f"User: {email}")


_DESCRIBERS = {
    "accounts.partnership": _describe_partnerships,
    "accounts.organisation": _describe_organisations,
    "accounts.membership": _describe_memberships,
    "accounts.user": _describe_users,
}
_KIND = {
    "accounts.partnership": "Partnership",
    "accounts.organisation": "Organisation",
    "accounts.membership": "Membership",
    "accounts.user": "User",
}


def _fallback(event: AuditEvent) -> RecordLabel:
    if not event.object_type:
        return RecordLabel("–")
    if event.object_type == "url":
        return RecordLabel(f"Page: {event.object_id}")
    kind = _KIND.get(event.object_type)
    if kind is not None:
        return RecordLabel(f"{kind}: removed")
    return RecordLabel(f"{event.object_type} {event.object_id}")
