from __future__ import annotations

import ipaddress
import json
import logging
import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from saferplaces.audit import chain
from saferplaces.audit.context import current_request
from saferplaces.audit.models import AuditChainHead, AuditEvent, RefusalWindow
from saferplaces.audit.registry import Action, action_for
from saferplaces.audit.selectors import audit_chain_start

logger = logging.getLogger("saferplaces.audit")

USER_AGENT_MAX = 256
# Keys that must never reach the audit log, whatever a caller passes in ``summary``.
FORBIDDEN_SUMMARY_KEYS = {"password", "password1", "password2", "new_password", "token", "otp"}
# Anonymous refusals: at most one audit row per IP address, page and verb in this window.
REFUSAL_WINDOW = timedelta(minutes=10)


def client_ip(request: HttpRequest) -> str | None:
    from axes.helpers import get_client_ip_address

    value = get_client_ip_address(request)
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def _clean_summary(summary: dict[str, Any] | None) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in (summary or {}).items():
        if key.lower() in FORBIDDEN_SUMMARY_KEYS:
            raise ValueError(f"Audit summary must not contain {key!r}.")
        if isinstance(value, uuid.UUID):
            value = str(value)
        cleaned[key] = value
    # Exactly what the database gives back (lists, not tuples), so the row's hash is stable.
    return json.loads(json.dumps(cleaned))


