"""Gi* under spatial randomness on the quick §10.6 grid (issue #11.5 calibration)."""

from __future__ import annotations

import numpy as np

from crimestats.calibration.grid import GridPoint, grid
from crimestats.calibration.hotspots import calibrate, graph


def test_graphs_are_real_shaped():
    nwl = graph("nwl")
    assert nwl.shape == (60, 60)
    assert (nwl != nwl.T).nnz == 0
    assert nwl.diagonal().sum() == 0
    assert graph("lattice").sum() == 2 * (2 * 8 * 7 + 2 * 7 * 7)  # queen 8 × 8


def test_rank_gi_star_meets_the_false_alarm_target_on_the_quick_grid():
    rows = calibrate(grid(quick=True), 600, np.random.default_rng(20261205))
    assert len(rows) == 16
    for row in rows:
        assert row.meets_targets, (row.point.label, row.note, row.false_alarm_rate)
    # Sparse maps are refused (λ = 0.3 per LSOA), dense ones always tested.
    by = {(r.point.lam, r.point.phi, r.note.split(";")[0]): r for r in rows}
    assert by[(0.3, 4.0, "nwl graph")].reported < 0.05
    assert by[(10.0, 4.0, "nwl graph")].reported == 1.0


def test_esda_gi_star_on_raw_counts_would_cry_wolf():
    # The old verdict (Gi* of raw counts, every map tested) at overdispersed and sparse points.
    rng = np.random.default_rng(11)
    points = [GridPoint(0.3, 1.0), GridPoint(1.0, 4.0)]
    rows = calibrate(points, 600, rng, graphs=("nwl",), scores="values", min_nonzero_share=0.0)
    assert all(r.false_alarm_rate > 0.06 for r in rows), [r.false_alarm_rate for r in rows]
