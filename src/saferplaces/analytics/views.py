"""The crime data page: the current partnership's figures from ``crimestats``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.selectors import partnership_get_current
from saferplaces.analytics.permissions import NOT_ALLOWED
from saferplaces.analytics.services import crime_data_view_record


@sign_in_required
@require_GET
def crime_data_view(request: HttpRequest) -> HttpResponse:
    # crimestats brings numpy and scipy: import it on first use, so that every manage.py command
    # (whose system checks load the URLs and so this module) does not pay for it.
    from saferplaces.analytics.selectors import crime_data_get_for_partnership

    partnership = partnership_get_current(request)
    if partnership is None:
        raise PermissionDenied(NOT_ALLOWED)
    data = crime_data_get_for_partnership(user=request.user, partnership=partnership)
    crime_data_view_record(
        user=request.user,
        partnership=partnership,
        request=request,
        state=data.state,
        area=data.summary.get("area", {}).get("code", "") if data.summary else "",
        period=data.summary.get("period", "") if data.summary else "",
        catalogue_version=data.catalogue_version,
    )
    return render(
        request,
        "analytics/crime_data.html",
        {"partnership": partnership, "data": data, "summary": data.summary},
    )
