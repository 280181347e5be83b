"""Gi* hot spots, top LSOAs and concentration on the real data (§5), against esda and statsmodels.

The weights are built here, independently of the measure, from the store's ``lsoa_neighbours``
table (queen contiguity of the 2021 LSOA boundaries) restricted to North West Leicestershire,
and passed to ``esda.G_Local(y, w, transform="B", star=True)``.
"""

from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq
import pytest
from esda import G_Local
from libpysal.weights import W
from scipy import stats
from statsmodels.stats.multitest import multipletests

from crimestats.measures import hotspots
from crimestats.query import Query
from tests.crimestats.measures._raw import NWL, by, nwl_codes, nwl_rows

pytestmark = pytest.mark.realdata

ASB = "anti-social-behaviour"


def _weights(data_dir, codes: list[str]) -> W:
    pairs = pq.read_table(data_dir / "geography" / "lsoa_neighbours.parquet").to_pylist()
    inside = set(codes)
    neighbours: dict[str, list[str]] = {c: [] for c in codes}
    for pair in pairs:
        a, b = pair["lsoa21_code"], pair["neighbour_code"]
        if a in inside and b in inside and a != b and b not in neighbours[a]:
            neighbours[a].append(b)
    assert all(neighbours.values()), "NWL has no island LSOA: nothing to attach"
    return W(neighbours, id_order=codes)


def test_gi_star_matches_esda_on_the_store_weights(engine, data_dir):
    codes = sorted(nwl_codes())
    hand = by([r for r in nwl_rows("leicestershire-2025.zip", "derbyshire-2025.zip")
               if r.crime_type != ASB], "lsoa_code")  # fmt: skip
    y = np.array([hand.get(c, 0) for c in codes], dtype=float)

    result = hotspots(engine, Query.from_strings(NWL, first="2025-01", last="2025-12"))
    assert result.lsoas["lsoa21_code"].to_pylist() == codes
    assert result.lsoas["count"].to_pylist() == y.astype(int).tolist()
    assert result.islands.num_rows == 0

    # Gi* of the ranks (issue #11 calibration): esda on scipy's average ranks is the reference.
    ranks = stats.rankdata(y)
    ref = G_Local(ranks, _weights(data_dir, codes), transform="B", star=True, permutations=0)
    z = np.asarray(result.lsoas["gi_z"].to_pylist())
    np.testing.assert_allclose(z, ref.Zs, rtol=0, atol=1e-9)
    p = np.asarray(result.lsoas["p"].to_pylist())
    np.testing.assert_allclose(p, 2 * ref.p_norm, rtol=1e-9, atol=1e-15)
    adjusted = multipletests(p, method="fdr_bh")[1]
    np.testing.assert_allclose(result.lsoas["p_adjusted"].to_pylist(), adjusted, rtol=1e-9)
    bins = result.lsoas["bin"].to_pylist()
    for zi, pa_i, b in zip(z, adjusted, bins, strict=True):
        level = 3 if pa_i <= 0.01 else 2 if pa_i <= 0.05 else 1 if pa_i <= 0.10 else 0
        assert b == int(np.sign(zi)) * level
    assert result.gi.fdr_applied
    assert not result.gi.few_areas
    p_ = result.provenance
    assert p_.parameters["fdr"] is True
    assert "Gi*" in p_.method or "Getis" in p_.method
    assert p_.population_year_used == 2021
    assert any("snaps" in note for note in p_.notes)


