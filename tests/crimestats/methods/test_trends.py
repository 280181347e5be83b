"""Rolling sums, seasonal index and Mann–Kendall tests (§3.3–§3.5, §9.5, §9.10)."""

from __future__ import annotations

import json

import numpy as np
import pymannkendall as mk
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from crimestats.methods import (
    AUTOCORRELATION_CAVEAT,
    mann_kendall,
    rolling_sum,
    seasonal_index,
    seasonal_mann_kendall,
    trend_test,
)

# §9.5: 24 monthly counts with five tie groups of size 2.
SERIES = [42, 38, 45, 40, 39, 44, 47, 41, 43, 46, 48, 45,
          50, 44, 49, 52, 47, 51, 53, 49, 55, 50, 54, 56]  # fmt: skip


def test_mann_kendall_reference_values():
    # §9.5 (pymannkendall.original_test): S = 193, Var(S) = 1620.333333, z = 4.7697876583448044,
    # p = 1.844202e-06, Tau = 0.6992754, slope = 0.6201923076923077, intercept = 39.86779.
    r = mann_kendall(SERIES)
    assert r.s == 193
    assert r.var_s == pytest.approx((24 * 23 * 53 - 5 * 2 * 1 * 9) / 18, rel=1e-12)
    assert r.var_s == pytest.approx(1620.333333, rel=1e-6)
    assert r.z == pytest.approx(4.7697876583448044, rel=1e-6)
    assert r.p == pytest.approx(1.844202e-06, rel=1e-6)
    assert r.tau == pytest.approx(0.6992754, rel=1e-6)
    assert r.trend == "increasing" and r.h
    assert r.slope == pytest.approx(0.6201923076923077, rel=1e-6)
    assert r.intercept == pytest.approx(39.86779, rel=1e-6)


def test_sen_slope_matches_scipy_theilslopes():
    # §9.5 cross-check: scipy.stats.theilslopes slope 0.6201923, intercept 39.86779.
    ref = stats.theilslopes(SERIES, np.arange(24))
    r = mann_kendall(SERIES)
    assert r.slope == pytest.approx(ref.slope, rel=1e-12)
    assert r.intercept == pytest.approx(ref.intercept, rel=1e-9)


def _random_series(rng, n, missing):
    x = rng.poisson(rng.uniform(3, 60), n).astype(float) + np.arange(n) * rng.normal(0, 0.3)
    x = np.round(x)
    if missing:
        x[rng.choice(n, missing, replace=False)] = np.nan
    return x


@pytest.mark.parametrize("seed", range(8))
def test_mann_kendall_matches_pymannkendall_with_missing_months(seed):
    rng = np.random.default_rng(seed)
    x = _random_series(rng, int(rng.integers(20, 90)), int(rng.integers(0, 5)))
    r, ref = mann_kendall(x), mk.original_test(x)
    assert r.s == ref.s
    assert r.var_s == pytest.approx(ref.var_s, rel=1e-12)
    assert r.z == pytest.approx(ref.z, rel=1e-9, abs=1e-15)
    assert r.p == pytest.approx(ref.p, rel=1e-6, abs=1e-14)
    assert r.tau == pytest.approx(ref.Tau, rel=1e-12, abs=1e-15)
    assert r.slope == pytest.approx(ref.slope, rel=1e-12, abs=1e-15)
    assert r.intercept == pytest.approx(ref.intercept, rel=1e-12)
    assert r.trend == ref.trend


def test_missing_months_keep_their_time_position_for_the_slope():
    x = np.arange(24, dtype=float) * 2.0
    x[5] = np.nan
    r = mann_kendall(x)
    assert r.n == 23 and r.slope == pytest.approx(2.0)  # the gap does not compress time
    compressed = mann_kendall(np.delete(x, 5))
    assert compressed.s == r.s


