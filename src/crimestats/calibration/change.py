"""Calibration of the change verdict (methods reference §10.2, §10.6).

For each grid point, simulated areas get a 36-month history ending with the later period, and
the platform's own functions judge them exactly as :func:`crimestats.measures.change` does:

* φ from the whole 36 months (:func:`~crimestats.methods.dispersion.dispersion_batch`, the
  vectorised form of ``estimate_dispersion``), with month-of-year factors only from
  :data:`~crimestats.methods.dispersion.SEASONAL_MIN_MEAN` crimes a month;
* no verdict when the 36 months are too sparse
  (:func:`~crimestats.methods.comparison.too_sparse`: under one crime a month on average, or
  crimes in fewer than half the months) or with no crimes in either period (these refusals
  are the ``reported`` share);
* the verdict, the rate-ratio interval and the interval of the change in crimes from
  :func:`~crimestats.methods.comparison.change_inference` (what ``two_period_test`` calls).

Two designs: the latest 12 months against the previous 12, and January–April against
January–April a year earlier (4 against 4 months). False alarms are measured where the truth
is "no change" (no trend: both periods have the same expected count); coverage at every point
(with a trend the true ratio is ``(1 + trend)^12``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crimestats.calibration.grid import CalibrationRow, GridPoint, draw_counts, monthly_means
from crimestats.methods.comparison import NOT_TESTED, change_inference, too_sparse
from crimestats.methods.dispersion import SEASONAL_MIN_MEAN, dispersion_batch

__all__ = ["DESIGNS", "ChangeDesign", "calibrate", "simulate"]

HISTORY_MONTHS = 36
_MONTHS = [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(HISTORY_MONTHS)]


@dataclass(frozen=True, slots=True)
class ChangeDesign:
    """Which months of the 36-month history are compared (0-based, end exclusive)."""

    label: str
    period_1: tuple[int, int]
    period_2: tuple[int, int]


DESIGNS: tuple[ChangeDesign, ...] = (
    ChangeDesign("12 vs 12 months", (12, 24), (24, 36)),
    # History January 2020 … December 2022 shifted so that period 2 ends the history:
    # months 20–23 and 32–35 are the same four calendar months a year apart.
    ChangeDesign("4 vs 4 months", (20, 24), (32, 36)),
)


@dataclass(frozen=True, slots=True)
class Simulated:
    """The platform's judgements of ``n`` simulated areas and the truth they are judged on."""

    reported: np.ndarray
    p: np.ndarray
    rr_lower: np.ndarray
    rr_upper: np.ndarray
    change_lower: np.ndarray
    change_upper: np.ndarray
    true_ratio: float
    true_change: float


def simulate(
    point: GridPoint,
    design: ChangeDesign,
    n_sims: int,
    rng: np.random.Generator,
    *,
    poisson: bool = False,
    alpha: float = 0.05,
) -> Simulated:
    """Draw ``n_sims`` histories at ``point`` and judge them as the platform does.

    ``poisson=True`` judges them the old way (exact Poisson test, φ ignored) for comparison.
    """
    mu = monthly_means(point, HISTORY_MONTHS)
    y = draw_counts(mu, point.phi, n_sims, rng)
    (a1, b1), (a2, b2) = design.period_1, design.period_2
    x1, x2 = y[:, a1:b1].sum(axis=1), y[:, a2:b2].sum(axis=1)
    e1, e2 = b1 - a1, b2 - a2
    mean = y.mean(axis=1)
    if poisson:
        result = change_inference(x1, x2, e1, e2, 1.0, None, alpha=alpha)
        reported = result.kind != NOT_TESTED
    else:
        seasonal = mean >= SEASONAL_MIN_MEAN
        fits = {flag: dispersion_batch(y, _MONTHS, seasonal=flag) for flag in (True, False)}
        phi = np.where(seasonal, fits[True].phi_star, fits[False].phi_star)
        # The residual df differs between the two models, so judge each group with its own.
        parts = {
            flag: change_inference(x1, x2, e1, e2, phi, fits[flag].df_resid, alpha=alpha)
            for flag in (True, False)
        }

        def pick(name: str) -> np.ndarray:
            chosen: np.ndarray = np.where(
                seasonal, getattr(parts[True], name), getattr(parts[False], name)
            )
            return chosen

        result = type(parts[True])(*(pick(f) for f in parts[True].__dataclass_fields__))
        reported = (result.kind != NOT_TESTED) & ~too_sparse(y)
    m1, m2 = float(mu[a1:b1].sum()), float(mu[a2:b2].sum())
    return Simulated(
        reported, result.p, result.rr_lower, result.rr_upper, result.change_lower,
        result.change_upper, (m2 / e2) / (m1 / e1), m2 - m1 * e2 / e1,
    )  # fmt: skip


def _rows(point: GridPoint, design: ChangeDesign, sim: Simulated, n_sims: int, alpha: float,
          tag: str) -> list[CalibrationRow]:  # fmt: skip
    ok = sim.reported
    share = float(ok.mean())
    name = f"change {design.label}{tag}"
    if not ok.any():
        note = "no verdict: too few crimes a month (or none) in every simulated area"
        return [
            CalibrationRow(name, point, n_sims, 0.0, None, None, None, note),
            CalibrationRow(f"{name}: crimes interval", point, n_sims, 0.0, None, None, None, note),
        ]
    no_change = point.trend == 0.0
    false_alarm = float((sim.p[ok] < alpha).mean()) if no_change else None
    cover_rr = float(((sim.rr_lower[ok] <= sim.true_ratio) & (sim.true_ratio <= sim.rr_upper[ok]))
                     .mean())  # fmt: skip
    cover_d = float(
        ((sim.change_lower[ok] <= sim.true_change) & (sim.true_change <= sim.change_upper[ok]))
        .mean()
    )  # fmt: skip
    note = "" if share == 1.0 else f"refused in {1 - share:.0%}: too few crimes a month or none"
    return [
        CalibrationRow(name, point, n_sims, share, false_alarm,
                       alpha if no_change else None, cover_rr, note),
        CalibrationRow(f"{name}: crimes interval", point, n_sims, share, None, None, cover_d,
                       note),
    ]  # fmt: skip


def calibrate(
    points: list[GridPoint],
    n_sims: int,
    rng: np.random.Generator,
    *,
    designs: tuple[ChangeDesign, ...] = DESIGNS,
    poisson: bool = False,
    alpha: float = 0.05,
) -> list[CalibrationRow]:
    """False alarms and interval coverage of the change verdict at every grid point.

    Two rows per point and design: the verdict (false alarms under no change, coverage of the
    rate-ratio interval) and the interval of the change in crimes (coverage).
    ``poisson=True`` measures the old Poisson-only test instead (to show what it got wrong).
    """
    tag = " (Poisson only, old)" if poisson else ""
    rows: list[CalibrationRow] = []
    for point in points:
        for design in designs:
            sim = simulate(point, design, n_sims, rng, poisson=poisson, alpha=alpha)
            rows.extend(_rows(point, design, sim, n_sims, alpha, tag))
    return rows
