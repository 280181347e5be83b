"""Calibration of the trend verdict ("increasing" / "decreasing"), methods reference §10.6.

Under no trend (grid points with ``trend = 0``, with or without seasonality), every
"increasing" or "decreasing" verdict is a false alarm. Each simulated series runs
:func:`crimestats.methods.trends.trend_test` (the platform's own test, as
:func:`crimestats.measures.trend` calls it) on ``months`` months (default 36, the platform's
default period: seasonal Kendall; 24-35 months use the plain Mann-Kendall test). The verdict
refuses "too few crimes to judge a trend"; ``reported`` is the share it judged. Nominal: 5 %
(two-sided). Points with a trend give the power in ``note``.
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
from crimestats.methods.trends import trend_test

__all__ = ["NOMINAL", "calibrate"]

NOMINAL = 0.05


def calibrate(
    points: list[GridPoint], n_sims: int, rng: np.random.Generator, *, months: int = 36
) -> list[CalibrationRow]:
    """False "increasing/decreasing" verdicts under no trend (power under a trend)."""
    rows = []
    for point in points:
        draws = draw_counts(monthly_means(point, months), point.phi, n_sims, rng)
        judged = claimed = right = not_robust = 0
        for series in draws.astype(float):
            result = trend_test(series)
            if not result.run:
                continue
            judged += 1
            if result.verdict in ("increasing", "decreasing"):
                claimed += 1
                right += result.verdict == ("increasing" if point.trend > 0 else "decreasing")
                not_robust += not result.robust
        rate = claimed / judged if judged else 0.0
        null = point.trend == 0.0
        note = f"{judged} of {n_sims} series judged"
        if judged < n_sims:
            note += f"; {n_sims - judged} too few crimes to judge a trend"
        if claimed:
            note += f"; {not_robust} of {claimed} verdicts flagged as not robust to autocorrelation"
        rows.append(
            alarm_row(
                f"trend verdict ({months} months)",
                point,
                n_sims,
                judged=judged,
                total=n_sims,
                rate=rate,
                nominal=NOMINAL,
                null=null,
                note=note,
                alternative=f"power {right / max(judged, 1):.3f}",
            )  # fmt: skip
        )
    return rows
