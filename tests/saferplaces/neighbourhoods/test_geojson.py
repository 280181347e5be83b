"""An uploaded outline: each bad file gets a message naming what is wrong."""

from __future__ import annotations

import json

import pytest

from saferplaces.neighbourhoods import geojson
from saferplaces.neighbourhoods.geojson import GeoJSONError, read_polygon
from tests.saferplaces.neighbourhoods.conftest import square

GOOD = square(-1.34, 52.72, -1.32, 52.73)


def _bytes(value: object) -> bytes:
    return json.dumps(value).encode()


@pytest.mark.parametrize(
    "document",
    [
        GOOD,
        {"type": "Feature", "properties": {}, "geometry": GOOD},
        {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": GOOD}]},
        {"type": "MultiPolygon", "coordinates": [GOOD["coordinates"]]},
    ],
    ids=["polygon", "feature", "collection-of-one", "multipolygon"],
)
def test_one_polygon_in_any_wrapper_is_read(document: object) -> None:
    polygon = read_polygon(_bytes(document))
    assert polygon.geometry.is_valid
    assert polygon.geojson["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", geojson.EMPTY_FILE),
        (b"{not json", "it is not valid JSON (line 1, column 2"),
        (b"\xff\xfe\x00", geojson.NOT_TEXT),
        (_bytes({"coordinates": []}), geojson.NO_TYPE),
        (_bytes({"type": "Point", "coordinates": [-1.3, 52.7]}), "The file holds a Point"),
        (_bytes({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}), "holds a LineString"),
        (_bytes({"type": "FeatureCollection", "features": [{"type": "Feature",
                                                            "geometry": GOOD}] * 2}),
         "The file holds 2 features"),
        (_bytes({"type": "Feature", "geometry": None}), geojson.NO_GEOMETRY),
        (_bytes({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}),
         "The polygon is not valid (Self-intersection"),
        (_bytes({"type": "Polygon", "coordinates": [[[443000, 314000], [444000, 314000],
                                                     [444000, 315000], [443000, 314000]]]}),
         "not longitude and latitude"),
        (_bytes({**GOOD, "crs": {"type": "name", "properties": {"name": "EPSG:27700"}}}),
         "not longitude and latitude"),
        (_bytes({"type": "Polygon", "coordinates": "nonsense"}), "cannot be read"),
    ],
    ids=["empty", "not-json", "not-utf8", "no-type", "point", "line", "two-features",
         "no-geometry", "self-intersecting", "british-national-grid", "crs-27700", "garbage"],
)  # fmt: skip
def test_bad_files_are_refused_with_a_reason(data: bytes, expected: str) -> None:
    with pytest.raises(GeoJSONError) as raised:
        read_polygon(data)
    assert expected in str(raised.value)


def test_a_file_over_1_mb_is_refused_before_it_is_parsed() -> None:
    padding = " " * (geojson.MAX_BYTES + 1)
    with pytest.raises(GeoJSONError, match=r"The file is 1\.0 MB: the largest file"):
        read_polygon(_bytes(GOOD) + padding.encode())
