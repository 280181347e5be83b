"""The crime data dashboard (filters in the address, downloads) and the partnership profile."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.selectors import partnership_get_current
from saferplaces.analytics.permissions import NOT_ALLOWED, can_view_crime_data
from saferplaces.analytics.services import crime_data_view_record, dashboard_export_record

FORMATS = ("csv", "xlsx", "pdf")


def _partnership(request: HttpRequest) -> Any:
    partnership = partnership_get_current(request)
    if partnership is None or not can_view_crime_data(request.user, partnership):
        raise PermissionDenied(NOT_ALLOWED)
    return partnership


@sign_in_required
@require_GET
def crime_data_view(request: HttpRequest) -> HttpResponse:
    """The monthly dashboard; ``?format=csv&table=KEY``, ``xlsx`` or ``pdf`` downloads it."""
    # crimestats brings numpy and scipy: import it on first use, so that every manage.py command
    # (whose system checks load the URLs and so this module) does not pay for it.
    from saferplaces.analytics import dashboard as selectors
    from saferplaces.analytics import downloads
    from saferplaces.analytics.forms import DashboardFilterForm

    partnership = _partnership(request)
    setup = selectors.dashboard_setup_get(partnership=partnership)
    form = DashboardFilterForm(
        request.GET,
        held=setup.held,
        areas=setup.areas,
        categories=selectors.category_choices(),
        partnership_name=setup.area_label or partnership.name,
        outside=selectors.area_outside_name,
    )
    context: dict[str, Any] = {
        "partnership": partnership,
        "setup": setup,
        "form": form,
        "data": None,
        "problems": [],
    }
    status = 200
    if setup.state == selectors.READY:
        if form.is_valid():
            filters = form.filters()
            context["filters"] = filters
            context["data"] = selectors.dashboard_get(
                user=request.user, partnership=partnership, setup=setup, filters=filters
            )
            file_format = request.GET.get("format", "")
            if file_format:
                problem = downloads.problem(
                    file_format, request.GET.get("table", ""), context["data"]
                )
                if problem is None:
                    return _download(request, partnership, context, file_format)
                context["problems"].append({"text": problem, "href": "#downloads"})
                status = 400
        else:
            status = 400
        context.update(downloads.page_context(form, setup, context.get("filters")))
        if "filters" in context and status == 200:
            context.update(_map_context(request, partnership, context["filters"]))
    crime_data_view_record(
        user=request.user,
        partnership=partnership,
        request=request,
        state=setup.state,
        filters=context["filters"].params() if "filters" in context else {},
        valid=status == 200,
        catalogue_version=setup.version,
    )
    return render(request, "analytics/crime_data.html", context, status=status)


def _map_context(request: HttpRequest, partnership: Any, filters: Any) -> dict[str, Any]:
    """The map and its table for the dashboard's filters (the map page's own selectors)."""
    from saferplaces.analytics.dashboard import map_query_for
    from saferplaces.analytics.mapdata import MapQueryError, map_data_get
    from saferplaces.analytics.maplinks import map_geojson_url, map_tiles

    query = map_query_for(filters)
    try:
        data = map_data_get(user=request.user, partnership=partnership, query=query)
    except MapQueryError as error:
        return {"map_problem": str(error)}
    return {
        "map_data": data,
        "map_geojson": map_geojson_url(query.as_params()),
        "map_tiles": map_tiles(),
    }


def _download(
    request: HttpRequest, partnership: Any, context: dict[str, Any], file_format: str
) -> HttpResponse:
    from saferplaces.analytics import downloads

    filters = context["filters"]
    table = request.GET.get("table", "") if file_format == "csv" else ""
    if file_format == "pdf":
        html = render_to_string("analytics/dashboard_print.html", context, request=request)
        response = downloads.pdf_response(html, filters)
    elif file_format == "xlsx":
        response = downloads.xlsx_response(context["data"], filters)
    else:
        response = downloads.csv_response(context["data"], filters, table)
    dashboard_export_record(
        user=request.user,
        partnership=partnership,
        file_format=file_format,
        filters=filters.params(),
        table=table,
        request=request,
    )
    return response


@sign_in_required
@require_GET
def crime_profile_view(request: HttpRequest) -> HttpResponse:
    """Harm, neighbourhoods, hot spots and data quality for the latest 12 months held."""
    from saferplaces.analytics.selectors import crime_data_get_for_partnership

    partnership = _partnership(request)
    data = crime_data_get_for_partnership(user=request.user, partnership=partnership)
    crime_data_view_record(
        user=request.user,
        partnership=partnership,
        request=request,
        state=data.state,
        page="profile",
        area=data.summary.get("area", {}).get("code", "") if data.summary else "",
        period=data.summary.get("period", "") if data.summary else "",
        catalogue_version=data.catalogue_version,
    )
    return render(
        request,
        "analytics/crime_profile.html",
        {"partnership": partnership, "data": data, "summary": data.summary},
    )
