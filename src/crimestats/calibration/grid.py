"""The simulation grid of methods reference §10.6 and the series drawn on it.

λ ∈ {0.3, 1, 3, 10, 30, 100, 500} crimes per month, φ ∈ {1, 2, 4, 12} (φ = 1 is Poisson, larger
is negative binomial with variance φ·μ), with and without seasonality (amplitude 20 %) and trend
(0 or ±1 % a month). Every draw comes from a seeded ``numpy.random.Generator`` so a table can be
reproduced exactly.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

__all__ = [
    "COVERAGE_TARGET",
    "FALSE_ALARM_SLACK",
    "LAMBDAS",
    "PHIS",
    "SEASONAL_AMPLITUDES",
    "TRENDS",
    "CalibrationRow",
    "alarm_row",
    "GridPoint",
    "draw_counts",
    "grid",
    "monthly_means",
]

LAMBDAS: tuple[float, ...] = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 500.0)
PHIS: tuple[float, ...] = (1.0, 2.0, 4.0, 12.0)
SEASONAL_AMPLITUDES: tuple[float, ...] = (0.0, 0.2)
TRENDS: tuple[float, ...] = (0.0, 0.01, -0.01)

#: A verdict may raise false alarms at most this much above its nominal rate (one point).
FALSE_ALARM_SLACK = 0.01
#: A 95 % interval must cover the truth at least this often.
COVERAGE_TARGET = 0.94


@dataclass(frozen=True, slots=True)
class GridPoint:
    """One truth to simulate: mean per month, dispersion, seasonal amplitude, monthly trend."""

    lam: float
    phi: float
    seasonal: float = 0.0
    trend: float = 0.0

    @property
    def label(self) -> str:
        parts = [f"λ={self.lam:g}", f"φ={self.phi:g}"]
        if self.seasonal:
            parts.append(f"season ±{self.seasonal:.0%}")
        if self.trend:
            parts.append(f"trend {self.trend:+.0%}/month")
        return ", ".join(parts)


def grid(*, quick: bool = False, trends: bool = True) -> list[GridPoint]:
    """The §10.6 grid; ``quick`` keeps a corner subset fast enough for ``make test``.

    ``trends=False`` drops the trending points (for verdicts whose 'no change' truth is a
    stationary series, e.g. the change test and control chart).
    """
    lams = (0.3, 1.0, 10.0, 100.0) if quick else LAMBDAS
    phis = (1.0, 4.0) if quick else PHIS
    seasons = (0.0, 0.2) if not quick else (0.2,)
    trend_values = TRENDS if trends else (0.0,)
    if quick:
        trend_values = (0.0,)
    return [GridPoint(*p) for p in itertools.product(lams, phis, seasons, trend_values)]


def monthly_means(point: GridPoint, n_months: int, first_month_of_year: int = 0) -> np.ndarray:
    """Expected counts μ_t for ``n_months`` consecutive months under ``point``.

    Seasonality is a sine of the month of year with the given amplitude; the trend multiplies by
    ``(1 + trend)`` each month. ``first_month_of_year`` is 0 for January.
    """
    t = np.arange(n_months, dtype=float)
    season = 1.0 + point.seasonal * np.sin(2.0 * np.pi * (t + first_month_of_year) / 12.0)
    return point.lam * season * (1.0 + point.trend) ** t


def draw_counts(
    means: np.ndarray, phi: float, n_series: int, rng: np.random.Generator
) -> np.ndarray:
    """``n_series`` independent series with the given means and variance ``φ·μ``.

    φ = 1 draws Poisson; φ > 1 draws negative binomial with ``k = μ/(φ − 1)`` so the variance is
    ``μ + μ²/k = φ·μ`` at every month (the quasi-Poisson variance the platform assumes).
    Returns an integer array of shape ``(n_series, len(means))``.
    """
    mu = np.broadcast_to(np.asarray(means, dtype=float), (n_series, len(means)))
    if phi <= 1.0:
        return rng.poisson(mu)
    k = mu / (phi - 1.0)
    return rng.negative_binomial(k, k / (k + mu))


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    """How one verdict behaved at one grid point.

    ``false_alarm_rate`` is measured under no change (None when the verdict has no alarm);
    ``coverage`` is the share of 95 % intervals containing the truth (None when it shows none);
    ``reported`` is the share of simulated cases where the platform gave a verdict rather than
    refusing (e.g. "too few to judge"); ``note`` explains a refusal or a miss.
    """

    verdict: str
    point: GridPoint
    n_sims: int
    reported: float
    false_alarm_rate: float | None
    nominal: float | None
    coverage: float | None
    note: str = ""

    @property
    def false_alarm_ok(self) -> bool:
        if self.false_alarm_rate is None or self.nominal is None:
            return True
        return self.false_alarm_rate <= self.nominal + FALSE_ALARM_SLACK

    @property
    def coverage_ok(self) -> bool:
        return self.coverage is None or self.coverage >= COVERAGE_TARGET

    @property
    def meets_targets(self) -> bool:
        """Targets hold, or the platform refused to report at this point (then refusal is the
        result, §10.6)."""
        return self.reported == 0.0 or (self.false_alarm_ok and self.coverage_ok)


def alarm_row(
    verdict: str,
    point: GridPoint,
    n_sims: int,
    *,
    judged: int,
    total: int,
    rate: float,
    nominal: float,
    null: bool,
    note: str,
    alternative: str,
) -> CalibrationRow:
    """The row of a verdict that raises an alarm (alert, trend, seasonal pattern).

    ``judged`` of ``total`` cases got a verdict; ``rate`` is the share of them with an alarm. Under
    the null truth (``null``) that rate is the false-alarm rate against ``nominal``; otherwise
    there is no false alarm to count and ``alternative`` (e.g. ``"power 0.812"``) leads the note.
    """
    return CalibrationRow(
        verdict=verdict,
        point=point,
        n_sims=n_sims,
        reported=judged / total,
        false_alarm_rate=rate if null else None,
        nominal=nominal if null else None,
        coverage=None,
        note=note if null else f"{alternative}; {note}",
    )
