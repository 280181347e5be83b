"""Writes of the analytics app: the audit records of reading and downloading crime figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saferplaces.accounts.models import Partnership
from saferplaces.audit.models import AuditEvent
from saferplaces.audit.services import audit_record

VERB_CRIME_DATA_VIEWED = "analytics.crime_data_viewed"
VERB_DASHBOARD_EXPORTED = "analytics.dashboard_exported"


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


def dashboard_export_record(
    *,
    user: Any,
    partnership: Partnership,
    file_format: str,
    filters: dict[str, str],
    table: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Audit that ``user`` downloaded dashboard figures (action 'export'): which file, which
    filters, so a figure circulated outside the system can be traced to who took it."""
    return audit_record(
        actor=user,
        verb=VERB_DASHBOARD_EXPORTED,
        target=partnership,
        partnership=partnership,
        summary={"format": file_format, "table": table, "filters": filters},
        request=request,
    )
