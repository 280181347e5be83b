"""Rates and exact Poisson intervals (methods reference §2.1, §2.5, §9.1)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.rates import confint_poisson

from crimestats.methods import (
    SMALL_NUMBER_NOTE,
    TOWN_CENTRE_NOTE,
    poisson_interval,
    rate_per_1000,
    rates_per_1000,
    town_centre_flags,
)

# §9.1 full-precision Garwood limits (scipy chi2.ppf, = statsmodels confint_poisson exact-c).
GARWOOD_TABLE = [
    (0, 0.0, 3.6888794541139363),
    (1, 0.025317807984289876, 5.571643390938898),
    (5, 1.6234863901184207, 11.66833207932267),
    (10, 4.7953886961324335, 18.390356042017775),
    (100, 81.36399125092314, 121.62679379242638),
]


@pytest.mark.parametrize(("x", "lower", "upper"), GARWOOD_TABLE)
def test_poisson_interval_matches_reference_table(x, lower, upper):
    low, high = poisson_interval(x)
    assert low == pytest.approx(lower, rel=1e-6, abs=1e-12)
    assert high == pytest.approx(upper, rel=1e-6)


def test_zero_count_upper_limit_is_3_688879():
    # §2.1 edge case: x = 0 → lower 0, upper 3.688879 (95 %).
    assert poisson_interval(0) == (0.0, pytest.approx(3.688879, abs=5e-7))


def test_poisson_interval_matches_statsmodels_exact_c_on_random_counts():
    rng = np.random.default_rng(20240101)
    counts = np.concatenate([rng.integers(0, 50, 40), rng.integers(50, 20_000, 40)])
    for alpha in (0.05, 0.1, 0.002):
        low, high = poisson_interval(counts, alpha)
        ref_low, ref_high = confint_poisson(counts, 1, method="exact-c", alpha=alpha)
        np.testing.assert_allclose(low, np.nan_to_num(ref_low), rtol=1e-9)
        np.testing.assert_allclose(high, ref_high, rtol=1e-9)


def test_poisson_interval_equals_gamma_form():
    x = np.arange(1, 200)
    low, high = poisson_interval(x)
    np.testing.assert_allclose(low, stats.gamma.ppf(0.025, x), rtol=1e-9)
    np.testing.assert_allclose(high, stats.gamma.ppf(0.975, x + 1), rtol=1e-9)


def test_poisson_interval_refuses_negative_counts():
    with pytest.raises(ValueError, match="non-negative"):
        poisson_interval(-1)


@given(st.integers(min_value=0, max_value=100_000))
def test_interval_contains_the_count(x):
    low, high = poisson_interval(x)
    assert low <= x <= high


def test_rate_example_from_reference():
    # §9.1: x = 37, P = 8,412 → 4.398478 per 1,000, 95 % CI [3.096935, 6.062723].
    r = rate_per_1000(37, 8412)
    assert r.rate == pytest.approx(4.398478, rel=1e-6)
    assert r.lower == pytest.approx(3.096935, rel=1e-6)
    assert r.upper == pytest.approx(6.062723, rel=1e-6)
    assert not r.small_number
    assert r.flags == ()
    assert r.reason is None


def test_annualised_rate_scales_by_twelve_over_months():
    r = rate_per_1000(30, 3000, months=6)
    assert r.rate == pytest.approx(10.0)
    assert r.annualised_rate == pytest.approx(20.0)
    assert r.annualised_upper == pytest.approx(2 * r.upper)


@pytest.mark.parametrize("population", [None, 0, float("nan")])
def test_no_population_gives_no_rate_with_reason(population):
    r = rate_per_1000(12, population)
    assert r.rate is None
    assert r.lower is None
    assert r.reason == "no population"
    assert r.count_upper == pytest.approx(poisson_interval(12)[1])


def test_small_number_flag_below_ten():
    assert rate_per_1000(9, 1500).flags == (SMALL_NUMBER_NOTE,)
    assert not rate_per_1000(10, 1500).small_number


def test_zero_count_rate_has_upper_limit():
    r = rate_per_1000(0, 2000)
    assert r.rate == 0
    assert r.lower == 0
    assert r.upper == pytest.approx(3.6888794541139363 / 2000 * 1000, rel=1e-9)


def test_vectorised_rates_agree_with_scalar():
    counts = [0, 3, 37, 120]
    pops = [1500, None, 8412, 2100.0]
    many = rates_per_1000(counts, pops, months=6)
    for i, (x, p) in enumerate(zip(counts, pops, strict=True)):
        one = rate_per_1000(x, p, months=6)
        if one.rate is None:
            assert np.isnan(many.rate[i])
            assert many.no_population[i]
        else:
            assert many.rate[i] == pytest.approx(one.rate)
            assert many.upper[i] == pytest.approx(one.upper)
            assert many.annualised_lower[i] == pytest.approx(one.annualised_lower)
    assert many.small_number.tolist() == [True, True, False, False]
    out = many.to_dict()
    json.dumps(out)
    assert out["rate"][1] is None
    assert "rate[1]" in out["null_reasons"]


def test_town_centre_flag_at_five_times_partnership_rate():
    flags = town_centre_flags([49.9, 50.0, 10.0], 10.0)
    assert flags.tolist() == [False, True, False]
    assert TOWN_CENTRE_NOTE == "residential denominator may be inappropriate"
