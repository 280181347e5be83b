"""Writes of the analytics app: for now only the audit record of reading crime figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saferplaces.accounts.models import Partnership
from saferplaces.audit.models import AuditEvent
from saferplaces.audit.services import audit_record

VERB_CRIME_DATA_VIEWED = "analytics.crime_data_viewed"


def crime_data_view_record(
    *, user: Any, partnership: Partnership, request: HttpRequest | None = None, **summary: Any
) -> AuditEvent:
    """Audit that ``user`` read the partnership's crime figures (action 'view')."""
    return audit_record(
        actor=user,
        verb=VERB_CRIME_DATA_VIEWED,
        target=partnership,
        partnership=partnership,
        summary=summary,
        request=request,
    )