@pytest.mark.parametrize("seed", range(6))
def test_seasonal_kendall_matches_pymannkendall(seed):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(36, 100))
    x = _random_series(rng, n, int(rng.integers(0, 4)))
    x += 10 * np.sin(np.arange(n) * 2 * np.pi / 12).round()
    r, ref = seasonal_mann_kendall(x), mk.seasonal_test(x, period=12)
    slope_ref = mk.seasonal_sens_slope(x, 12)
    assert r.s == ref.s
    assert r.var_s == pytest.approx(ref.var_s, rel=1e-12)
    assert r.z == pytest.approx(ref.z, rel=1e-9, abs=1e-15)
    assert r.p == pytest.approx(ref.p, rel=1e-6, abs=1e-14)
    assert r.tau == pytest.approx(ref.Tau, rel=1e-12, abs=1e-15)
    assert r.slope == pytest.approx(slope_ref.slope, rel=1e-12, abs=1e-15)
    assert r.intercept == pytest.approx(slope_ref.intercept, rel=1e-12)
    assert r.slope == pytest.approx(ref.slope, rel=1e-12, abs=1e-15)
    assert r.trend == ref.trend
    assert r.slope_unit == "crimes per month per year"


def test_default_test_by_series_length():
    rng = np.random.default_rng(3)
    assert trend_test(rng.poisson(20, 23)).reason == "too short for a trend test"
    assert not trend_test(rng.poisson(20, 23)).run
    short = trend_test(rng.poisson(20, 24))
    assert short.test == "mann_kendall" and short.result.slope_unit == "crimes per month"
    assert trend_test(rng.poisson(20, 35)).test == "mann_kendall"
    long = trend_test(rng.poisson(20, 36))
    assert long.test == "seasonal_kendall" and long.result.seasonal
    assert long.caveat == AUTOCORRELATION_CAVEAT
    json.dumps(long.to_dict())


def test_missing_months_count_against_the_length_rule():
    x = np.full(30, 10.0)
    x[:7] = np.nan
    assert trend_test(x).reason == "too short for a trend test"


def test_rolling_sum_needs_twelve_present_months():
    x = np.arange(1.0, 27.0)
    x[15] = np.nan
    sums = rolling_sum(x).sums
    assert np.isnan(sums[:11]).all()
    assert sums[11] == sum(range(1, 13))
    assert np.isnan(sums[15:27]).all()  # every window containing month 15 is missing
    assert np.isfinite(sums[11:15]).all()


# §9.10 seasonal index from three years.
Y1 = [30, 28, 35, 38, 42, 45, 47, 44, 40, 37, 33, 31]
Y2 = [32, 27, 36, 40, 41, 48, 50, 46, 39, 38, 34, 30]
Y3 = [29, 30, 37, 39, 44, 47, 49, 45, 41, 36, 35, 33]
SI_REF = [0.793605, 0.741279, 0.941860, 1.020349, 1.107558, 1.220930, 1.273256, 1.177326,
          1.046512, 0.968023, 0.889535, 0.819767]  # fmt: skip
MONTHS_3Y = [f"{y}-{m:02d}" for y in (2021, 2022, 2023) for m in range(1, 13)]


def test_seasonal_index_reference_values():
    r = seasonal_index(MONTHS_3Y, Y1 + Y2 + Y3)
    assert r.computed
    np.testing.assert_allclose(r.index, SI_REF, rtol=1e-6)
    assert np.mean(r.index) == pytest.approx(1.0, rel=1e-12)
    adjusted = r.adjust(MONTHS_3Y[:2], Y1[:2])
    assert adjusted[0] == pytest.approx(30 / SI_REF[0], rel=1e-6)


def test_seasonal_index_needs_three_complete_years():
    counts = list(Y1 + Y2 + Y3)
    counts[14] = None  # a missing month in 2022 makes that year incomplete
    r = seasonal_index(MONTHS_3Y, counts)
    assert not r.computed and r.index is None
    assert r.reason == "fewer than 3 complete calendar years without missing months (found 2)"
    assert np.isnan(r.adjust(MONTHS_3Y, Y1 + Y2 + Y3)).all()


def test_seasonal_index_ignores_partial_years_and_uses_recent_complete_ones():
    months = ["2020-11", "2020-12", *MONTHS_3Y, "2024-01"]
    r = seasonal_index(months, [99, 99, *Y1, *Y2, *Y3, 5])
    np.testing.assert_allclose(r.index, SI_REF, rtol=1e-6)
    assert r.years_used == (2023, 2022, 2021)


@given(st.lists(st.integers(0, 500), min_size=36, max_size=60).filter(lambda v: sum(v[:36]) > 0))
@settings(max_examples=40, deadline=None)
def test_seasonal_index_averages_one(counts):
    months = [f"{2019 + i // 12}-{i % 12 + 1:02d}" for i in range(len(counts))]
    r = seasonal_index(months, counts)
    assert r.computed
    assert np.mean(r.index) == pytest.approx(1.0, rel=1e-9)
