from __future__ import annotations

import ipaddress
import uuid
from typing import Any

from django.db import models
from django.http import HttpRequest

from saferplaces.audit.context import current_request
from saferplaces.audit.models import AuditEvent
from saferplaces.audit.registry import action_for

USER_AGENT_MAX = 256
# Keys that must never reach the audit log, whatever a caller passes in ``summary``.
FORBIDDEN_SUMMARY_KEYS = {"password", "password1", "password2", "new_password", "token", "otp"}


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
    return cleaned


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
    """
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
        verb=verb,
        action=action,
        object_type=object_type[:64],
        object_id=str(object_id)[:64],
        partnership=partnership,
        ip_address=ip,
        user_agent=agent[:USER_AGENT_MAX],
        summary=_clean_summary(summary),
    )
    event.full_clean(exclude=["actor", "partnership"])
    event.save()
    return event