def audit_record(
    *,
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    partnership: Any = None,
    summary: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event to the audit log, in the caller's transaction.

    ``actor`` may be anonymous (stored as no user). ``summary`` describes the change (field
    names and old/new values) and must not hold passwords or personal data beyond the actor.
    Anonymous refusals are written at most once per IP address (IPv6: per /64) and page in
    ``REFUSAL_WINDOW``; the event returned then is the one that covers this refusal.
    """
    from saferplaces.accounts.models import User

    action = action_for(verb)
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    if request is not None:
        ip, agent = client_ip(request), request.headers.get("User-Agent", "")
    else:
        context = current_request.get()
        ip, agent = (context.ip_address, context.user_agent) if context else (None, "")
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        actor=user,
        subject=target if isinstance(target, User) else None,
        verb=verb,
        action=action,
        object_type=object_type[:64],
        object_id=str(object_id)[:64],
        partnership=partnership,
        ip_address=ip,
        user_agent=agent[:USER_AGENT_MAX],
        summary=_clean_summary(summary),
    )
    event.full_clean(exclude=["actor", "subject", "partnership", "sequence", "row_hash"])
    if user is None and ip is not None and action == Action.ACCESS_DENIED:
        page = _page(request, event.object_id)
        return _refusal_record(event, page=page)
    return _append(event)


def _page(request: HttpRequest | None, object_id: str) -> str:
    """The page a refusal is counted against: the URL pattern, so ids in the path count once."""
    match = getattr(request, "resolver_match", None) if request is not None else None
    return (match.view_name if match is not None and match.view_name else object_id)[:200]


@transaction.atomic
def _append(event: AuditEvent) -> AuditEvent:
    """Give ``event`` the next number and chain it to the last event, then insert it.

    The chain head is updated first: that write makes every other writer wait until this
    transaction ends (a row lock on PostgreSQL, the database write lock on SQLite), so two
    events can never take the same number or the same previous hash.
    """
    if not AuditChainHead.objects.filter(pk=1).update(sequence=F("sequence") + 1):
        _head_create()
        AuditChainHead.objects.filter(pk=1).update(sequence=F("sequence") + 1)
    head = AuditChainHead.objects.select_for_update().get(pk=1)
    event.occurred_at = timezone.now()
    event.sequence = head.sequence
    event.previous_hash = head.last_hash
    event.row_hash = chain.row_hash(_row(event))
    event.save()
    head.last_hash = event.row_hash
    head.save(update_fields=["last_hash"])
    return event


def _head_create() -> None:
    """Create the head after a fresh install or a test's flush, from the last event if any."""
    last = AuditEvent.objects.order_by("-sequence").values("sequence", "row_hash").first()
    if last is None:
        start_sequence, start_hash = audit_chain_start()
        last = {"sequence": start_sequence - 1, "row_hash": start_hash}
    else:
        # Events without a head: someone deleted it (the migration creates it). Continue from
        # the last event, and say so: deleted events at the end no longer show in verify.
        logger.warning("Audit chain head was missing; rebuilt from event #%s", last["sequence"])
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(
                pk=1, sequence=last["sequence"], last_hash=last["row_hash"]
            )
    except IntegrityError:
        pass  # another writer created it first


def _row(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in chain.HASHED_FIELDS}


@transaction.atomic
def _refusal_record(event: AuditEvent, *, page: str) -> AuditEvent:
    # Each path starts with a write, so on SQLite the transaction takes the write lock at once
    # instead of failing when two requests read first and then both try to write.
    now = timezone.now()
    key = {"verb": event.verb, "ip_address": _address_block(event.ip_address), "page": page}
    recent = RefusalWindow.objects.filter(**key, last_written_at__gt=now - _refusal_window())
    if recent.update(not_written=F("not_written") + 1):
        last_event_id = recent.values_list("last_event_id", flat=True).first()
        covering = AuditEvent.objects.filter(pk=last_event_id).first()
        if covering is not None:
            return covering
    previous = RefusalWindow.objects.filter(**key).first()
    if previous is not None and previous.not_written:
        event.summary = {
            **event.summary,
            "not_written_since_last_event": previous.not_written,
            "last_event_at": previous.last_written_at.isoformat(),
        }
    event = _append(event)
    RefusalWindow.objects.update_or_create(
        **key, defaults={"last_event": event, "last_written_at": now, "not_written": 0}
    )
    return event


def _address_block(ip: str) -> str:
    """The address refusals are counted by: IPv4 as it is, IPv6 by its /64 (one home or host)."""
    address = ipaddress.ip_address(ip)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def _refusal_window() -> timedelta:
    return getattr(settings, "SAFERPLACES_AUDIT_REFUSAL_WINDOW", REFUSAL_WINDOW)


@dataclass(frozen=True, slots=True)
class PurgeResult:
    attempts: int
    access_logs: int
    failure_logs: int
    refusal_counts_written: int
    refusal_windows: int


@transaction.atomic
def access_logs_purge(*, older_than: timedelta) -> PurgeResult:
    """Delete sign-in records older than ``older_than``; write pending refusal counts first.

    django-axes keeps lockout counters (and, if turned on, access logs) with the e-mail typed
    and the IP address; the audit log is the lasting record, so these go after a few weeks.
    Repeated anonymous refusals not yet counted in an audit row get one row each here, so a
    daily run brings every count into the audit log within a day.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = timezone.now()
    cutoff = now - older_than
    written = 0
    expired = RefusalWindow.objects.filter(
        last_written_at__lte=now - _refusal_window(), not_written__gt=0
    )
    for window in expired.select_for_update().order_by("pk"):
        last = AuditEvent.objects.filter(pk=window.last_event_id).first()
        event = AuditEvent(
            verb=window.verb,
            action=action_for(window.verb),
            object_type=last.object_type if last else "url",
            object_id=last.object_id if last else window.page[:64],
            ip_address=window.ip_address,
            summary={
                "not_written_since_last_event": window.not_written,
                "last_event_at": window.last_written_at.isoformat(),
            },
        )
        _append(event)
        RefusalWindow.objects.filter(pk=window.pk).update(not_written=0)
        written += 1
    result = PurgeResult(
        attempts=_delete(AccessAttempt.objects.filter(attempt_time__lt=cutoff)),
        access_logs=_delete(AccessLog.objects.filter(attempt_time__lt=cutoff)),
        failure_logs=_delete(AccessFailureLog.objects.filter(attempt_time__lt=cutoff)),
        refusal_counts_written=written,
        refusal_windows=_delete(RefusalWindow.objects.filter(last_written_at__lt=cutoff)),
    )
    audit_record(
        actor=None,
        verb="audit.access_logs_purged",
        summary={"older_than_days": older_than.days, **asdict(result)},
    )
    return result


def _delete(queryset: models.QuerySet[Any]) -> int:
    return queryset.delete()[1].get(queryset.model._meta.label, 0)
