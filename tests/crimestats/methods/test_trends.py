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
    deseasonalised,
    hamed_rao,
    mann_kendall,
    rolling_sum,
    seasonal_index,
    seasonal_mann_kendall,
    seasonality_p_values,
    seasonality_test,
    trend_free_prewhitening,
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
    assert r.trend == "increasing"
    assert r.h
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
    assert r.n == 23
    assert r.slope == pytest.approx(2.0)
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
    # From 24 months the seasonal Kendall test (issue #11: the plain test reads a season as a
    # trend on 24-35 months; see test_plain_test_on_two_seasonal_years_cries_trend).
    short = trend_test(rng.poisson(20, 24))
    assert short.test == "seasonal_kendall"
    assert short.result.slope_unit == "crimes per month per year"
    assert trend_test(rng.poisson(20, 35)).test == "seasonal_kendall"
    long = trend_test(rng.poisson(20, 36))
    assert long.test == "seasonal_kendall"
    assert long.result.seasonal
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
    r = seasonal_index(MONTHS_3Y, Y1 + Y2 + Y3, test=False)
    assert r.computed
    np.testing.assert_allclose(r.index, SI_REF, rtol=1e-6)
    assert np.mean(r.index) == pytest.approx(1.0, rel=1e-12)
    adjusted = r.adjust(MONTHS_3Y[:2], Y1[:2])
    assert adjusted[0] == pytest.approx(30 / SI_REF[0], rel=1e-6)


def test_seasonal_index_needs_three_complete_years():
    counts = list(Y1 + Y2 + Y3)
    counts[14] = None  # a missing month in 2022 makes that year incomplete
    r = seasonal_index(MONTHS_3Y, counts)
    assert not r.computed
    assert r.index is None
    assert r.reason == "fewer than 3 complete calendar years without missing months (found 2)"
    assert np.isnan(r.adjust(MONTHS_3Y, Y1 + Y2 + Y3)).all()


def test_seasonal_index_ignores_partial_years_and_uses_recent_complete_ones():
    months = ["2020-11", "2020-12", *MONTHS_3Y, "2024-01"]
    r = seasonal_index(months, [99, 99, *Y1, *Y2, *Y3, 5])
    assert r.test.seasonal
    assert r.test.p < 0.01
    np.testing.assert_allclose(r.index, SI_REF, rtol=1e-6)
    assert r.years_used == (2023, 2022, 2021)


@given(st.lists(st.integers(0, 500), min_size=36, max_size=60).filter(lambda v: sum(v[:36]) > 0))
@settings(max_examples=40, deadline=None)
def test_seasonal_index_averages_one(counts):
    months = [f"{2019 + i // 12}-{i % 12 + 1:02d}" for i in range(len(counts))]
    r = seasonal_index(months, counts, test=False)
    assert r.computed
    assert np.mean(r.index) == pytest.approx(1.0, rel=1e-9)


# -- issue #11 finding 9: trend sensitivity checks, slope interval, minimum data ---------------


def test_sen_slope_interval_reference_and_scipy():
    # §9.5: scipy.stats.theilslopes 95 % slope interval 0.5 to 0.8181818.
    r = mann_kendall(SERIES)
    assert (r.slope_lower, r.slope_upper) == pytest.approx((0.5, 0.8181818181818182), rel=1e-9)
    for seed in range(6):
        rng = np.random.default_rng(seed)
        x = np.round(rng.poisson(30, 40) + np.arange(40) * rng.normal(0, 0.5))
        ref = stats.theilslopes(x, np.arange(40), 0.95)
        got = mann_kendall(x)
        assert (got.slope_lower, got.slope_upper) == pytest.approx(
            (ref.low_slope, ref.high_slope), rel=1e-12
        )


def test_sen_slope_interval_by_hand():
    # x = 1, 3, 2, 5, 4: 10 pairwise slopes, no ties in x: Var(S) = 5·4·15/18 = 16.667.
    x = [1, 3, 2, 5, 4]
    slopes = sorted((x[j] - x[i]) / (j - i) for i in range(5) for j in range(i + 1, 5))
    c = stats.norm.ppf(0.975) * np.sqrt(5 * 4 * 15 / 18)  # 8.0015
    lower, upper = round((10 - c) / 2), round((10 + c) / 2) + 1  # ranks 1 and 10 (1-based)
    assert (lower, upper) == (1, 10)
    r = mann_kendall(x)
    assert (r.slope_lower, r.slope_upper) == (slopes[lower - 1], slopes[upper - 1]) == (-1.0, 3.0)
    # Seasonal slope interval: the same rule on the within-season slopes and summed Var(S).
    seasonal = seasonal_mann_kendall(np.tile(np.arange(12.0), 3) + np.repeat([0, 1, 3], 12))
    assert seasonal.slope_lower <= seasonal.slope <= seasonal.slope_upper


