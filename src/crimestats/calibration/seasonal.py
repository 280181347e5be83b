"""Calibration of the "seasonal pattern" claim (seasonal index shown), methods reference §10.6.

Under no seasonality (grid points with ``seasonal = 0``, with or without trend), every seasonal
index the platform shows is a false claim. Each simulated series is 3 complete calendar years
(36 months from January), the platform's default period. The platform shows an index only when
:func:`crimestats.methods.trends.seasonality_test` finds a pattern (p < 0.05) and does not test
below :data:`~crimestats.methods.trends.MIN_SEASONAL_TOTAL` crimes; the test is run here through
its vectorised core :func:`~crimestats.methods.trends.seasonality_p_values` (the function the
single-series test calls). Nominal: 5 %.
"""

from __future__ import annotations

import numpy as np

from crimestats.calibration.grid import (
    CalibrationRow,
    GridPoint,
    alarm_row,
    draw_counts,
    monthly_means,
)
from crimestats.methods.trends import MIN_SEASONAL_TOTAL, SEASONALITY_ALPHA, seasonality_p_values

__all__ = ["MONTHS", "calibrate", "claims"]

MONTHS = 36


def claims(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(tested, seasonal) for each row of ``counts`` (36 months from January) by the platform's
    rule: tested when the total is at least ``MIN_SEASONAL_TOTAL``; seasonal when p < 0.05."""
    counts = np.asarray(counts, dtype=float)
    tested = counts.sum(axis=1) >= MIN_SEASONAL_TOTAL
    seasonal = np.zeros(counts.shape[0], dtype=bool)
    if tested.any():
        _, p = seasonality_p_values(counts[tested])
        seasonal[tested] = p < SEASONALITY_ALPHA
    return tested, seasonal


def calibrate(
    points: list[GridPoint], n_sims: int, rng: np.random.Generator
) -> list[CalibrationRow]:
    """False "seasonal pattern" claims where there is no seasonality; power (in ``note``) where
    there is."""
    rows = []
    for point in points:
        draws = draw_counts(monthly_means(point, MONTHS), point.phi, n_sims, rng)
        tested, seasonal = claims(draws)
        n_tested = int(tested.sum())
        rate = float(seasonal[tested].mean()) if n_tested else 0.0
        null = point.seasonal == 0.0
        note = f"{n_tested} of {n_sims} series tested"
        if n_tested < n_sims:
            note += f"; {n_sims - n_tested} too few crimes to judge"
        rows.append(
            alarm_row(
                "seasonal pattern shown",
                point,
                n_sims,
                judged=n_tested,
                total=n_sims,
                rate=rate,
                nominal=SEASONALITY_ALPHA,
                null=null,
                note=note,
                alternative=f"power {rate:.3f}",
            )  # fmt: skip
        )
    return rows
