from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from saferplaces.audit.context import RequestContext, current_request
from saferplaces.audit.services import client_ip


class AuditContextMiddleware:
    """Make the client's IP address and user agent available to ``audit_record``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(
            RequestContext(
                ip_address=client_ip(request),
                user_agent=request.headers.get("User-Agent", "")[:256],
            )
        )
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
