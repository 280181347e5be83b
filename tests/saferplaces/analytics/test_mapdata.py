"""The crime map's data: size, GeoJSON shape, and figures that agree with ``crimestats``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import shapely
from django.core.exceptions import PermissionDenied
from pyproj import Transformer

from crimestats import Query, measures
from crimestats.areas import lsoa_lookup, resolve_area
from saferplaces.accounts.models import Role
from saferplaces.analytics.engine import engine_for
from saferplaces.analytics.mapdata import (
    COARSE_GRID_M,
    MapQuery,
    MapQueryError,
    map_data_get,
    map_data_prepare,
    map_query_parse,
)
from saferplaces.analytics.selectors import NO_DATA, READY, crime_data_store
from tests.saferplaces.factories import MembershipFactory, OrganisationFactory, PartnershipFactory

NWL = "E07000134"
# Blaby: in the same force area, not in North West Leicestershire.
BLABY = "E07000129"
SIZE_LIMIT = 200 * 1024  # issue #13, Speed: map GeoJSON for a partnership < 200 KB


def _nwl(db: Any) -> Any:
    return PartnershipFactory(name="North West Leicestershire CSP", lad_codes=[NWL])


def _engine() -> Any:
    store = crime_data_store()
    return engine_for(store, int(store.catalogue_version()))


def _lsoas(data: Any) -> list[dict[str, Any]]:
    return [f for f in data.geojson["features"] if f["properties"]["kind"] == "lsoa"]


def _points(data: Any) -> list[dict[str, Any]]:
    return [f for f in data.geojson["features"] if f["properties"]["kind"] == "repeat_location"]


# A district (North West Leicestershire, 60 LSOAs) and a city (Leicester, 200 small LSOAs).
@pytest.mark.parametrize("district", [NWL, "E06000016"])
def test_partnership_geojson_is_under_200_kb(db: Any, real_store: Path, district: str) -> None:
    data = map_data_prepare(partnership=PartnershipFactory(lad_codes=[district]))

    assert data.state == READY
    size = len(json.dumps(data.geojson, separators=(",", ":")).encode("utf-8"))
    assert size < SIZE_LIMIT, f"{size:,} bytes"


def test_geojson_is_valid_with_every_lsoa_once(db: Any, real_store: Path) -> None:
    data = map_data_prepare(partnership=_nwl(db))
    with _engine() as engine:
        expected = resolve_area(engine, NWL).lsoa_codes

    assert data.geojson["type"] == "FeatureCollection"
    codes = [f["properties"]["code"] for f in _lsoas(data)]
    assert sorted(codes) == sorted(expected)
    assert len(codes) == len(set(codes)) == 60
    for feature in data.geojson["features"]:
        assert feature["type"] == "Feature"
        geometry = shapely.from_geojson(json.dumps(feature["geometry"]))
        assert not geometry.is_empty
        if feature["properties"]["kind"] == "lsoa":
            assert geometry.geom_type in {"Polygon", "MultiPolygon"}
            assert geometry.area > 0
        lon, lat = shapely.get_coordinates(geometry).T
        assert ((lon > -2.0) & (lon < -0.5) & (lat > 52.0) & (lat < 53.2)).all()
    # Coordinates are rounded to 5 decimal places (about a metre).
    text = json.dumps([f["geometry"] for f in _lsoas(data)])
    assert (
        max(
            len(n.split(".")[1])
            for n in text.replace("[", " ").replace("]", " ").replace(",", " ").split()
            if "." in n
        )
        <= 5
    )
    assert data.rows
    assert len(data.rows) == 60


def test_rates_agree_with_crimestats_rates(db: Any, real_store: Path) -> None:
    data = map_data_prepare(partnership=_nwl(db))
    by_code = {f["properties"]["code"]: f["properties"] for f in _lsoas(data)}
    chosen = [row["code"] for row in data.rows[:1] + data.rows[29:30] + data.rows[-1:]]

    with _engine() as engine:
        for code in chosen:
            rate = measures.rates(engine, Query.from_strings(code, first="2025-01", last="2025-12"))
            props = by_code[code]
            assert props["count"] == rate.count, code
            assert props["rate"] == pytest.approx(rate.rate.rate, abs=0.005), code
            assert data.meta["population_year"] == rate.provenance.population_year_used
            assert props["small_number"] == rate.rate.small_number
    assert data.meta["period"] == "January to December 2025"


# Anti-social behaviour in 2025 has hot and cold spots at every level; robbery is too sparse to
# test (under 40 % of neighbourhoods have any), so every neighbourhood is "not tested".
@pytest.mark.parametrize(
    ("category", "expected_classes"),
    [
        ("asb", {"hot-95", "hot-90", "not-significant", "cold-90", "cold-95", "cold-99"}),
        ("robbery", {"not-testable"}),
    ],
)
def test_gi_classes_are_the_hotspots_result(
    db: Any, real_store: Path, category: str, expected_classes: set[str]
) -> None:
    data = map_data_prepare(partnership=_nwl(db), query=MapQuery(category=category))
    with _engine() as engine:
        result = measures.hotspots(
            engine, Query.from_strings(NWL, first="2025-01", last="2025-12", categories=category)
        )
    expected = {
        row["lsoa21_code"]: (row["bin"], row["testable"]) for row in result.lsoas.to_pylist()
    }
    keys = {
        3: "hot-99",
        2: "hot-95",
        1: "hot-90",
        0: "not-significant",
        -1: "cold-90",
        -2: "cold-95",
        -3: "cold-99",
    }

    for feature in _lsoas(data):
        props = feature["properties"]
        bin_, testable = expected[props["code"]]
        assert props["gi_class"] == (keys[bin_] if testable else "not-testable"), props["code"]
    assert {f["properties"]["gi_class"] for f in _lsoas(data)} == expected_classes
    assert data.meta["gi"]["reason"] == (result.gi.reason or "")


def test_rate_classes_follow_the_breaks_and_skip_small_numbers(db: Any, real_store: Path) -> None:
    data = map_data_prepare(partnership=_nwl(db), query=MapQuery(category="burglary"))
    breaks = data.meta["rates"]["breaks"]

    assert breaks == sorted(breaks)
    assert len(breaks) >= 2
    small = [r for r in data.rows if r["small_number"]]
    assert small, "burglary leaves some neighbourhoods with fewer than 10 crimes"
    assert all(r["rate_class"] is None for r in small)
    for row in data.rows:
        if row["rate_class"] is not None:
            below = sum(1 for b in breaks if b <= row["rate"])
            assert row["rate_class"] == below, row


def test_coarsened_points_lie_on_the_500_m_grid(db: Any, real_store: Path) -> None:
    partnership = _nwl(db)
    raw = _points(map_data_prepare(partnership=partnership))
    coarse = _points(map_data_prepare(partnership=partnership, coarsen=True))

    assert raw
    assert coarse
    raw_xy = {tuple(p["geometry"]["coordinates"]) for p in raw}
    to_grid = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    for point in coarse:
        assert tuple(point["geometry"]["coordinates"]) not in raw_xy
        x, y = to_grid.transform(*point["geometry"]["coordinates"])
        # The centre of a 500 m square: 250 m past a multiple of 500 (within rounding, < 1 m).
        for value in (x, y):
            offset = (value - COARSE_GRID_M / 2) % COARSE_GRID_M
            assert min(offset, COARSE_GRID_M - offset) < 1.0, (x, y)
        assert "near" not in point["properties"]["location"].lower()
        assert point["properties"]["coarsened"] is True
    assert sum(p["properties"]["count"] for p in coarse) == sum(
        p["properties"]["count"] for p in raw
    )


def test_a_ward_inside_the_partnership_maps_only_its_lsoas(db: Any, real_store: Path) -> None:
    partnership = _nwl(db)
    with _engine() as engine:
        lookup = lsoa_lookup(engine).to_pylist()
    ward = next(r["ward_code"] for r in lookup if r["lad_code"] == NWL)
    in_ward = {r["lsoa21_code"] for r in lookup if r["ward_code"] == ward}

    data = map_data_prepare(partnership=partnership, query=MapQuery(area=ward))

    assert {f["properties"]["code"] for f in _lsoas(data)} == in_ward


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (MapQuery(area="E01025610"), "is not inside"),  # a Blaby neighbourhood
        (MapQuery(area=BLABY.replace("E07", "E05")), "not in the loaded geography"),
        (MapQuery(area="lsoas:E01099999"), "not in the loaded geography"),
    ],
)
def test_areas_outside_the_partnership_are_refused(
    db: Any, real_store: Path, query: MapQuery, message: str
) -> None:
    with pytest.raises(MapQueryError, match=message):
        map_data_prepare(partnership=_nwl(db), query=query)


def test_a_period_outside_the_data_is_refused(db: Any, real_store: Path) -> None:
    query = map_query_parse({"from": "2010-01", "to": "2010-12"})

    with pytest.raises(MapQueryError, match="No crime data for January to December 2010"):
        map_data_prepare(partnership=_nwl(db), query=query)


def test_only_members_may_read_the_map(db: Any, real_store: Path) -> None:
    partnership = _nwl(db)
    outsider = MembershipFactory(role=Role.ANALYST).user
    member = MembershipFactory(
        organisation=OrganisationFactory(partnership=partnership), role=Role.VIEWER
    ).user

    with pytest.raises(PermissionDenied):
        map_data_get(user=outsider, partnership=partnership)
    assert map_data_get(user=member, partnership=partnership).state == READY


def test_no_data_yet(db: Any, empty_store: Path) -> None:
    assert map_data_prepare(partnership=_nwl(db)).state == NO_DATA


def test_generated_data_stands_in_for_the_partnership(db: Any, synthetic_store: Path) -> None:
    data = map_data_prepare(partnership=_nwl(db))

    assert data.state == READY
    assert data.is_synthetic
    assert "in place of" in data.stand_in
    assert _lsoas(data)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"area": "Coalville"}, "Area “COALVILLE” is not a ward code"),
        ({"from": "2025-13"}, "Start month “2025-13” must be a month written as YYYY-MM"),
        ({"to": "last year"}, "End month “last year” must be a month"),
        ({"from": "2025-06", "to": "2025-01"}, "Start month 2025-06 is after end month 2025-01"),
        ({"category": "parking"}, "Category “parking” is not known"),
    ],
)
def test_query_parse_names_what_is_wrong(params: dict[str, str], message: str) -> None:
    with pytest.raises(MapQueryError, match=message):
        map_query_parse(params)


def test_query_parse_reads_back_its_own_parameters() -> None:
    query = map_query_parse(
        {
            "area": "lsoas:e01025913, E01025914",
            "from": "2025-01",
            "to": "2025-06",
            "category": "acquisitive",
        }
    )

    assert query.area == "lsoas:E01025913,E01025914"
    assert map_query_parse(query.as_params()) == query
    assert map_query_parse({}) == MapQuery()
