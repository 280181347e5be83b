"""Getis-Ord Gi*, Benjamini–Hochberg and confidence bins (§5.2–§5.4, §9.6, §9.8)."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from esda import G_Local
from hypothesis import given, settings
from hypothesis import strategies as st
from libpysal.weights import W, lat2W
from scipy import sparse, spatial, stats
from statsmodels.stats.multitest import multipletests

from crimestats.methods import (
    BIN_LABELS,
    adjacency_from_neighbours,
    benjamini_hochberg,
    bh_adjust,
    confidence_bins,
    getis_ord_gi_star,
)

Y_3X3 = [2, 3, 1, 4, 12, 9, 1, 10, 14]
# §9.6 table: (W_i, G*_i, z, two-sided p) per cell, esda.G_Local(transform="B", star=True).
GI_TABLE = [
    (3, 0.1607143, -1.355081, 0.1753918),
    (4, 0.3214286, -0.9161339, 0.3595967),
    (3, 0.2321429, -0.7943578, 0.4269871),
    (4, 0.3392857, -0.7831467, 0.4335410),
    (5, 0.6785714, 0.9161339, 0.3595967),
    (4, 0.6428571, 1.477635, 0.1395054),
    (3, 0.2678571, -0.5139962, 0.6072546),
    (4, 0.6607143, 1.610622, 0.1072620),
    (3, 0.5892857, 2.009258, 0.04450977),
]


def _esda_z(y, w):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return G_Local(np.asarray(y, float), w, transform="B", star=True, permutations=0).Zs


def test_gi_star_reference_table_3x3_rook():
    w = lat2W(3, 3, rook=True)
    r = getis_ord_gi_star(Y_3X3, w.sparse)
    for i, (card, g, z, p) in enumerate(GI_TABLE):
        assert r.cardinality[i] == card
        assert r.g[i] == pytest.approx(g, rel=1e-6)
        assert r.z[i] == pytest.approx(z, rel=1e-6)
        assert r.p[i] == pytest.approx(p, rel=1e-6)
    assert r.expected == pytest.approx(r.cardinality / 9)
    assert r.variance[0] == pytest.approx(0.01622732, rel=1e-6)
    assert r.variance[1] == pytest.approx(0.01803036, rel=1e-6)
    assert r.variance[4] == pytest.approx(0.01803036, rel=1e-6)


def test_bins_with_bh_and_uncorrected():
    # §9.6: BH adjusted p 0.3946314 (cells 0, 5, 7, 8), 0.4877336 (1-4), 0.6072546 (6): all bins 0;
    # uncorrected: cell 8 → +2 ("hot spot, 95 %"), all others 0.
    w = lat2W(3, 3, rook=True)
    r = getis_ord_gi_star(Y_3X3, w.sparse)
    expected = [0.3946314, 0.4877336, 0.4877336, 0.4877336, 0.4877336, 0.3946314, 0.6072546,
                0.3946314, 0.3946314]  # fmt: skip
    np.testing.assert_allclose(r.p_adjusted, expected, rtol=1e-6)
    assert r.bins.tolist() == [0] * 9
    assert r.fdr_applied
    raw = getis_ord_gi_star(Y_3X3, w.sparse, fdr=False)
    assert raw.bins.tolist() == [0] * 8 + [2]
    assert raw.labels[8] == "hot spot, 95 %"
    assert "without correction" in raw.legend
    assert "Benjamini" in r.legend
    assert r.few_areas


def test_island_is_reported_and_matches_esda():
    # §9.6 island note: W({0:[1],1:[0,2],2:[1],3:[]}), y = [5,7,6,20] → z₃ = 1.720387.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = W({0: [1], 1: [0, 2], 2: [1], 3: []})
    r = getis_ord_gi_star([5, 7, 6, 20], w.sparse)
    assert r.z[3] == pytest.approx(1.720387, rel=1e-6)
    assert r.islands == (3,)
    np.testing.assert_allclose(r.z, _esda_z([5, 7, 6, 20], w), rtol=0, atol=1e-9)


@pytest.mark.parametrize(
    ("rows", "cols", "rook"),
    [(3, 3, True), (5, 7, False), (12, 10, True), (20, 20, False), (39, 40, False)],
)
def test_gi_star_equals_esda_on_lattices(rows, cols, rook):
    w = lat2W(rows, cols, rook=rook)
    rng = np.random.default_rng(rows * cols)
    y = rng.poisson(rng.uniform(0.5, 30), w.n).astype(float)
    r = getis_ord_gi_star(y, w.sparse)
    np.testing.assert_allclose(r.z, _esda_z(y, w), rtol=0, atol=1e-9)


def _planar_graph(n, seed):
    """Delaunay triangulation of random points: a planar, contiguity-like graph."""
    points = np.random.default_rng(seed).uniform(size=(n, 2))
    tri = spatial.Delaunay(points)
    indptr, indices = tri.vertex_neighbor_vertices
    return [indices[indptr[i] : indptr[i + 1]].tolist() for i in range(n)]


def test_gi_star_equals_esda_on_random_planar_graph_built_from_same_adjacency():
    neighbours = _planar_graph(400, seed=4)
    adjacency = adjacency_from_neighbours(neighbours)
    w = W({i: list(map(int, adjacency.indices[adjacency.indptr[i] : adjacency.indptr[i + 1]]))
           for i in range(400)})  # fmt: skip
    y = np.random.default_rng(1).negative_binomial(2, 0.1, 400).astype(float)
    z_ours = getis_ord_gi_star(y, adjacency).z
    np.testing.assert_allclose(z_ours, _esda_z(y, w), rtol=0, atol=1e-9)
    # Neighbour lists are accepted directly as well.
    np.testing.assert_allclose(getis_ord_gi_star(y, neighbours).z, z_ours, rtol=0, atol=0)


def test_ord_getis_closed_form_agrees():
    # §5.2: z = (Σ w y − ȳ W) / (s √[(n W − W²)/(n − 1)]) for binary weights.
    neighbours = _planar_graph(150, seed=8)
    y = np.random.default_rng(2).poisson(12, 150).astype(float)
    full = adjacency_from_neighbours(neighbours).toarray() + np.eye(150)
    card = full.sum(1)
    s = np.sqrt((y**2).mean() - y.mean() ** 2)
    z = (full @ y - y.mean() * card) / (s * np.sqrt((150 * card - card**2) / 149))
    np.testing.assert_allclose(getis_ord_gi_star(y, neighbours).z, z, rtol=0, atol=1e-12)


@pytest.mark.parametrize("value", [0.0, 4.0])
def test_no_variation_gives_zero_z_and_p_one(value):
    w = lat2W(6, 6)
    r = getis_ord_gi_star(np.full(36, value), w.sparse)
    assert r.no_variation
    assert r.z.tolist() == [0.0] * 36
    assert r.p.tolist() == [1.0] * 36
    assert r.bins.tolist() == [0] * 36
    assert not r.few_areas
    json.dumps(r.to_dict())


def test_adjacency_validation():
    with pytest.raises(ValueError, match="self-loops"):
        getis_ord_gi_star([1, 2], sparse.csr_array(np.eye(2)))
    with pytest.raises(ValueError, match="binary"):
        getis_ord_gi_star([1, 2], sparse.csr_array(np.array([[0, 0.5], [0.5, 0]])))
    with pytest.raises(ValueError, match="expected"):
        getis_ord_gi_star([1, 2, 3], sparse.csr_array(np.zeros((2, 2))))


# §9.8 Benjamini–Hochberg.
P_BH = [0.001, 0.008, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205, 0.212, 0.216]
P_BH_ADJ = [0.01, 0.04, 0.084, 0.084, 0.084, 0.1, 0.1057143, 0.216, 0.216, 0.216]


def test_bh_reference_values():
    r = benjamini_hochberg(P_BH)
    np.testing.assert_allclose(r.p_adjusted, P_BH_ADJ, rtol=1e-6)
    assert r.rejected.tolist() == [True, True] + [False] * 8


def test_bh_matches_statsmodels_and_scipy_on_random_p():
    rng = np.random.default_rng(12)
    for size in (1, 2, 9, 100, 1500):
        p = rng.beta(0.4, 2, size)
        p[rng.integers(0, size, size // 5)] = p[0]  # include ties
        ours = bh_adjust(p)
        np.testing.assert_allclose(ours, multipletests(p, method="fdr_bh")[1], rtol=1e-12)
        np.testing.assert_allclose(ours, stats.false_discovery_control(p, method="bh"), rtol=1e-12)


@given(st.lists(st.floats(0, 1), min_size=1, max_size=60))
@settings(max_examples=80, deadline=None)
def test_bh_adjusted_is_monotone_and_not_below_raw(p):
    raw = np.asarray(p)
    adjusted = bh_adjust(raw)
    assert np.all(adjusted >= raw - 1e-15)
    assert np.all(adjusted <= 1)
    order = np.argsort(raw, kind="mergesort")
    assert np.all(np.diff(adjusted[order]) >= -1e-15)


def test_confidence_bins_reproduce_z_cut_offs_when_uncorrected():
    z = np.array([1.64, 1.65, 1.95, 1.97, 2.57, 2.58, -2.0, -3.0, 0.0])
    bins = confidence_bins(z, 2 * stats.norm.sf(np.abs(z)))
    assert bins.tolist() == [0, 1, 1, 2, 2, 3, -2, -3, 0]
    assert BIN_LABELS[-3] == "cold spot, 99 %"
    assert BIN_LABELS[0] == "not significant"


# --- Issue #11.5: units with zero variance are "not testable"; BH over the testable ones ---


def test_unit_bordering_every_other_is_not_testable_and_bh_skips_it():
    # A star: unit 0 borders all five others (W_0 = n), so Var[G*_0] = 0 and z_0 = 0/0. This
    # raised KeyError (a NaN bin) before; now unit 0 is "not testable" and BH runs over 1..5.
    neighbours = [[1, 2, 3, 4, 5], [0, 2], [0, 1, 3], [0, 2, 4], [0, 3, 5], [0, 4]]
    y = [9, 1, 2, 8, 7, 3]
    r = getis_ord_gi_star(y, neighbours)
    assert r.testable.tolist() == [False, True, True, True, True, True]
    assert r.labels[0] == "not testable"
    assert "borders every other" in r.not_testable[0]
    assert np.isnan(r.z[0])
    assert np.isnan(r.p[0])
    assert r.bins[0] == 0
    assert r.not_testable[1:] == (None,) * 5
    np.testing.assert_allclose(r.p_adjusted[1:], bh_adjust(r.p[1:]), rtol=0, atol=1e-15)
    assert r.n_testable == 5
    json.dumps(r.to_dict())


def test_two_unit_map_is_not_testable_without_crashing():
    r = getis_ord_gi_star([3, 5], [[1], [0]])
    assert r.labels == ("not testable", "not testable")
    assert r.bins.tolist() == [0, 0]
    assert r.n_testable == 0


def test_rank_scores_equal_esda_on_the_ranks():
    w = lat2W(8, 8, rook=False)
    y = np.random.default_rng(5).negative_binomial(0.5, 0.05, 64).astype(float)
    r = getis_ord_gi_star(y, w.sparse, scores="ranks")
    np.testing.assert_allclose(r.z, _esda_z(stats.rankdata(y), w), rtol=0, atol=1e-9)
    assert r.scores == "ranks"
    assert "rank" in r.method


def test_sparse_map_is_refused_with_a_reason():
    w = lat2W(8, 8, rook=False)
    y = np.zeros(64)
    y[[3, 20, 41]] = [1, 4, 1]  # 3 of 64 areas have any crime
    r = getis_ord_gi_star(y, w.sparse, scores="ranks", min_nonzero_share=0.4)
    assert r.reason is not None
    assert "too few crimes" in r.reason
    assert r.n_testable == 0
    assert set(r.labels) == {"not tested"}
    assert getis_ord_gi_star(y, w.sparse).n_testable == 64  # the plain esda statistic still runs
