from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.permissions import can_view_analytics
from saferplaces.accounts.selectors import (
    partnership_and_roles_current,
    partnership_list_public,
)
from saferplaces.audit.services import audit_record
from saferplaces.core.home_panels import (
    public_home_context,
    public_services,
    resident_work_for,
)
from saferplaces.core.privacy import privacy_purposes


@require_safe
def home_view(request: HttpRequest) -> HttpResponse:
    """Public home page for residents: what SaferPlaces is for the partnership(s) here."""
    return render(
        request,
        "core/home.html",
        {
            "partnerships": list(partnership_list_public()),
            "public_services": public_services(),
            **public_home_context(),
        },
    )


@sign_in_required
@require_safe
def residents_view(request: HttpRequest) -> HttpResponse:
    """Staff: the work that comes from residents, gathered from the apps that hold it."""
    partnership, roles = partnership_and_roles_current(request, "Choose a partnership first.")
    if not can_view_analytics(request.user, partnership, roles=roles):
        raise PermissionDenied("Only members of the partnership can see residents' work.")
    sections = resident_work_for(user=request.user, partnership=partnership, roles=roles)
    return render(
        request, "core/residents.html", {"partnership": partnership, "sections": sections}
    )


@require_safe
def accessibility_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html", {})


@require_safe
def privacy_view(request: HttpRequest) -> HttpResponse:
    # Every purpose an app registered (core.privacy): the notice cannot leave one out.
    return render(request, "core/privacy.html", {"purposes": privacy_purposes()})


def _error(request: HttpRequest, status: int, title: str, body: str) -> HttpResponse:
    return render(
        request, "core/error.html", {"title": title, "body": body, "status": status}, status=status
    )


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(
        request, 400, "Sorry, there is a problem with the request", "Go back and try again."
    )


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    audit_record(
        actor=request.user if hasattr(request, "user") else None,
        verb="access.forbidden",
        object_type="url",
        object_id=request.path[:64],
        request=request,
    )
    return _error(
        request,
        403,
        "You do not have permission to do this",
        "If you think you should have access, ask your partnership manager.",
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted the web address, "
        "check you copied the entire address.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request, so no context processor touches a database that may be
    # the cause of the error.
    html = loader.get_template("core/error.html").render(
        {
            "title": "Sorry, there is a problem with the service",
            "body": "Try again later. If the page did not confirm that something was saved, "
            "it was not saved.",
            "status": 500,
        }
    )
    return HttpResponseServerError(html)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    audit_record(
        actor=getattr(request, "user", None),
        verb="access.csrf_failed",
        object_type="url",
        object_id=request.path[:64],
        request=request,
    )
    return _error(
        request,
        403,
        "Sorry, the form could not be sent",
        "This can happen if the page was open for a long time or cookies are blocked. "
        "Go back, reload the page and try again.",
    )
