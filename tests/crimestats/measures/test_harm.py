"""Harm totals (§6) against the versioned weights file and hand counts from the raw CSVs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import crimestats
from crimestats.measures import harm
from crimestats.query import Query
from tests.crimestats.measures._raw import NWL, by, nwl_rows

pytestmark = pytest.mark.realdata

WEIGHTS_FILE = Path(crimestats.__file__).parent / "data" / "harm_weights.json"


def _weights(version: str = "cchi-v1.1") -> dict[str, float]:
    data = json.loads(WEIGHTS_FILE.read_text("utf-8"))
    return {slug: w["weight"] for slug, w in data["versions"][version]["weights"].items()}


@pytest.mark.parametrize("include_proactive", [False, True])
def test_nwl_2025_harm_total_from_the_weights_file(engine, include_proactive):
    hand = by(nwl_rows("leicestershire-2025.zip", "derbyshire-2025.zip"), "crime_type")
    weights = _weights()
    excluded = {"anti-social-behaviour"} | (
        set() if include_proactive else {"drugs", "possession-of-weapons"}
    )
    expected = sum(weights[s] * n for s, n in hand.items() if s not in excluded)

    result = harm(
        engine,
        Query.from_strings(NWL, first="2025-01", last="2025-12"),
        include_proactive=include_proactive,
    )
    assert result.total.total == pytest.approx(expected, rel=1e-12)
    assert set(result.total.included) == set(weights) - excluded
    rows = {r["crime_type"]: r for r in result.by_category.to_pylist()}
    assert {s: r["count"] for s, r in rows.items()} == dict(hand)  # counts shown beside harm
    assert rows["anti-social-behaviour"]["harm"] is None
    assert rows["robbery"]["harm"] == pytest.approx(365 * hand["robbery"])
    assert sum(result.by_lsoa["harm"].to_pylist()) == pytest.approx(expected, rel=1e-12)
    assert result.weights_version == result.provenance.weights_version == "cchi-v1.1"
    assert result.provenance.parameters["include_proactive"] is include_proactive
    assert "§6" in result.provenance.method or "harm" in result.provenance.method.lower()


def test_no_harm_total_for_a_period_without_data(engine):
    result = harm(engine, Query.from_strings(NWL, first="2023-01", last="2023-12"))
    assert result.total.total is None
    assert any("every month is missing" in note for note in result.provenance.notes)
    # The rows are gaps too: no category or LSOA shows zero harm or zero crimes.
    assert set(result.by_category["count"].to_pylist()) == {None}
    assert set(result.by_category["harm"].to_pylist()) == {None}
    assert set(result.by_lsoa["harm"].to_pylist()) == {None}


def test_nwl_harm_total_and_lsoa_ranks_carry_intervals_and_the_few_events_flag(engine):
    # Issue #11.6: 54,002 days with no interval; top "priority" LSOAs rest on 2-3 robberies.
    from scipy import stats

    rows = [r for r in nwl_rows("leicestershire-2025.zip", "derbyshire-2025.zip")]
    weights = _weights()
    excluded = {"anti-social-behaviour", "drugs", "possession-of-weapons"}
    result = harm(engine, Query.from_strings(NWL, first="2025-01", last="2025-12"))
    i = result.interval
    assert i.total == 54_002.0
    # φ from NWL's longest run of complete months (2019-12…2022-10, the §10.1 reference), taken
    # at its upper 90 % bound for the interval.
    d = result.dispersion
    assert d.phi == pytest.approx(6.4115, abs=1e-4)
    assert d.first_month == "2019-12"
    assert i.phi_star == pytest.approx(141.054 / stats.chi2.ppf(0.10, 22), rel=1e-4)
    hand = by([r for r in rows if r.crime_type not in excluded], "crime_type")
    assert i.variance == pytest.approx(i.phi_star * sum(weights[c] * weights[c] * n
                                                        for c, n in hand.items()))  # fmt: skip
    assert i.lower < i.total < i.upper
    assert i.variance_share["robbery"] > 0.85

    table = result.by_lsoa.to_pylist()
    for r in table:
        assert r["harm_lower"] <= r["harm"] <= r["harm_upper"]
        assert r["rank_best"] <= r["rank"] <= r["rank_worst"] or r["harm"] == 0
    # The flag, by hand from the raw rows: heaviest crimes first, fewest that pass half.
    flagged = [r for r in table[:10] if r["driven_by_few"]]
    assert flagged, "some top-10 harm LSOA rests on a few crimes"
    for r in flagged:
        mine = sorted((weights[x.crime_type] for x in rows
                       if x.lsoa_code == r["lsoa21_code"] and x.crime_type not in excluded),
                      reverse=True)  # fmt: skip
        assert sum(mine) == pytest.approx(r["harm"])
        running, k = 0.0, 0
        while running <= sum(mine) / 2:
            running += mine[k]
            k += 1
        assert k == r["events_driving"] <= 3