def test_top_lsoas_by_count_and_concentration(engine):
    result = hotspots(engine, Query.from_strings(NWL, first="2025-01", last="2025-12"), top=5)
    counts = dict(zip(result.lsoas["lsoa21_code"].to_pylist(), result.lsoas["count"].to_pylist(),
                      strict=True))  # fmt: skip
    expected = sorted(counts, key=lambda c: (-counts[c], c))[:5]
    assert result.top_by_count["lsoa21_code"].to_pylist() == expected
    assert result.top_by_count["rank"].to_pylist() == [1, 2, 3, 4, 5]
    total = sum(counts.values())
    assert result.top_by_count["share"][0].as_py() == pytest.approx(counts[expected[0]] / total)
    assert result.top_by_rate.num_rows <= 5
    assert all(c >= 10 for c in result.top_by_rate["count"].to_pylist())
    x = np.sort(np.array(list(counts.values()), dtype=float))
    n = len(x)
    gini = np.sum((2 * np.arange(1, n + 1) - n - 1) * x) / (n * x.sum())
    assert result.concentration.gini == pytest.approx(gini, rel=1e-12)
    assert set(result.map_points["label"].to_pylist()) == {"map point (snapped)"}
    assert result.map_points["count"].to_pylist() == sorted(
        result.map_points["count"].to_pylist(), reverse=True
    )


def test_map_point_counts_match_the_raw_csvs(engine):
    rows = [r for r in nwl_rows("leicestershire-2025.zip", "derbyshire-2025.zip")
            if r.crime_type != ASB and r.longitude]  # fmt: skip
    points = by(
        [type("P", (), {"key": (round(float(r.longitude), 6), round(float(r.latitude), 6))})()
         for r in rows], "key",
    )  # fmt: skip
    result = hotspots(engine, Query.from_strings(NWL, first="2025-01", last="2025-12"), top=3)
    top = result.map_points
    for lon, lat, n in zip(top["longitude"].to_pylist(), top["latitude"].to_pylist(),
                           top["count"].to_pylist(), strict=True):  # fmt: skip
        assert points[(round(lon, 6), round(lat, 6))] == n
    assert top["count"][0].as_py() == max(points.values())


def test_ward_where_one_lsoa_borders_all_the_others_does_not_crash(engine):
    # Issue #11.5: E05010091 crashed with KeyError (z = 0/0 for an LSOA bordering all others).
    result = hotspots(engine, Query.from_strings("E05010091"))
    gi = result.gi
    assert not gi.testable.all()
    reasons = result.lsoas["not_testable_reason"].to_pylist()
    assert any(r and "borders every other" in r for r in reasons)
    testable = np.asarray(result.lsoas["testable"].to_pylist())
    p = np.asarray(result.lsoas["p"].to_pylist(), dtype=float)
    if testable.any() and gi.reason is None:
        adjusted = multipletests(p[testable], method="fdr_bh")[1]
        got = np.asarray(result.lsoas["p_adjusted"].to_pylist(), dtype=float)[testable]
        np.testing.assert_allclose(got, adjusted, rtol=1e-12)


def test_two_lsoa_wards_give_hotspots_and_profiles(engine):
    from crimestats.areas import lsoa_lookup
    from crimestats.profile import csp_profile

    lookup = lsoa_lookup(engine).to_pylist()
    wards: dict[str, set] = {}
    for r in lookup:
        wards.setdefault(r["ward_code"], set()).add(r["lsoa21_code"])
    two = sorted(w for w, c in wards.items() if len(c) == 2)
    assert len(two) == 49  # issue #11.5: Leicestershire's 49 two-LSOA wards
    for ward in two[:3]:
        result = hotspots(engine, Query.from_strings(ward))
        assert set(result.lsoas["label"].to_pylist()) == {"not testable"}
    profile = csp_profile(engine, Query.from_strings(two[0]))
    assert profile.hotspots.gi.n_testable == 0


def test_every_significant_lsoa_is_listed(engine):
    result = hotspots(engine, Query.from_strings(NWL, first="2025-01", last="2025-12"))
    bins = result.lsoas["bin"].to_pylist()
    listed = result.significant["lsoa21_code"].to_pylist()
    flagged = {c for c, b in zip(result.lsoas["lsoa21_code"].to_pylist(), bins, strict=True) if b}
    assert set(listed) == flagged
    assert len(listed) == len(flagged)
    bins_listed = result.significant["bin"].to_pylist()
    hot = [b for b in bins_listed if b > 0]
    cold = [b for b in bins_listed if b < 0]
    assert bins_listed == hot + cold  # hot spots first, then cold spots
    assert hot == sorted(hot, reverse=True)
    assert cold == sorted(cold)
