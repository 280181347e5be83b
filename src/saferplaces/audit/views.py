from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from saferplaces.accounts import permissions
from saferplaces.accounts.decorators import sign_in_required
from saferplaces.audit.forms import AuditFilterForm
from saferplaces.audit.registry import describe
from saferplaces.audit.selectors import (
    audit_event_list_visible,
    audit_event_records_describe,
    audit_partnership_list_visible,
)

PAGE_SIZE = 50


@sign_in_required
@require_safe
def audit_list_view(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_audit_log(request.user):
        raise PermissionDenied(
            "Only partnership managers and administrators can read the audit log."
        )
    form = AuditFilterForm(
        request.GET or None, partnerships=audit_partnership_list_visible(user=request.user)
    )
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "partnership": data["partnership_obj"],
            "action": data["action"],
            "verb": data["verb"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
    events = audit_event_list_visible(user=request.user, **filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "page": page,
            "records": audit_event_records_describe(user=request.user, events=page.object_list),
            "describe": describe,
            "query": query.urlencode(),
        },
    )
