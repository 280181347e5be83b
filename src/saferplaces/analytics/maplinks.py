"""Where a crime map gets its boundaries and tiles: used by the map page, the dashboard and the
neighbourhood picker, so it lives outside the views (no app imports another app's views)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode


def map_tiles() -> dict[str, str]:
    """The optional tile layer for every crime map (empty: boundaries on a plain background)."""
    return {
        "tile_url": getattr(settings, "SAFERPLACES_MAP_TILE_URL", ""),
        "tile_attribution": getattr(settings, "SAFERPLACES_MAP_TILE_ATTRIBUTION", ""),
    }


def map_geojson_url(params: dict[str, str] | None = None) -> str:
    """The GeoJSON address for a map, with its area, period and category parameters."""
    url = reverse("analytics:map_geojson")
    return f"{url}?{urlencode(params)}" if params else url
