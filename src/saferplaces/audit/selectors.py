from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from saferplaces.accounts import permissions
from saferplaces.accounts.models import Membership, Partnership
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
        organisation__partnership__in=partnerships, created_at__lte=OuterRef("occurred_at")
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
    return chain.verify(rows, head=head)


def audit_chain_report(verification: chain.Verification) -> str:
    """One line for a person or a monitoring job: the head to note down, or the first break."""
    if verification.first_break is not None:
        return verification.first_break.describe()
    return (
        f"Audit chain intact: {verification.events} events; last event "
        f"#{verification.head_sequence}, hash {verification.head_hash or '-'}"
    )
