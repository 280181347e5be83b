"""Calibration of the red/amber/green status (methods reference §4.7, §10.6).

Red must mean "worse and distinguishable from noise". Under no change (the latest 12 months
drawn from the same truth as before, or exactly on target) red should show no more often than
the test's nominal rate:

* baseline rule (latest 12 months against the previous 12, lower is better): red needs a
  worsening with two-sided p < 0.05, so its nominal false-red rate is 2.5 %;
* target rule (the target is the true expected count of the latest 12 months): red needs
  ``P(X ≥ x | τ, φ*) < 0.05``, a one-sided 5 %.

φ is estimated from the simulated 36 months as the platform does (see
:mod:`crimestats.calibration.change`), grey (no judgement) when too sparse (as for the change
test; for the target rule, under one crime a month in the 24 months before the period or in
the target itself); the rules
themselves are the platform's: :func:`~crimestats.methods.comparison.change_inference` (what
``rag_baseline`` calls through ``two_period_test``) and
:func:`~crimestats.methods.rag.target_p` (what ``rag_target`` calls).
"""

from __future__ import annotations

import numpy as np

from crimestats.calibration.change import _MONTHS, HISTORY_MONTHS
from crimestats.calibration.grid import CalibrationRow, GridPoint, draw_counts, monthly_means
from crimestats.methods.comparison import (
    MIN_MONTHLY_MEAN,
    NOT_TESTED,
    change_inference,
    too_sparse,
)
from crimestats.methods.dispersion import SEASONAL_MIN_MEAN, dispersion_batch
from crimestats.methods.rag import target_p

__all__ = ["calibrate"]


def _phi(y: np.ndarray, poisson: bool) -> tuple[np.ndarray, dict[bool, float], np.ndarray]:
    seasonal = y.mean(axis=1) >= SEASONAL_MIN_MEAN
    if poisson:
        return np.ones(len(y)), {True: 0.0, False: 0.0}, seasonal
    fits = {flag: dispersion_batch(y, _MONTHS, seasonal=flag) for flag in (True, False)}
    phi = np.where(seasonal, fits[True].phi_star, fits[False].phi_star)
    return phi, {flag: fits[flag].df_resid for flag in fits}, seasonal


def calibrate(
    points: list[GridPoint],
    n_sims: int,
    rng: np.random.Generator,
    *,
    poisson: bool = False,
    alpha: float = 0.05,
) -> list[CalibrationRow]:
    """False-red rates of both RAG rules at every grid point without a trend.

    Points with a trend are skipped (a trend is a real change, so red is not a false alarm).
    ``poisson=True`` measures the old Poisson-only rules.
    """
    tag = " (Poisson only, old)" if poisson else ""
    rows: list[CalibrationRow] = []
    for point in points:
        if point.trend != 0.0:
            continue
        mu = monthly_means(point, HISTORY_MONTHS)
        y = draw_counts(mu, point.phi, n_sims, rng)
        x1, x2 = y[:, 12:24].sum(axis=1), y[:, 24:36].sum(axis=1)
        phi, df, seasonal = _phi(y, poisson)
        judged = ~too_sparse(y) | poisson
        # Baseline rule: the change test's own p (two-sided), red when worse and p < alpha.
        if poisson:
            base = change_inference(x1, x2, 12, 12, 1.0, None, alpha=alpha)
            base_p, tested = base.p, base.kind != NOT_TESTED
        else:
            parts = {f: change_inference(x1, x2, 12, 12, phi, df[f], alpha=alpha) for f in df}
            base_p = np.where(seasonal, parts[True].p, parts[False].p)
            tested = parts[True].kind != NOT_TESTED
        reported = judged & tested
        red = reported & (x2 > x1) & (base_p < alpha)
        note = "" if reported.all() else f"grey in {1 - reported.mean():.0%}: too few crimes"
        share = float(reported.mean())
        rows.append(CalibrationRow(
            f"RAG baseline{tag}", point, n_sims, share,
            float(red[reported].mean()) if reported.any() else None, alpha / 2, None, note,
        ))  # fmt: skip
        # Target rule: the target is the truth for the latest 12 months.
        tau = float(mu[24:36].sum())
        dfs = np.where(seasonal, df[True], df[False]) if not poisson else None
        p_target = target_p(x2, tau, phi, df=dfs)
        # The target rule greys on the mean of the months before the period only (rag_target's
        # ``monthly_mean``): also requiring crimes in half the months picks out the least spiky
        # histories, whose φ is underestimated, and raised false reds to 8 % at λ = 1, φ = 4.
        enough = tau / 12 >= MIN_MONTHLY_MEAN - 1e-9  # the target itself, as rag_target
        judged = ((y[:, :24].mean(axis=1) >= MIN_MONTHLY_MEAN) & enough) | poisson
        red_t = judged & (x2 > tau) & (p_target < alpha)
        share_t = float(judged.mean())
        note_t = "" if judged.all() else f"grey in {1 - share_t:.0%}: too few crimes a month"
        rows.append(CalibrationRow(
            f"RAG target{tag}", point, n_sims, share_t,
            float(red_t[judged].mean()) if judged.any() else None, alpha, None, note_t,
        ))  # fmt: skip
    return rows
