"""The demo neighbourhood's profile on real data: every figure is a crimestats measure's."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crimestats import Query, measures
from crimestats.areas import Comparator, districts_area, resolve_area
from crimestats.engines import open_engine
from crimestats.query import parse_period
from crimestats.store import Store
from saferplaces.neighbourhoods.periods import baseline_periods
from saferplaces.neighbourhoods.profile import NeighbourhoodSpec, build_profile
from tests.saferplaces.neighbourhoods.conftest import GREENHILL
from tests.shared_data import require_shared_data


@pytest.fixture(scope="module")
def engine() -> Any:
    from tests.saferplaces.analytics._stores import real_data_dir

    engine = open_engine(Store(real_data_dir()))
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def profile(engine: Any) -> dict[str, Any]:
    shared = require_shared_data("ons")
    spec = NeighbourhoodSpec(
        label="Greenhill and Agar Nook", lsoa_codes=tuple(GREENHILL),
        partnership_name="North West Leicestershire Community Safety Partnership",
        partnership_code="E22000170", partnership_lads=("E07000134",),
        baseline=date(2024, 1, 1),
        age_file=shared / "ons" / "census21_pop_lsoa21_leicestershire.csv",
    )  # fmt: skip
    return build_profile(engine, spec)


def test_rates_and_ratios_equal_the_measures_called_directly(
    engine: Any, profile: dict[str, Any]
) -> None:
    area = resolve_area(engine, GREENHILL)
    nwl = districts_area(engine, ["E07000134"])
    partnership = Comparator("peers", nwl.label, (), nwl.lsoa_codes, (), (nwl,))
    rows = {row["slug"]: row for row in profile["categories"]}
    for slug in ("burglary", "violent-crime", "anti-social-behaviour"):
        direct = measures.compare(
            engine, Query(area, months=12, categories=(slug,), comparator=partnership)
        )
        force = measures.compare(
            engine, Query(area, months=12, categories=(slug,), comparator="force")
        )
        row = rows[slug]
        assert row["count"] == direct.area_rate.count
        assert row["rate"] == pytest.approx(direct.area_rate.rate)
        assert row["partnership"]["ratio"] == pytest.approx(direct.ratio.rate_ratio)
        assert row["partnership"]["lower"] == pytest.approx(direct.ratio.lower)
        assert row["partnership"]["p_value"] == pytest.approx(direct.ratio.p_value)
        assert row["force"]["ratio"] == pytest.approx(force.ratio.rate_ratio)
    total = measures.counts(engine, Query(area, months=12)).total
    assert profile["headline"]["count"] == total


def test_the_profile_reads_as_a_csp_would_expect(profile: dict[str, Any]) -> None:
    assert profile["period"] == "January to December 2025"
    assert profile["n_lsoas"] == 5
    assert profile["population"]["total"] == 7202  # Census 2021, the five LSOAs summed
    assert sum(b["residents"] for b in profile["population"]["age_bands"]) == 7202
    assert [d["decile"] for d in profile["imd"]["deciles"]] == [1, 4, 8]
    headline = profile["headline"]["partnership"]["sentence"]
    assert headline.startswith("All crime: 1.3 times the North West Leicestershire rate")
    assert headline.endswith("a real difference.")
    assert profile["force_label"] == "Leicestershire force area"
    assert all("a real difference" in s for s in profile["higher"] + profile["lower"])


def test_change_since_the_baseline_uses_complete_matching_months(
    engine: Any, profile: dict[str, Any]
) -> None:
    change = profile["change"]
    assert (change["period_1"], change["period_2"]) == ("January to April 2024",
                                                         "January to April 2025")  # fmt: skip
    direct = measures.change(
        engine,
        Query(GREENHILL),
        period_1=parse_period("2024-01", "2024-04"),
        period_2=parse_period("2025-01", "2025-04"),
    )
    assert (change["x1"], change["x2"]) == (direct.x1, direct.x2)
    assert change["tested"]
    assert change["headline"] == direct.test.verdict.headline


def test_hotspots_and_trend_come_from_the_measures(engine: Any, profile: dict[str, Any]) -> None:
    direct = measures.hotspots(engine, Query(GREENHILL, months=12), top=10)
    assert [p["count"] for p in profile["hotspots"]["points"]] == direct.map_points[
        "count"
    ].to_pylist()
    assert profile["trend"]["reason"] == measures.trend(engine, Query(GREENHILL)).trend.reason


def test_baseline_rule_without_data_or_later_year() -> None:
    held = {date(2024, m, 1) for m in range(1, 5)}
    assert "has no data" in baseline_periods(date(2023, 6, 1), held, date(2024, 4, 1)).reason
    none_later = baseline_periods(date(2024, 1, 1), held, date(2024, 4, 1))
    assert none_later.period_2 is None
    assert "no later year" in none_later.reason


def test_no_age_file_says_so(engine: Any, tmp_path: Path) -> None:
    spec = NeighbourhoodSpec(
        label="x", lsoa_codes=tuple(GREENHILL[:1]), partnership_name="NWL",
        partnership_code="E22000170", partnership_lads=("E07000134",),
        baseline=date(2025, 1, 1), age_file=tmp_path / "missing.csv",
    )  # fmt: skip
    population = build_profile(engine, spec)["population"]
    assert population["age_bands"] == []
    assert "Age bands are not shown" in population["age_note"]
