"""The change verdict is calibrated (methods reference §10.6): quick grid, fixed seed."""

from __future__ import annotations

import numpy as np
import pytest

from crimestats.calibration.change import DESIGNS, calibrate
from crimestats.calibration.grid import GridPoint, grid

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

N_SIMS = 600


@pytest.fixture(scope="module")
def rows():
    points = grid(quick=True) + [GridPoint(10.0, 4.0, 0.2, 0.01), GridPoint(100.0, 2.0, 0.0, -0.01)]
    return calibrate(points, N_SIMS, np.random.default_rng(20261205))


def test_every_row_meets_the_targets(rows):
    failed = [
        (r.verdict, r.point.label, r.false_alarm_rate, r.coverage) for r in rows
        if not r.meets_targets
    ]  # fmt: skip
    assert not failed
    assert len(rows) == (len(grid(quick=True)) + 2) * len(DESIGNS) * 2


def test_verdicts_are_reported_where_there_are_enough_crimes(rows):
    for r in rows:
        if r.point.lam >= 10:
            assert r.reported == 1.0
        if r.point.lam == 0.3:
            assert r.reported < 0.05  # too few crimes a month: refused, and the note says so
    refused = [r for r in rows if 0 < r.reported < 1]
    assert refused
    assert all("too few crimes" in r.note for r in refused)


def test_trend_points_measure_coverage_of_a_real_change(rows):
    trending = [r for r in rows if r.point.trend]
    assert trending
    assert all(r.false_alarm_rate is None for r in trending)
    assert all(r.coverage is not None and r.coverage >= 0.94 for r in trending)


def test_the_old_poisson_only_test_fails_at_phi_4():
    old = calibrate([GridPoint(100.0, 4.0, 0.2)], 400, np.random.default_rng(1), poisson=True)
    verdict_rows = [r for r in old if r.false_alarm_rate is not None]
    assert verdict_rows
    assert all(r.false_alarm_rate > 0.15 for r in verdict_rows)
    assert not any(r.meets_targets for r in old)
