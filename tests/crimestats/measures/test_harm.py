"""Harm totals (§6) against the versioned weights file and hand counts from the raw CSVs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import crimestats
from crimestats.measures import harm
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

    result = harm(engine, NWL, first="2025-01", last="2025-12",
                  include_proactive=include_proactive)  # fmt: skip
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
    result = harm(engine, NWL, first="2023-01", last="2023-12")
    assert result.total.total is None
    assert any("every month is missing" in note for note in result.provenance.notes)
    # The rows are gaps too: no category or LSOA shows zero harm or zero crimes.
    assert set(result.by_category["count"].to_pylist()) == {None}
    assert set(result.by_category["harm"].to_pylist()) == {None}
    assert set(result.by_lsoa["harm"].to_pylist()) == {None}
