"""Relative effect, WDD, WDQ, harm-weighted WDD and the RAG rule (§4, §9.7)."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from crimestats.methods import (
    check_minimum_data,
    harm_wdd,
    rag_baseline,
    rag_target,
    relative_effect,
    wdd,
    wdq,
)


def test_wdd_paper_example():
    # §9.7 Wheeler & Ratcliffe (2018) / ptools "Est & Variance Paper": C = (308, 318),
    # T = (207, 110), DC = (150, 140), D = (178, 157).
    r = wdd(207, 110, 308, 318, 178, 157, 150, 140)
    assert (r.est_local, r.se_local) == (-107, pytest.approx(30.70831, rel=1e-6))
    assert (r.est_displacement, r.se_displacement) == (-11, pytest.approx(25, rel=1e-12))
    assert r.wdd == -118
    assert r.se == pytest.approx(math.sqrt(1568), rel=1e-12)
    assert r.z == pytest.approx(-2.979950006429022, rel=1e-6)
    assert r.p == pytest.approx(0.002882954, rel=1e-6)
    assert (r.lower, r.upper) == pytest.approx((-195.6106, -40.38939), rel=1e-6)
    assert r.verdict.estimate_text == "118 fewer crimes (between 196 fewer and 40 fewer crimes)"
    assert r.verdict.headline.startswith("A fall distinguishable from noise at the 95 % level")
    one = wdd(207, 110, 308, 318, 178, 157, 150, 140, one_sided=True)
    assert one.p == pytest.approx(0.001441477, rel=1e-6)
    json.dumps(r.to_dict())


def test_wdd_ptools_help_example():
    # §9.7: C = (20,20), T = (20,10), DC = (30,30), D = (30,20).
    r = wdd(20, 10, 20, 20, 30, 20, 30, 30)
    assert (r.est_local, r.se_local) == (-10, pytest.approx(8.366600, rel=1e-6))
    assert (r.est_displacement, r.se_displacement) == (-10, pytest.approx(10.48809, rel=1e-6))
    assert r.wdd == -20
    assert r.se == pytest.approx(13.41641, rel=1e-6)
    assert r.z == pytest.approx(-1.490712, rel=1e-6)
    assert r.p == pytest.approx(0.1360371, rel=1e-6)


def test_wdd_time_and_area_weights_divide_counts_and_variances():
    r = wdd(24, 10, 40, 30, time_weights=(12.0, 6.0), area_weights=(2.0, 4.0, 1.0, 1.0))
    est = (10 / 12 - 24 / 24) - (30 / 24 - 40 / 48)
    var = 10 / 12**2 + 24 / 24**2 + 30 / 24**2 + 40 / 48**2
    assert r.wdd == pytest.approx(est, rel=1e-12)
    assert r.variance == pytest.approx(var, rel=1e-12)


def test_harm_weighted_wdd_reference():
    # §9.7 ptools "Cumulative Harm": estimates −14, −42, −157, −30, −60, weights 3, 2, 5, 7, 10
    # → −1721, SE 304.1036007678962, z −5.659256, CI [−2317.032, −1124.968].
    pairs = [((133, 91), (130, 74)), ((388, 305), (327, 202)), ((148, 97), (398, 190)),
             ((86, 64), (144, 92)), ((94, 67), (183, 96))]  # fmt: skip
    local = [wdd(t0, t1, c0, c1) for (c0, c1), (t0, t1) in pairs]
    assert [r.wdd for r in local] == [-14, -42, -157, -30, -60]
    r = harm_wdd([x.wdd for x in local], [x.se for x in local], [3, 2, 5, 7, 10])
    assert r.wdd == -1721
    assert r.se == pytest.approx(304.1036007678962, rel=1e-6)
    assert r.z == pytest.approx(-5.659256, rel=1e-6)
    assert (r.lower, r.upper) == pytest.approx((-2317.032, -1124.968), rel=1e-6)
    assert "harm days" in r.verdict.estimate_text


def test_wdq_reference():
    # §9.7: numerator −0.08421139, success measure −0.3261660, WDQ = 0.2581857.
    r = wdq(207, 110, 308, 318, 178, 157)
    assert r.numerator == pytest.approx(-0.08421139, rel=1e-6)
    assert r.success_measure == pytest.approx(-0.3261660, rel=1e-6)
    assert r.wdq == pytest.approx(0.2581857, rel=1e-6)
    assert wdq(100, 120, 300, 300, 50, 50).wdq is None  # treated area did not improve
    assert wdq(100, 80, 0, 300, 50, 50).reason == "control count is zero"


def test_relative_effect_reference_and_glm_cross_check():
    # §9.7: RE = 1.942916, ln RE = 0.6641900, Var = 0.02031323, SE = 0.1425245,
    # CI [1.469390, 2.569042], z = 4.660181, p = 3.159310e−06, 1 − 1/RE = 48.53 %.
    r = relative_effect(207, 110, 308, 318)
    assert r.re == pytest.approx(1.942916, rel=1e-6)
    assert r.log_re == pytest.approx(0.6641900, rel=1e-6)
    assert r.var_log == pytest.approx(0.02031323, rel=1e-6)
    assert r.se_log == pytest.approx(0.1425245, rel=1e-6)
    assert (r.lower, r.upper) == pytest.approx((1.469390, 2.569042), rel=1e-6)
    assert r.z == pytest.approx(4.660181, rel=1e-6)
    assert r.p == pytest.approx(3.159310e-06, rel=1e-6)
    assert r.relative_reduction == pytest.approx(0.4853, abs=5e-5)
    # Poisson GLM with treat×post interaction: exp(−β) = RE.
    y = np.array([207, 110, 308, 318])
    treat, post = np.array([1, 1, 0, 0]), np.array([0, 1, 0, 1])
    X = sm.add_constant(np.column_stack([treat, post, treat * post]))
    with warnings.catch_warnings():  # the saturated model fits exactly: scale warnings only
        warnings.simplefilter("ignore")
        fit = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    assert math.exp(-fit.params[3]) == pytest.approx(r.re, rel=1e-6)
    assert r.verdict.direction == "fall"
    assert r.crimes_lower < r.crimes_change < r.crimes_upper < 0


def test_relative_effect_zero_cell():
    r = relative_effect(10, 0, 20, 20)
    assert r.re is None
    assert r.reason == "too few crimes"


def test_minimum_conditions():
    assert check_minimum_data(30, 20, 40, 35, 12, 12).ok
    r = check_minimum_data(5, 0, 40, 35, 4, 6)
    assert not r.ok
    assert len(r.reasons) == 4


def test_rag_target_never_red_for_noise():
    # Lower is better: 105 vs target 100 is worse but P(X ≥ 105 | 100) ≈ 0.33 → amber.
    assert rag_target(100, 100).colour == "green"
    amber = rag_target(105, 100)
    assert amber.colour == "amber"
    assert amber.p > 0.05
    red = rag_target(125, 100)
    assert red.colour == "red"
    assert red.p < 0.05
    assert rag_target(80, 100, lower_is_better=False).colour == "red"
    assert rag_target(8, 5).small_number


def test_rag_baseline_uses_etest():
    # §9.3 rolling example: 480 vs 420, p = 0.0455 → red for a lower-is-better indicator.
    assert rag_baseline(420, 480).colour == "red"
    assert rag_baseline(420, 440).colour == "amber"
    assert rag_baseline(480, 420).colour == "green"
    assert rag_baseline(480, 420, lower_is_better=False).colour == "red"


def test_one_sided_wdd_has_a_one_sided_interval_that_agrees_with_its_p():
    # Issue 11, finding 10: a one-sided p was paired with a two-sided interval.
    one = wdd(207, 110, 308, 318, 178, 157, 150, 140, one_sided=True)
    z95 = stats.norm.ppf(0.95)
    assert one.lower == -math.inf
    assert one.upper == pytest.approx(-118 + z95 * math.sqrt(1568), rel=1e-12)
    assert (one.p < 0.05) == (one.upper < 0)
    assert "one-sided" in one.verdict.text
    assert "at least 53 fewer" in one.verdict.text
    # A rise can never be "distinguishable" under a one-sided reduction hypothesis.
    rise = wdd(10, 40, 20, 20, one_sided=True)
    assert rise.p > 0.5
    assert rise.verdict.direction == "none"
    for args in [(20, 10, 20, 20), (30, 12, 25, 26), (50, 45, 40, 41)]:
        r = wdd(*args, one_sided=True)
        assert (r.p < 0.05) == (r.upper < 0)


def test_wdd_and_relative_effect_inflate_by_phi_and_keep_the_poisson_p():
    base = wdd(207, 110, 308, 318, 178, 157, 150, 140)
    inflated = wdd(207, 110, 308, 318, 178, 157, 150, 140, phi_star=4.0)
    assert inflated.se == pytest.approx(2 * base.se, rel=1e-12)
    assert inflated.p_poisson == pytest.approx(base.p, rel=1e-12)
    assert inflated.p > 0.05 > base.p
    assert inflated.verdict.direction == "none"
    re = relative_effect(207, 110, 308, 318, phi_star=3.0)
    assert re.var_log == pytest.approx(3 * 0.02031323, rel=1e-6)
    assert re.p_poisson == pytest.approx(3.159310e-06, rel=1e-5)
    assert relative_effect(207, 110, 308, 318, phi_star=0.5).phi_star == 1.0
