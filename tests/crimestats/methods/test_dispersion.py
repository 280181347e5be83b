"""Dispersion φ (methods reference §10.1) against statsmodels and the reference values."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from crimestats.methods.dispersion import estimate_dispersion

# fmt: off
NWL = [517, 588, 467, 493, 456, 522, 551, 607, 661, 644, 597, 497, 460, 477, 484, 595, 594, 565,
       626, 598, 586, 559, 672, 608, 596, 610, 636, 792, 635, 688, 825, 658, 745, 666, 758]
# fmt: on
MONTHS = [f"{2019 + (11 + i) // 12}-{(11 + i) % 12 + 1:02d}" for i in range(len(NWL))]


def test_reference_value_of_phi_on_the_shared_data() -> None:
    r = estimate_dispersion(NWL, MONTHS)
    assert r.estimated
    assert r.phi == pytest.approx(6.4115, abs=5e-5)
    assert r.pearson_chi2 == pytest.approx(141.054, abs=5e-4)
    assert r.df_resid == 22
    assert r.trend_per_month == pytest.approx(0.009616, abs=5e-7)
    assert r.trend_se_poisson == pytest.approx(0.000718, abs=5e-7)
    assert r.trend_se_quasi == pytest.approx(0.001818, abs=5e-7)
    assert r.phi_star == r.phi


def test_quasi_poisson_standard_error_matches_statsmodels_scale_x2() -> None:
    idx = np.arange(len(NWL))
    moy = (idx + 11) % 12
    X = np.column_stack([np.ones(len(NWL)), idx] + [(moy == m).astype(float) for m in range(1, 12)])
    quasi = sm.GLM(np.array(NWL, float), X, family=sm.families.Poisson()).fit(scale="X2")
    r = estimate_dispersion(NWL, MONTHS)
    assert r.trend_se_quasi == pytest.approx(float(quasi.bse[1]), rel=1e-9)
    assert r.phi == pytest.approx(float(quasi.scale), rel=1e-9)


def test_uses_the_latest_longest_complete_run_and_at_most_36_months() -> None:
    series = [None, *NWL, None, 5, 6]
    months = [f"{2019 + (10 + i) // 12}-{(10 + i) % 12 + 1:02d}" for i in range(len(series))]
    assert estimate_dispersion(series, months).phi == pytest.approx(6.4115, abs=5e-5)
    long = NWL + NWL[:10]
    long_months = [f"{2019 + (11 + i) // 12}-{(11 + i) % 12 + 1:02d}" for i in range(len(long))]
    r = estimate_dispersion(long, long_months)
    assert r.months_used == 36
    assert r.last_month == "2023-08"


def test_short_or_empty_series_fall_back_to_poisson_with_a_caveat() -> None:
    short = estimate_dispersion(NWL[:17], MONTHS[:17])
    assert not short.estimated
    assert short.phi is None
    assert short.phi_star == 1.0
    assert "17 complete months" in short.caveat
    empty = estimate_dispersion([0] * 24, [f"2020-{m:02d}" for m in range(1, 13)] +
                                [f"2021-{m:02d}" for m in range(1, 13)])  # fmt: skip
    assert not empty.estimated
    assert empty.reason == "no crimes in the months available"


def test_poisson_series_gives_phi_near_one_and_overdispersed_well_above() -> None:
    rng = np.random.default_rng(7)
    months = [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(36)]
    poisson = [estimate_dispersion(rng.poisson(50, 36), months).phi for _ in range(200)]
    assert np.mean(poisson) == pytest.approx(1.0, abs=0.1)
    k = 50 / (4 - 1)
    nb = [estimate_dispersion(rng.negative_binomial(k, k / (k + 50), 36), months).phi
          for _ in range(200)]  # fmt: skip
    assert np.mean(nb) == pytest.approx(4.0, rel=0.15)


def test_rejects_non_consecutive_months() -> None:
    with pytest.raises(ValueError, match="consecutive"):
        estimate_dispersion([1, 2], ["2020-01", "2020-03"])