@pytest.mark.parametrize("seed", range(6))
def test_sensitivity_checks_match_pymannkendall(seed):
    rng = np.random.default_rng(200 + seed)
    n = int(rng.integers(24, 80))
    e = rng.normal(size=n)
    y = np.zeros(n)
    for t in range(n):
        y[t] = 0.6 * (y[t - 1] if t else 0.0) + e[t]
    x = np.round(20 + 3 * y + 0.05 * np.arange(n))
    if seed % 2:
        x[rng.choice(n, 3, replace=False)] = np.nan
    for ours, ref in (
        (hamed_rao(x), mk.hamed_rao_modification_test(x)),
        (trend_free_prewhitening(x), mk.trend_free_pre_whitening_modification_test(x)),
    ):
        assert ours.s == ref.s
        assert ours.var_s == pytest.approx(ref.var_s, rel=1e-12)
        assert ours.z == pytest.approx(ref.z, rel=1e-9, abs=1e-15)
        assert ours.p == pytest.approx(ref.p, rel=1e-9, abs=1e-15)
        assert ours.trend == ref.trend


def test_trend_checks_run_on_the_deseasonalised_series():
    rng = np.random.default_rng(8)
    x = rng.poisson(40 * (1 + 0.3 * np.sin(np.arange(36) * np.pi / 6))).astype(float)
    result = trend_test(x)
    adjusted = deseasonalised(x)
    hr, tfpw = result.checks
    assert hr.z == pytest.approx(mk.hamed_rao_modification_test(adjusted).z, rel=1e-9)
    assert tfpw.z == pytest.approx(
        mk.trend_free_pre_whitening_modification_test(adjusted).z, rel=1e-9
    )


def test_hamed_rao_corrects_an_autocorrelated_series():
    # Positively autocorrelated noise around a flat level: the plain test is over-confident
    # and the Hamed-Rao correction inflates Var(S).
    rng = np.random.default_rng(1)
    e = rng.normal(size=40)
    y = np.zeros(40)
    for t in range(40):
        y[t] = 0.8 * (y[t - 1] if t else 0.0) + e[t]
    x = np.round(30 + 5 * y)
    plain, hr = mann_kendall(x), hamed_rao(x)
    assert hr.var_s != pytest.approx(plain.var_s)
    assert hr.p == pytest.approx(mk.hamed_rao_modification_test(x).p, rel=1e-9)


def test_near_empty_series_is_too_few_to_judge():
    x = [0] * 20 + [1, 0, 0, 1]
    assert mann_kendall(x).trend == "increasing"  # what the plain test said (issue #11)
    result = trend_test(x)
    assert not result.run
    assert result.verdict is None
    assert result.reason.startswith("too few crimes to judge a trend (2 crimes in 2 of 24 months")
    assert result.total == 2
    assert result.nonzero_months == 2
    # Enough crimes but in too few months: still refused.
    assert not trend_test([0] * 30 + [5, 0, 0, 6, 0, 4]).run
    # At the threshold it is judged.
    assert trend_test([0] * 18 + [1, 2, 1, 2, 2, 2]).run


def test_verdict_follows_the_slope_interval():
    rising = trend_test(np.arange(36.0) + np.tile([0.0, 3.0, 1.0], 12))
    assert rising.verdict == "increasing"
    assert rising.result.slope_lower > 0
    assert rising.verdict_text.startswith("Crime is rising")
    flat = trend_test(np.random.default_rng(4).poisson(30, 36))
    assert flat.verdict == "no clear trend"
    assert flat.result.slope_lower <= 0 <= flat.result.slope_upper
    assert "not distinguishable from noise" in flat.verdict_text
    json.dumps(rising.to_dict())


