"""Read an uploaded GeoJSON file as one polygon, or say plainly what is wrong with it.

No Django and no data store here: the rules are about the file only (size, JSON, one polygon,
valid, longitude and latitude). Which small areas fall inside is decided in ``services``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

MAX_BYTES = 1024 * 1024  # 1 MB: an estate's outline is a few kilobytes
POLYGON_TYPES = ("Polygon", "MultiPolygon")
# RFC 7946 GeoJSON is WGS 84 longitude/latitude; these names all mean it.
LON_LAT_CRS = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
}

TOO_LARGE = (
    "The file is {size}: the largest file you can upload is 1 MB. Simplify the "
    "outline or upload a smaller file."
)
EMPTY_FILE = "The file is empty. Choose a GeoJSON file with the neighbourhood's outline."
NOT_TEXT = "The file is not a GeoJSON file: it is not text in UTF-8."
NOT_JSON = "The file is not a GeoJSON file: it is not valid JSON ({detail})."
NO_TYPE = (
    'The file is not GeoJSON: it has no "type" (expected a Polygon, MultiPolygon, Feature '
    "or FeatureCollection)."
)
WRONG_TYPE = (
    "The file holds a {kind}, not a polygon. Upload one Polygon or MultiPolygon (on "
    "its own, in a Feature or in a FeatureCollection of one feature)."
)
FEATURE_COUNT = (
    "The file holds {count} features. Upload a FeatureCollection with exactly one "
    "polygon feature, or merge the shapes into one MultiPolygon."
)
NO_GEOMETRY = "The feature in the file has no geometry. Upload one Polygon or MultiPolygon."
UNREADABLE = "The polygon's coordinates cannot be read ({detail})."
EMPTY_POLYGON = "The polygon is empty: it has no area."
INVALID = (
    "The polygon is not valid ({detail}). Its edges may cross or a ring may not be "
    "closed: fix it in your mapping software and export it again."
)
NOT_LON_LAT = (
    "The coordinates are not longitude and latitude (WGS 84). Export the file in "
    "EPSG:4326 (GeoJSON's standard), not British National Grid."
)


class GeoJSONError(ValueError):
    """What is wrong with the file, in words to show the person who uploaded it."""


@dataclass(frozen=True)
class Polygon:
    geometry: Any  # shapely Polygon or MultiPolygon
    geojson: dict[str, Any]  # the geometry alone, as a GeoJSON mapping

    @property
    def text(self) -> str:
        return json.dumps(self.geojson, separators=(",", ":"))


def file_size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{math.ceil(n / 1024)} KB"


def _crs_name(document: dict[str, Any]) -> str | None:
    crs = document.get("crs")
    if isinstance(crs, dict):
        name = (crs.get("properties") or {}).get("name")
        return str(name) if name else None
    return None


def _one_geometry(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        raise GeoJSONError(NO_TYPE)
    kind = document["type"]
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list) or len(features) != 1:
            count = len(features) if isinstance(features, list) else 0
            raise GeoJSONError(FEATURE_COUNT.format(count=count))
        return _one_geometry(features[0])
    if kind == "Feature":
        geometry = document.get("geometry")
        if not isinstance(geometry, dict):
            raise GeoJSONError(NO_GEOMETRY)
        return _one_geometry(geometry)
    if kind not in POLYGON_TYPES:
        raise GeoJSONError(WRONG_TYPE.format(kind=kind))
    return document


def read_polygon(data: bytes) -> Polygon:
    """The one polygon in ``data``; raises :class:`GeoJSONError` naming the problem."""
    if len(data) > MAX_BYTES:
        raise GeoJSONError(TOO_LARGE.format(size=file_size(len(data))))
    if not data.strip():
        raise GeoJSONError(EMPTY_FILE)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GeoJSONError(NOT_TEXT) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        detail = f"line {error.lineno}, column {error.colno}: {error.msg}"
        raise GeoJSONError(NOT_JSON.format(detail=detail)) from None
    crs = _crs_name(document) if isinstance(document, dict) else None
    if crs is not None and crs not in LON_LAT_CRS:
        raise GeoJSONError(NOT_LON_LAT)
    raw = _one_geometry(document)
    try:
        geometry = shape(raw)
    except Exception as error:  # shapely raises several types for malformed coordinates
        raise GeoJSONError(UNREADABLE.format(detail=str(error) or type(error).__name__)) from None
    if geometry.is_empty:
        raise GeoJSONError(EMPTY_POLYGON)
    west, south, east, north = geometry.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise GeoJSONError(NOT_LON_LAT)
    if not geometry.is_valid:
        raise GeoJSONError(INVALID.format(detail=explain_validity(geometry)))
    if geometry.area == 0:
        raise GeoJSONError(EMPTY_POLYGON)
    geometry = shapely.normalize(geometry)
    return Polygon(geometry, dict(mapping(geometry)))
