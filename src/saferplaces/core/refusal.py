"""A refusal that says why: 403 on a page of the app, with the reason audited.

Each app's views show a refusal on its own page (the plan, the survey, the assessment) so the
person keeps their bearings; what they share is recorded here once.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saferplaces.audit.services import audit_record


def refused_response(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    message: str,
    *,
    partnership: Any = None,
) -> HttpResponse:
    """Audit ``access.forbidden`` with the reason, then render ``template`` with status 403."""
    audit_record(
        actor=request.user,
        verb="access.forbidden",
        object_type="url",
        object_id=request.path[:64],
        partnership=partnership,
        summary={"reason": message[:200]},
        request=request,
    )
    context = {**context, "refusal": message, "page_has_errors": True}
    return render(request, template, context, status=403)