def test_plain_test_on_two_seasonal_years_cries_trend():
    # 24 months of a ±20 % season, 500 crimes a month, no trend: the plain Mann-Kendall test
    # (the old 24-35 month default) reads the season as a trend far more often than 5 %; the
    # platform's test (seasonal Kendall) does not.
    rng = np.random.default_rng(12)
    means = 500 * (1 + 0.2 * np.sin(2 * np.pi * np.arange(24) / 12))
    draws = rng.poisson(means, (300, 24)).astype(float)
    plain = np.mean([mann_kendall(x).trend != "no trend" for x in draws])
    ours = np.mean([trend_test(x).verdict != "no clear trend" for x in draws])
    assert plain > 0.10
    assert ours <= 0.06


# -- issue #11 finding 7: seasonal index only when there is a seasonal pattern -----------------

ROBBERY = [2, 0, 4, 0, 4, 0, 4, 2, 1, 2, 3, 2, 1, 0, 1, 0, 1, 2, 1, 0, 0, 2, 1, 6,
           4, 4, 1, 4, 1, 0, 1, 0, 1, 1, 3, 2]  # fmt: skip


def test_noise_gets_no_seasonal_index_and_says_why():
    assert sum(ROBBERY) == 61
    untested = seasonal_index(MONTHS_3Y, ROBBERY, test=False)
    assert untested.computed
    assert max(untested.index) > 1.5
    r = seasonal_index(MONTHS_3Y, ROBBERY)
    assert not r.computed
    assert r.index is None
    assert r.test.tested
    assert not r.test.seasonal
    assert r.test.p > 0.05
    assert r.reason == (
        "no evidence of a seasonal pattern: the months differ no more than chance allows "
        f"(test of equal months p = {r.test.p:.2f})"
    )
    json.dumps(r.to_dict())


def test_all_zero_years_give_a_reason_not_nan():
    r = seasonal_index(MONTHS_3Y, [0] * 36)
    assert not r.computed
    assert r.index is None
    assert r.reason == "no crimes in the years used, so there is no seasonal pattern to show"
    assert "nan" not in json.dumps(r.to_dict())
    few = seasonal_index(MONTHS_3Y, [1] + [0] * 35)
    assert few.reason.startswith("too few crimes to judge a seasonal pattern")


def test_seasonality_test_is_reproducible_and_bounded():
    a = seasonality_test(MONTHS_3Y, ROBBERY)
    b = seasonality_test(MONTHS_3Y, ROBBERY)
    assert a.p == b.p
    assert 1 / 1000 <= a.p <= 1
    strong = seasonality_test(MONTHS_3Y, Y1 + Y2 + Y3)
    assert strong.seasonal
    assert strong.p == pytest.approx(1 / 1000)


def test_trend_fit_of_the_seasonality_test_matches_statsmodels():
    import statsmodels.api as sm

    from crimestats.methods.trends import _poisson_irls

    rng = np.random.default_rng(3)
    y = rng.negative_binomial(1, 1 / 3, (5, 36)).astype(float)
    t = np.arange(36.0)
    design = np.column_stack([np.ones(36), (t - t.mean()) / t.std()])
    fitted = _poisson_irls(y, design)
    for row, mu in zip(y, fitted, strict=True):
        ref = sm.GLM(row, design, family=sm.families.Poisson()).fit()
        np.testing.assert_allclose(mu, ref.fittedvalues, rtol=1e-8)


def test_seasonality_permutation_p_matches_a_direct_count():
    # The vectorised test equals the definition: share of within-year shuffles whose
    # month-of-year sums of x/trend are at least as uneven as the data's.
    x = np.array(ROBBERY, dtype=float)
    statistic, p = (float(v[0]) for v in seasonality_p_values(x, permutations=199, seed=5))
    from crimestats.methods.trends import _poisson_irls

    t = np.arange(36.0)
    design = np.column_stack([np.ones(36), (t - t.mean()) / t.std()])
    ratio = (x / _poisson_irls(x[None, :], design)[0]).reshape(3, 12)
    assert statistic == pytest.approx(np.sum(ratio.sum(axis=0) ** 2), rel=1e-12)
    order = np.argsort(np.random.default_rng(5).random((199, 3, 12)), axis=2)
    perm = [np.sum(sum(ratio[k][order[b, k]] for k in range(3)) ** 2) for b in range(199)]
    expected = (1 + sum(v >= statistic * (1 - 1e-12) for v in perm)) / 200
    assert p == pytest.approx(expected, rel=1e-12)
