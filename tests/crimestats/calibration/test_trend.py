"""Calibration of the trend verdict (methods reference §10.6; issue #11 finding 9)."""

from __future__ import annotations

import numpy as np

from crimestats.calibration.grid import FALSE_ALARM_SLACK, GridPoint, grid
from crimestats.calibration.trend import NOMINAL, calibrate
from crimestats.methods.trends import mann_kendall

# The quick grid (seasonal, no trend), the same without season, and the sparse corner.
POINTS = [
    *grid(quick=True),
    GridPoint(100.0, 4.0),
    GridPoint(0.3, 1.0),
]


def test_false_trend_verdicts_meet_the_target_on_the_quick_grid():
    rows = calibrate(POINTS, 150, np.random.default_rng(20261205))
    for row in rows:
        assert row.nominal == NOMINAL
        assert row.meets_targets, (row.point.label, row.false_alarm_rate, row.note)
    by_label = {row.point.label: row for row in rows}
    # 0.3 crimes a month over 36 months is often "too few crimes to judge a trend".
    assert by_label["λ=0.3, φ=1"].reported < 0.9


def test_24_month_series_are_calibrated_too_where_the_plain_test_was_not():
    seasonal = GridPoint(500.0, 1.0, 0.2)
    rows = calibrate([seasonal], 600, np.random.default_rng(3), months=24)
    assert rows[0].meets_targets, rows[0].false_alarm_rate
    rng = np.random.default_rng(3)
    draws = rng.poisson(500 * (1 + 0.2 * np.sin(2 * np.pi * np.arange(24) / 12)), (150, 24))
    plain = np.mean([mann_kendall(x.astype(float)).trend != "no trend" for x in draws])
    assert plain > NOMINAL + FALSE_ALARM_SLACK


def test_power_is_reported_where_there_is_a_trend():
    rows = calibrate([GridPoint(100.0, 1.0, 0.2, 0.01)], 60, np.random.default_rng(1))
    assert rows[0].false_alarm_rate is None
    assert rows[0].note.startswith("power ")
    assert float(rows[0].note.split()[1].rstrip(";")) > 0.9
