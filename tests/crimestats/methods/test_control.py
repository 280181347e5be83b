"""Control chart against a seasonal baseline (§3.6, §9.10, §10.3).

The §9.10 reference values are exact Poisson limits of a *known* mean: they are checked on the
Poisson path (``dispersion=1.0, baseline_uncertainty=False``). The default since issue #11 is
negative-binomial prediction limits (the baseline's own uncertainty and the area's dispersion)
with no judgement below 1 expected crime.
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest
from scipy import stats

from crimestats.methods import OVERDISPERSION_WARNING
from crimestats.methods import control_chart as _default_chart
from crimestats.methods.control import (
    TOO_FEW_TO_JUDGE,
    chart_dispersion,
    prediction_distribution,
)

MARCHES = ["2021-03", "2022-03", "2023-03", "2024-03"]


def control_chart(months, counts, **options):
    """The §3.6 Poisson path (known mean, φ* = 1) that §9.10 tabulates."""
    return _default_chart(months, counts, dispersion=1.0, baseline_uncertainty=False, **options)


def test_reference_limits_and_watch_high():
    # §9.10: same-month values 18, 23, 23 → μ = 21.33333; 95 % [13, 31]; 99.8 % [9, 37];
    # observed 34: P(X ≥ 34 | μ) = 0.006892176 → watch, not alert.
    chart = control_chart(MARCHES, [18, 23, 23, 34])
    assert chart.expected[-1] == pytest.approx(21.33333, rel=1e-6)
    assert (chart.lower_95[-1], chart.upper_95[-1]) == (13, 31)
    assert (chart.lower_998[-1], chart.upper_998[-1]) == (9, 37)
    assert chart.p_high[-1] == pytest.approx(0.006892176, rel=1e-6)
    assert chart.status[-1] == "watch_high"


def test_reference_watch_low():
    # §9.10: observed 10: P(X ≤ 10 | μ) = 0.005185340 → watch (low).
    chart = control_chart(MARCHES, [18, 23, 23, 10])
    assert chart.p_low[-1] == pytest.approx(0.005185340, rel=1e-6)
    assert chart.status[-1] == "watch_low"


@pytest.mark.parametrize(
    ("mu_values", "l95", "u95", "l998", "u998"),
    [((4, 4, 4), 1, 8, 0, 11), ((20, 20, 20), 12, 29, 8, 35)],  # §9.10 "other limits"
)
def test_other_reference_limits(mu_values, l95, u95, l998, u998):
    chart = control_chart(MARCHES, [*mu_values, 5])
    assert (chart.lower_95[-1], chart.upper_95[-1]) == (l95, u95)
    assert (chart.lower_998[-1], chart.upper_998[-1]) == (l998, u998)


def test_alerts_only_beyond_998_limits():
    chart = control_chart(MARCHES, [18, 23, 23, 38])
    assert chart.status[-1] == "alert_high"
    assert control_chart(MARCHES, [18, 23, 23, 8]).status[-1] == "alert_low"
    assert control_chart(MARCHES, [18, 23, 23, 25]).status[-1] == "within"


def test_tail_form_agrees_with_limits_on_random_means():
    rng = np.random.default_rng(5)
    for mu in rng.uniform(0.5, 80, 30):
        upper = stats.poisson.ppf(0.999, mu)
        # x > U998 exactly when P(X ≥ x) ≤ 0.001 (smallest-k-with-CDF ≥ q convention).
        for x in (upper, upper + 1):
            assert (x > upper) == (stats.poisson.sf(x - 1, mu) <= 0.001)


def test_baseline_short_and_no_baseline():
    chart = control_chart(MARCHES, [18, None, 23, 20])
    assert chart.baseline_short[-1]
    assert chart.expected[-1] == pytest.approx(20.5)
    chart = control_chart(MARCHES, [None, None, 23, 20])
    assert chart.status[-1] == "no_baseline"
    assert np.isnan(chart.expected[-1])


def test_months_absent_from_input_are_missing_and_dates_are_accepted():
    months = [date(2024, 1, 1), date(2024, 3, 1)]
    chart = control_chart(months, [4, 5])
    assert chart.months == ("2024-01", "2024-02", "2024-03")
    assert chart.status[1] == "missing"
    json.dumps(chart.to_dict())


def _series(rng, years=5, level=30.0, noise=None):
    months = [f"{2019 + i // 12}-{i % 12 + 1:02d}" for i in range(12 * years)]
    base = level * (1 + 0.3 * np.sin(np.arange(12 * years) * 2 * np.pi / 12))
    counts = (
        rng.poisson(base) if noise is None else rng.negative_binomial(noise, noise / (noise + base))
    )
    return months, counts.astype(float)


def test_run_rules_report_patterns_not_alerts():
    months, counts = _series(np.random.default_rng(9))
    counts[-8:] = counts[-20:-12] + 6  # eight months in a row above last year's level
    chart = control_chart(months, counts, run_rules=True)
    assert any("8 months in a row above" in p for p in chart.patterns)
    assert all("alert" not in p for p in chart.patterns)
    assert control_chart(months, counts).patterns == ()  # run rules are off by default


# -- issue #11 finding 2: alerts that do not cry wolf --------------------------------------------


def test_expected_zero_is_too_few_to_judge_not_an_alert():
    # E01025916 2021-12: no robbery in the same month of 2018-2020, one in 2021. The old Poisson
    # limits were 0-0 and called it "alert high".
    months = ["2018-12", "2019-12", "2020-12", "2021-12"]
    old = control_chart(months, [0, 0, 0, 1], min_expected=0)
    assert (old.upper_998[-1], old.status[-1]) == (0, "alert_high")
    chart = _default_chart(months, [0, 0, 0, 1])
    assert chart.status[-1] == "too_few"
    assert np.isnan(chart.upper_998[-1])
    assert np.isnan(chart.p_high[-1])
    assert not chart.judged[-1]
    assert any(TOO_FEW_TO_JUDGE in w for w in chart.warnings)
    # Expected 0.67 (< 1) is not judged either; expected 1 is.
    assert _default_chart(months, [1, 1, 0, 5]).status[-1] == "too_few"
    assert _default_chart(months, [1, 1, 1, 2]).status[-1] == "within"


def test_prediction_distribution_moments():
    rng = np.random.default_rng(4)
    mus, ns, phis = rng.uniform(1, 200, 20), rng.integers(2, 4, 20), rng.uniform(1, 12, 20)
    draws = zip(mus, ns, phis, strict=True)
    for mu, n, phi in draws:
        d = prediction_distribution(mu, n, phi)
        assert d.mean() == pytest.approx(mu, rel=1e-9)
        assert d.var() == pytest.approx(phi * mu + phi * mu / n, rel=1e-9)
        known = prediction_distribution(mu, n, phi, baseline_uncertainty=False)
        assert known.var() == pytest.approx(phi * mu, rel=1e-9)
    assert prediction_distribution(5.0, 3, 1.0, baseline_uncertainty=False).dist.name == "poisson"


def test_discrete_quantiles_keep_each_tail_at_most_a_tenth_of_a_percent():
    # Upper limit U = smallest k with F(k) ≥ 0.999, alert when x > U: P(x > U) = 1 − F(U) ≤ 0.001.
    # Lower limit L = smallest k with F(k) ≥ 0.001, alert when x < L: P(x < L) = F(L − 1) < 0.001.
    rng = np.random.default_rng(6)
    mus, ns, phis = rng.uniform(1, 300, 40), rng.integers(2, 4, 40), rng.uniform(1, 12, 40)
    draws = zip(mus, ns, phis, strict=True)
    for mu, n, phi in draws:
        d = prediction_distribution(mu, n, phi)
        upper, lower = d.ppf(0.999), d.ppf(0.001)
        assert d.sf(upper) <= 0.001
        assert d.cdf(upper) >= 0.999
        assert d.cdf(lower - 1) < 0.001


def test_default_limits_are_wider_than_known_mean_poisson_limits():
    months, counts = _series(np.random.default_rng(2), noise=2.0)
    poisson = control_chart(months, counts)
    chart = _default_chart(months, counts)
    assert chart.dispersion.estimated
    assert chart.phi_star > 1.5
    assert chart.limits == "negative binomial prediction"
    assert poisson.limits == "poisson"
    assert OVERDISPERSION_WARNING in chart.warnings
    valid = ~np.isnan(poisson.upper_998)
    assert np.all(chart.upper_998[valid] >= poisson.upper_998[valid])
    assert np.all(chart.lower_998[valid] <= poisson.lower_998[valid])
    assert np.sum(chart.upper_998[valid] > poisson.upper_998[valid]) > valid.sum() / 2
    # Baseline uncertainty alone widens Poisson limits too (φ* = 1).
    only_base = _default_chart(months, counts, dispersion=1.0)
    assert np.all(only_base.upper_998[valid] >= poisson.upper_998[valid])
    assert np.any(only_base.upper_998[valid] > poisson.upper_998[valid])


def test_baseline_length_is_shown():
    chart = _default_chart(MARCHES, [18, None, 23, 20])
    assert chart.baseline_n[-1] == 2
    assert chart.baseline_short[-1]
    chart = _default_chart(MARCHES, [18, 22, 23, 20])
    assert chart.baseline_n[-1] == 3
    assert not chart.baseline_short[-1]
    # A 2-year baseline is less certain than a 3-year one: wider limits for the same mean.
    two = prediction_distribution(21.0, 2, 1.0).ppf(0.999)
    three = prediction_distribution(21.0, 3, 1.0).ppf(0.999)
    assert two >= three


def test_short_series_assumes_poisson_with_a_caveat():
    chart = _default_chart(MARCHES, [18, 23, 23, 34])
    assert not chart.dispersion.estimated
    assert chart.phi_star == 1.0
    assert any("Too short to estimate" in w for w in chart.warnings)
    # Baseline uncertainty still widens the §9.10 limits [9, 37]: 34 stays a watch, 38 no alert.
    assert chart.upper_998[-1] > 37
    assert _default_chart(MARCHES, [18, 23, 23, 38]).status[-1] != "alert_high"


def test_sparse_bursty_series_uses_the_index_of_dispersion():
    months = [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(48)]
    counts = [0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0, 0] * 4
    counts[30] = 7
    dispersion, phi_star, phi_index = chart_dispersion(months, counts)
    window = np.array(counts[-dispersion.months_used :], dtype=float)
    assert phi_index == pytest.approx(window.var(ddof=1) / window.mean(), rel=1e-12)
    assert phi_star == max(dispersion.phi_star, phi_index)
    assert phi_star > dispersion.phi_star
    chart = _default_chart(months, counts)
    assert chart.phi_index == phi_index
    assert chart.phi_star == phi_star


def _stable_series_alert_rate(lam, n_sims, rng, **options):
    months = [f"{2019 + i // 12}-{i % 12 + 1:02d}" for i in range(48)]
    alerts = judged = 0
    for counts in rng.poisson(lam, (n_sims, 48)).astype(float):
        chart = _default_chart(months, counts, **options)
        status = np.asarray(chart.status[-12:])
        alerts += int(np.char.startswith(status, "alert").sum())
        judged += int(chart.judged[-12:].sum())
    return alerts / judged


@pytest.mark.parametrize(("lam", "old_floor"), [(1.0, 0.02), (5.0, 0.004)])
def test_stable_poisson_series_false_alerts(lam, old_floor):
    # Issue #11: with the baseline treated as known, a stable Poisson series raised alerts in
    # 3.5 % of months at λ = 1 and 0.5-0.7 % at λ ≥ 5 (nominal 0.2 %).
    rng = np.random.default_rng(11)
    old = _stable_series_alert_rate(
        lam, 300, rng, dispersion=1.0, baseline_uncertainty=False, min_expected=0
    )
    new = _stable_series_alert_rate(lam, 300, rng)
    assert old > old_floor
    assert new <= 0.002 + 0.01
    assert new < old
