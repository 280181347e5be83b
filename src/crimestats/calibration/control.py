"""Calibration of the control chart's alerts (methods reference §10.3, §10.6).

Under no change (a stable series: the grid point's mean, with or without seasonality, no trend),
every alert is a false alert. Each simulated series has 48 months: the platform charts the last
12 against the same month of the 3 years before, estimating φ from the series itself, exactly as
:func:`crimestats.measures.control` does. The false-alert rate is measured per *judged* month
(months with an expected count of at least 1); the share of months judged is ``reported``.
Nominal: 0.2 % (99.8 % limits, both sides).
"""

from __future__ import annotations

from typing import TypedDict, Unpack

import numpy as np

from crimestats.calibration.grid import (
    CalibrationRow,
    GridPoint,
    alarm_row,
    draw_counts,
    monthly_means,
)
from crimestats.methods.control import control_chart
from crimestats.methods.dispersion import DispersionResult
from crimestats.months import index_label

__all__ = ["BASELINE_MONTHS", "CHARTED_MONTHS", "NOMINAL", "calibrate"]

NOMINAL = 0.002
BASELINE_MONTHS = 36
CHARTED_MONTHS = 12
_MONTHS = tuple(index_label(2019 * 12 + t) for t in range(BASELINE_MONTHS + CHARTED_MONTHS))


class ChartOptions(TypedDict, total=False):
    """The keyword options of :func:`~crimestats.methods.control.control_chart` calibrated here."""

    dispersion: DispersionResult | float | None
    baseline_uncertainty: bool
    min_expected: float
    run_rules: bool


def _alerts(counts: np.ndarray, **options: Unpack[ChartOptions]) -> tuple[int, int]:
    """(alerts, judged months) among the charted months of one simulated series."""
    chart = control_chart(_MONTHS, counts, **options)
    status = np.asarray(chart.status[-CHARTED_MONTHS:])
    judged = int(chart.judged[-CHARTED_MONTHS:].sum())
    return int(np.char.startswith(status, "alert").sum()), judged


def calibrate(
    points: list[GridPoint],
    n_sims: int,
    rng: np.random.Generator,
    **options: Unpack[ChartOptions],
) -> list[CalibrationRow]:
    """False-alert rate per judged month under no change, at each grid point.

    Parameters
    ----------
    points : list of GridPoint
        Points with a trend are simulated as given, but only trend-free points are "no change";
        for the others ``false_alarm_rate`` is None and the alert rate is in ``note``.
    n_sims : int
        Simulated series per point (each gives 12 charted months).
    rng : numpy.random.Generator
    **options
        Passed to :func:`~crimestats.methods.control.control_chart` (e.g. the old Poisson
        limits ``dispersion=1.0, baseline_uncertainty=False, min_expected=0``).
    """
    rows = []
    for point in points:
        means = monthly_means(point, len(_MONTHS))
        draws = draw_counts(means, point.phi, n_sims, rng)
        alerts = judged = 0
        for series in draws:
            a, j = _alerts(series.astype(float), **options)
            alerts += a
            judged += j
        total = n_sims * CHARTED_MONTHS
        rate = alerts / judged if judged else 0.0
        no_change = point.trend == 0.0
        note = f"{judged} of {total} months judged; {alerts} alerts"
        if judged < total:
            note += f"; {total - judged} too few to judge (expected count below 1) or no baseline"
        rows.append(
            alarm_row(
                "control chart alert (per month)",
                point,
                n_sims,
                judged=judged,
                total=total,
                rate=rate,
                nominal=NOMINAL,
                null=no_change,
                note=note,
                alternative=f"alert rate under trend {rate:.4f}",
            )  # fmt: skip
        )
    return rows
