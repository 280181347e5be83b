"""Rate ratios, two-period tests, Wheeler's z and verdicts (§2.3, §2.4, §3.1, §3.2, §4.6)."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import test_poisson_2indep as sm_test_poisson_2indep

from crimestats.methods import (
    pooled_rate,
    rate_ratio,
    two_period_test,
    verdict,
    wheeler_z,
)
from crimestats.methods.comparison import poisson_etest


def test_rate_ratio_reference_values():
    # §9.2: a = 45 (12,000), b = 30 (10,000) → RR 1.25, CI [0.7703733153968264, 2.054977926754437],
    # π interval [0.4803705, 0.7114808], exact-cond p = 0.3561927.
    r = rate_ratio(45, 12_000, 30, 10_000)
    assert r.rate_ratio == pytest.approx(1.25, rel=1e-12)
    assert r.lower == pytest.approx(0.7703733153968264, rel=1e-6)
    assert r.upper == pytest.approx(2.054977926754437, rel=1e-6)
    assert r.pi_lower == pytest.approx(0.4803705, rel=1e-6)
    assert r.pi_upper == pytest.approx(0.7114808, rel=1e-6)
    assert r.p_value == pytest.approx(0.3561927, rel=1e-6)


def test_rate_ratio_interval_matches_statsmodels_and_scipy_clopper_pearson():
    rng = np.random.default_rng(7)
    for _ in range(40):
        a, b = (int(v) for v in rng.integers(1, 400, 2))
        E_a, E_b = (float(v) for v in rng.uniform(500, 50_000, 2))
        r = rate_ratio(a, E_a, b, E_b)
        lo, hi = proportion_confint(a, a + b, method="beta")
        ci = stats.binomtest(a, a + b).proportion_ci(method="exact")
        assert r.pi_lower == pytest.approx(lo, rel=1e-9)
        assert r.pi_upper == pytest.approx(ci.high, rel=1e-9)
        assert r.lower == pytest.approx(lo / (1 - lo) * E_b / E_a, rel=1e-9)
        assert r.upper == pytest.approx(hi / (1 - hi) * E_b / E_a, rel=1e-9)
        sm = sm_test_poisson_2indep(a, E_a, b, E_b, method="exact-cond")
        assert r.p_value == pytest.approx(sm.pvalue, rel=1e-9)


def test_rate_ratio_edge_cases():
    assert rate_ratio(0, 1, 0, 1).rate_ratio is None
    zero_a = rate_ratio(0, 1000, 12, 1000)
    assert zero_a.rate_ratio == 0
    assert zero_a.lower == 0
    zero_b = rate_ratio(7, 1000, 0, 1000)
    assert zero_b.upper == math.inf
    assert zero_b.rate_ratio == math.inf
    out = zero_b.to_dict()
    json.dumps(out)
    assert out["upper"] is None
    assert out["null_reasons"]["upper"].startswith("unbounded")


@given(st.integers(0, 300), st.integers(0, 300), st.floats(10, 1e5), st.floats(10, 1e5))
@settings(max_examples=60, deadline=None)
def test_rate_ratio_interval_contains_estimate(a, b, E_a, E_b):
    r = rate_ratio(a, E_a, b, E_b)
    if a + b == 0:
        assert r.rate_ratio is None
    else:
        assert r.lower <= r.rate_ratio * (1 + 1e-12)
        assert r.rate_ratio <= r.upper * (1 + 1e-12)


# §9.3 rows: (count1, exp1, count2, exp2, etest-wald p, exact-cond p, wald statistic).
ETEST_TABLE = [
    (30, 1, 50, 1, 0.02530216, 0.03299262, -2.236068),
    (30, 1, 50, 2, 0.4460779, 0.4767622, 0.7669650),
    (60, 12, 90, 24, 0.09985460, 0.08395019, 1.651446),
    (6, 1, 2, 1, 0.1748748, 0.2890625, 1.414214),
]


@pytest.mark.parametrize(("x1", "E1", "x2", "E2", "p_wald", "p_exact", "stat"), ETEST_TABLE)
def test_two_period_test_reference_table(x1, E1, x2, E2, p_wald, p_exact, stat):
    r = two_period_test(x1, x2, E1, E2)
    assert r.p_etest == pytest.approx(p_wald, rel=1e-6)
    assert r.p_exact_cond == pytest.approx(p_exact, rel=1e-6)
    assert r.poisson_statistic == pytest.approx(stat, rel=1e-6)


def test_rolling_twelve_example_480_vs_420():
    # §9.3: 480 vs 420 crimes, equal exposure → E-test p = 0.04551332.
    r = two_period_test(420, 480, 12, 12)
    assert r.p_etest == pytest.approx(0.04551332, rel=1e-6)
    assert r.diff == 60
    assert r.diff_adjusted == 60


def test_etest_matches_statsmodels_and_scipy_on_random_inputs():
    rng = np.random.default_rng(11)
    cases = [(int(rng.integers(0, 80)), int(rng.integers(0, 80))) for _ in range(25)]
    cases += [(int(rng.integers(200, 1200)), int(rng.integers(200, 1200))) for _ in range(3)]
    for x1, x2 in cases:
        if x1 + x2 == 0:
            continue
        E1, E2 = (float(v) for v in rng.choice([1.0, 6.0, 12.0, 24.0, 2.5], 2))
        stat, p = poisson_etest(x1, x2, E1, E2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            sm = sm_test_poisson_2indep(x1, E1, x2, E2, method="etest-wald")
        assert stat == pytest.approx(sm.statistic, rel=1e-9)
        assert p == pytest.approx(sm.pvalue, rel=1e-6, abs=1e-13)
        # scipy compares |T| with a strict float ">=" and writes T in rate form, so on lattice
        # points whose |T| ties the observed one it can differ when exposures are unequal;
        # with unit exposures both forms agree (scipy drops up to 1e-10 of tail mass).
        sp = stats.poisson_means_test(x1, 1.0, x2, 1.0)
        assert poisson_etest(x1, x2)[1] == pytest.approx(sp.pvalue, rel=1e-6, abs=1e-9)


def test_two_period_test_exact_cond_matches_binomtest():
    for x1, x2, E1, E2 in [(12, 30, 12, 12), (5, 1, 6, 12), (40, 41, 1, 1)]:
        r = two_period_test(x1, x2, E1, E2)
        ref = stats.binomtest(x1, x1 + x2, p=E1 / (E1 + E2)).pvalue
        assert r.p_exact_cond == pytest.approx(ref, rel=1e-9)


def test_both_zero_is_not_tested():
    r = two_period_test(0, 0)
    assert not r.tested
    assert r.reason == "no crimes in either period"
    assert r.p_etest is None
    assert r.verdict is None
    json.dumps(r.to_dict())


def test_missing_month_is_not_tested():
    r = two_period_test(100, 120, 12, 12, missing=True)
    assert not r.tested
    assert r.reason == "a period contains a missing month"


def test_verdict_follows_the_headline_inversion_not_the_e_test():
    # (10, 21): E-test p = 0.0484 but the exact conditional p = 0.0708. The old code printed
    # "borderline"; now one inversion (here the exact Poisson one: no dispersion given) gives
    # the verdict and both intervals, and they agree.
    r = two_period_test(10, 21)
    assert r.p_etest < 0.05 < r.p
    assert r.verdict.direction == "none"
    assert r.rr_lower < 1 < r.rr_upper
    assert r.diff_lower < 0 < r.diff_upper


def test_two_period_verdict_gives_interval_in_crimes_and_percentage_only_beside_it():
    r = two_period_test(50, 30)
    assert r.verdict.direction == "fall"
    assert r.diff == -20
    assert r.diff_lower < r.diff_adjusted < r.diff_upper
    assert "fewer crimes" in r.verdict.estimate_text
    text = r.verdict.text
    assert text.index("between") < text.index("%", text.index("between"))
    assert r.percent_change == pytest.approx(-40.0)


def test_difference_interval_is_not_conditional_on_the_total():
    # The old interval was n·(2π − 1) for the Clopper–Pearson π given n = x1 + x2, so it could
    # never pass ±n: 1 vs 2 gave at most 3 more. Now the total's own uncertainty is included.
    r = two_period_test(1, 2, 4, 4)
    assert r.diff_upper > 3
    assert r.diff_lower < -3
    big = two_period_test(100, 140, 12, 12)
    n = 240
    assert big.diff_upper > n * (big.rr_upper - 1) / (big.rr_upper + 1)


def test_wheeler_z_reference_values():
    # §9.4: 2(√30 − √50) = −3.1876844736276286; Wheeler's example 2(√25 − √16) = 2.
    r = wheeler_z(30, 50)
    assert r.z == pytest.approx(-3.1876844736276286, rel=1e-12)
    assert r.flag
    assert wheeler_z(25, 16).z == pytest.approx(2.0)
    assert not wheeler_z(25, 16).flag
    many = wheeler_z(np.array([30, 25]), np.array([50, 16]))
    assert many.flag.tolist() == [True, False]
    json.dumps(many.to_dict())


def test_verdict_wording_follows_section_4_6():
    fall = verdict(0.0029, -118, -195.6106, -40.38939, relative_to_comparison=True)
    assert fall.headline == (
        "A fall distinguishable from noise at the 95 % level relative to the comparison area "
        "(strong evidence, 99 % level)"
    )
    assert fall.estimate_text == "118 fewer crimes (between 196 fewer and 40 fewer crimes)"
    rise = verdict(0.03, 25, 3, 47)
    assert rise.headline == "A rise distinguishable from noise at the 95 % level"
    assert not rise.strong
    none = verdict(0.2, -12, -30, 6)
    assert none.headline == "No change distinguishable from noise at the 95 % level"
    assert none.estimate_text == "12 fewer crimes (between 30 fewer and 6 more crimes)"
    assert verdict(0.5, 1, -7.1, 8.6).estimate_text == (
        "1 more crime (between 7.1 fewer and 8.6 more crimes)"
    )
    for v in (fall, rise, none):
        assert "no effect" not in v.text.lower()
        assert not v.text.lower().startswith("no change.")


def test_verdict_never_shows_a_bare_percentage():
    v = verdict(0.01, -50, -80, -20, percent=-25.0)
    assert v.text.endswith("change -25.0 %.")
    assert v.text.index("between") < v.text.index("%", v.text.index("between") + 20)


def test_pooled_rate_is_sum_over_sum_not_mean_of_rates():
    r = pooled_rate([100, 300], [10_000, 20_000])
    assert r.rate == pytest.approx(1000 * 400 / 30_000)
    assert r.rate != pytest.approx((10 + 15) / 2)
    assert r.n_areas == 2
