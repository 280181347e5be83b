"""Calibration of control chart alerts (methods reference §10.3, §10.6; issue #11 finding 2)."""

from __future__ import annotations

import numpy as np

from crimestats.calibration.control import NOMINAL, calibrate
from crimestats.calibration.grid import FALSE_ALARM_SLACK, GridPoint, grid

# The quick grid plus the sparse, bursty corners that break a seasonal φ estimate.
POINTS = [*grid(quick=True, trends=False), GridPoint(1.0, 12.0, 0.2), GridPoint(0.3, 12.0)]


def test_false_alerts_per_month_meet_the_target_on_the_quick_grid():
    rows = calibrate(POINTS, 150, np.random.default_rng(20261205))
    assert len(rows) == len(POINTS)
    for row in rows:
        assert row.nominal == NOMINAL
        assert row.meets_targets, (row.point.label, row.false_alarm_rate, row.note)
    # The refusal is real: at 0.3 crimes a month most months are "too few to judge", and at
    # 100 a month every month with a baseline is judged.
    by_label = {row.point.label: row for row in rows}
    assert by_label["λ=0.3, φ=1, season ±20%"].reported < 0.2
    assert by_label["λ=100, φ=4, season ±20%"].reported == 1.0


def test_the_old_poisson_limits_fail_the_target():
    # Known-mean Poisson limits (the §3.6 default before issue #11) on the same truths.
    old = {"dispersion": 1.0, "baseline_uncertainty": False, "min_expected": 0}
    rows = calibrate(
        [GridPoint(10.0, 4.0, 0.2), GridPoint(1.0, 1.0)], 150, np.random.default_rng(7), **old
    )
    for row in rows:
        assert row.false_alarm_rate > NOMINAL + FALSE_ALARM_SLACK, row.point.label
