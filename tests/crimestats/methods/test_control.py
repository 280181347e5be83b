"""Control chart against a seasonal baseline (§3.6, §9.10)."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest
from scipy import stats

from crimestats.methods import OVERDISPERSION_WARNING, control_chart

MARCHES = ["2021-03", "2022-03", "2023-03", "2024-03"]


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
    assert chart.baseline_short[-1] and chart.expected[-1] == pytest.approx(20.5)
    chart = control_chart(MARCHES, [None, None, 23, 20])
    assert chart.status[-1] == "no_baseline" and np.isnan(chart.expected[-1])


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


def test_overdispersion_warning():
    rng = np.random.default_rng(2)
    months, counts = _series(rng, noise=2.0)
    chart = control_chart(months, counts)
    assert chart.phi > 1.5 and chart.overdispersed
    assert chart.warnings == (OVERDISPERSION_WARNING,)
    wide = control_chart(months, counts, limits="negbin")
    assert wide.nb_k is not None
    valid = ~np.isnan(chart.upper_998)
    assert np.all(wide.upper_998[valid] >= chart.upper_998[valid])


def test_poisson_series_is_not_flagged_overdispersed():
    months, counts = _series(np.random.default_rng(9))
    chart = control_chart(months, counts)
    assert chart.phi < 1.5 and chart.warnings == ()
    assert chart.patterns == ()  # run rules are off by default


def test_run_rules_report_patterns_not_alerts():
    months, counts = _series(np.random.default_rng(9))
    counts[-8:] = counts[-20:-12] + 6  # eight months in a row above last year's level
    chart = control_chart(months, counts, run_rules=True)
    assert any("8 months in a row above" in p for p in chart.patterns)
    assert all("alert" not in p for p in chart.patterns)
