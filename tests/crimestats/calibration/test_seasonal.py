"""Calibration of the "seasonal pattern" claim (methods reference §10.6; issue #11 finding 7)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from crimestats.calibration.grid import FALSE_ALARM_SLACK, GridPoint, draw_counts, grid
from crimestats.calibration.grid import monthly_means as means_of
from crimestats.calibration.seasonal import MONTHS, calibrate, claims
from crimestats.methods.trends import SEASONALITY_ALPHA, seasonal_index

# No seasonality: the quick grid's points with the season removed, with and without trend.
NULL_POINTS = [
    *(replace(p, seasonal=0.0) for p in grid(quick=True)),
    GridPoint(30.0, 12.0, 0.0, 0.01),
    GridPoint(500.0, 1.0, 0.0, -0.01),
]


def test_false_seasonal_claims_meet_the_target():
    rows = calibrate(NULL_POINTS, 1500, np.random.default_rng(20261205))
    for row in rows:
        assert row.nominal == SEASONALITY_ALPHA
        assert row.meets_targets, (row.point.label, row.false_alarm_rate, row.note)


def test_a_real_season_is_found_at_high_counts():
    rows = calibrate([GridPoint(100.0, 1.0, 0.2)], 100, np.random.default_rng(2))
    assert rows[0].note.startswith("power ")
    assert float(rows[0].note.split()[1].rstrip(";")) > 0.9


def test_a_chi_squared_test_of_equal_months_would_fail():
    # The obvious alternative ignores overdispersion: at φ = 4 it "finds" a season in most
    # series without one.
    from scipy import stats

    draws = draw_counts(means_of(GridPoint(30.0, 4.0), MONTHS), 4.0, 300, np.random.default_rng(5))
    totals = draws.reshape(300, 3, 12).sum(axis=1)
    p = stats.chisquare(totals, axis=1).pvalue
    assert np.mean(p < 0.05) > SEASONALITY_ALPHA + FALSE_ALARM_SLACK


def test_the_vectorised_claims_equal_the_platform_seasonal_index():
    draws = draw_counts(
        means_of(GridPoint(3.0, 4.0, 0.2), MONTHS), 4.0, 12, np.random.default_rng(9)
    )
    tested, seasonal = claims(draws)
    months = [f"{2021 + i // 12}-{i % 12 + 1:02d}" for i in range(MONTHS)]
    for row, was_tested, shown in zip(draws, tested, seasonal, strict=True):
        result = seasonal_index(months, row)
        assert (result.test is not None and result.test.tested) == was_tested
        assert result.computed == shown
