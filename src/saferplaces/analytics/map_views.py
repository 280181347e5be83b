"""The crime map: its GeoJSON (fetched by the browser) and a page that shows it.

The page reads like the crime data page (same permission, same audit record); the GeoJSON is
what that page's script fetches, so it is not audited a second time (one view, one record).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.selectors import partnership_get_current
from saferplaces.analytics.maplinks import map_geojson_url, map_tiles
from saferplaces.analytics.permissions import NOT_ALLOWED
from saferplaces.analytics.services import crime_data_view_record

GEOJSON_TYPE = "application/geo+json"


def _current_partnership(request: HttpRequest) -> Any:
    partnership = partnership_get_current(request)
    if partnership is None:
        raise PermissionDenied(NOT_ALLOWED)
    return partnership


@sign_in_required
@require_GET
def map_geojson_view(request: HttpRequest) -> HttpResponse:
    # crimestats brings numpy and scipy: import on first use (see views.crime_data_view).
    from saferplaces.analytics.mapdata import MapQueryError, map_data_get, map_query_parse
    from saferplaces.analytics.selectors import READY

    partnership = _current_partnership(request)
    try:
        query = map_query_parse(request.GET)
        data = map_data_get(user=request.user, partnership=partnership, query=query)
    except MapQueryError as error:
        return JsonResponse({"error": str(error)}, status=400)
    if data.state != READY:
        # Still valid GeoJSON, so a map script shows the message instead of failing.
        body: dict[str, Any] = {
            "type": "FeatureCollection",
            "features": [],
            "saferplaces": {"state": data.state, "message": data.message},
        }
    else:
        body = data.geojson
    response = JsonResponse(
        body, content_type=GEOJSON_TYPE, json_dumps_params={"separators": (",", ":")}
    )
    response["Cache-Control"] = "private, no-cache"
    return response


@sign_in_required
@require_GET
def map_view(request: HttpRequest) -> HttpResponse:
    from saferplaces.analytics.mapdata import MapQueryError, map_data_get, map_query_parse

    partnership = _current_partnership(request)
    errors: list[dict[str, str]] = []
    try:
        query = map_query_parse(request.GET)
        data = map_data_get(user=request.user, partnership=partnership, query=query)
    except MapQueryError as error:
        errors = [{"text": str(error), "href": "#crime-map-heading"}]
        data = None
    status = 400 if errors else 200
    if data is not None:
        crime_data_view_record(
            user=request.user,
            partnership=partnership,
            request=request,
            page="map",
            state=data.state,
            area=data.meta.get("area", {}).get("code", ""),
            period=data.meta.get("period", ""),
            catalogue_version=data.catalogue_version,
        )
    context = {
        "partnership": partnership,
        "data": data,
        "errors": errors,
        "page_has_errors": bool(errors),
        "geojson_url": map_geojson_url(query.as_params() if not errors else None),
        **map_tiles(),
    }
    return render(request, "analytics/map.html", context, status=status)
