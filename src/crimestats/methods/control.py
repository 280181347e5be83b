"""Control chart of monthly counts against a seasonal baseline (methods reference §3.6).

Expected value: mean of the same calendar month in the previous three years (not trend-scaled).
Limits: exact Poisson quantiles. Only rule 1 (beyond the 99.8 % limits) raises an alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from crimestats.methods._common import ResultMixin, as_float_array
from crimestats.methods.months import month_index, month_label

__all__ = [
    "OVERDISPERSION_WARNING",
    "STATUSES",
    "TREND_NOTE",
    "ControlChartResult",
    "control_chart",
]

OVERDISPERSION_THRESHOLD = 1.5
OVERDISPERSION_WARNING = "counts vary more than Poisson; limits are too narrow"
TREND_NOTE = (
    "If the series has a real trend, points will drift towards one limit: read the trend test "
    "first."
)
#: Status of each month; only ``alert_*`` is an alert, ``watch_*`` is never an alert.
STATUSES = (
    "alert_high", "alert_low", "watch_high", "watch_low", "within", "no_baseline", "missing",
)  # fmt: skip
_Q = {"l95": 0.025, "u95": 0.975, "l998": 0.001, "u998": 0.999}


@dataclass(frozen=True, slots=True)
class ControlChartResult(ResultMixin):
    """Per-month control chart values, arrays aligned with ``months`` (a gap-free sequence).

    Attributes
    ----------
    months : tuple of str
        Every month from the first to the last input month (``'YYYY-MM'``); months absent from
        the input are treated as missing.
    observed : numpy.ndarray
        Counts (``nan`` where missing).
    expected : numpy.ndarray
        ``μ_t``: mean of the same month in the previous 3 years (``nan`` if < 2 available).
    baseline_n : numpy.ndarray of int
        How many of the 3 same-month values were available.
    baseline_short : numpy.ndarray of bool
        Only 2 of 3 available.
    lower_95, upper_95, lower_998, upper_998 : numpy.ndarray
        Limits (Poisson quantiles, or negative binomial when ``limits="negbin"``).
    p_high, p_low : numpy.ndarray
        ``P(X ≥ x | μ)`` and ``P(X ≤ x | μ)`` under the limits' distribution.
    status : tuple of str
        One of :data:`STATUSES` per month.
    patterns : tuple of str
        Run-rule "pattern" descriptions (empty unless ``run_rules=True``); never alerts.
    phi : float or None
        Dispersion ``Σ (x−μ)²/μ / (N−1)`` over months with a baseline and ``μ > 0``.
    overdispersed : bool
        ``phi > 1.5``.
    warnings : tuple of str
        :data:`OVERDISPERSION_WARNING` when overdispersed.
    nb_k : float or None
        Negative-binomial ``k`` (method of moments) when ``limits="negbin"``.
    limits : str
        ``"poisson"`` (default) or ``"negbin"``.
    trend_note : str
    method : str
    """

    months: tuple[str, ...]
    observed: np.ndarray
    expected: np.ndarray
    baseline_n: np.ndarray
    baseline_short: np.ndarray
    lower_95: np.ndarray
    upper_95: np.ndarray
    lower_998: np.ndarray
    upper_998: np.ndarray
    p_high: np.ndarray
    p_low: np.ndarray
    status: tuple[str, ...]
    patterns: tuple[str, ...]
    phi: float | None
    overdispersed: bool
    warnings: tuple[str, ...]
    nb_k: float | None
    limits: str
    trend_note: str = TREND_NOTE
    method: str = (
        "control chart against the mean of the same month in the previous 3 years, exact "
        "Poisson limits 95 % and 99.8 %, rule 1 alerts only (methods reference §3.6)"
    )


def _run_patterns(labels: tuple[str, ...], side: np.ndarray, beyond: np.ndarray) -> list[str]:
    """Optional run rules (§3.6): 2 of 3 beyond the same 95 % limit; 8 on one side of μ."""
    patterns: list[str] = []
    for sign, word in ((1, "upper"), (-1, "lower")):
        hits = np.lib.stride_tricks.sliding_window_view(beyond == sign, 3).sum(axis=1) >= 2
        patterns += [
            f"2 of 3 months beyond the {word} 95 % limit ending {labels[t + 2]}"
            for t in np.flatnonzero(hits)
        ]
        runs = np.lib.stride_tricks.sliding_window_view(side == sign, 8).all(axis=1)
        where = "above" if sign > 0 else "below"
        patterns += [
            f"8 months in a row {where} the expected value ending {labels[t + 7]}"
            for t in np.flatnonzero(runs)
        ]
    return patterns


def control_chart(
    months: Any,
    counts: Any,
    *,
    run_rules: bool = False,
    limits: str = "poisson",
) -> ControlChartResult:
    """Control chart for a monthly series against its seasonal baseline (§3.6).

    Parameters
    ----------
    months : sequence of str or datetime.date
        ``'YYYY-MM'`` labels or dates, one per count, in any order (gaps allowed: missing).
    counts : array_like
        Monthly counts; ``nan``/``None`` for a missing month (§1.5).
    run_rules : bool, default False
        Also report run-rule "patterns" (never alerts).
    limits : {"poisson", "negbin"}, default "poisson"
        ``"negbin"`` uses negative-binomial quantiles with variance ``μ + μ²/k`` (k by the method
        of moments over the baseline months), the option offered when counts are overdispersed.

    Returns
    -------
    ControlChartResult

    Notes
    -----
    ``μ_t = mean(x_{t−12}, x_{t−24}, x_{t−36})``; with 2 of 3 available the mean of the two is
    used and ``baseline_short`` is set; with fewer, no expected value. Limits are
    ``Poisson.ppf(q, μ)`` (smallest k with CDF ≥ q) for q = 0.025/0.975 and 0.001/0.999.
    Rule 1: ``x > U998`` (alert high) or ``x < L998`` (alert low); beyond a 95 % limit only is
    "watch".

    Examples
    --------
    >>> months = ["2021-03", "2022-03", "2023-03", "2024-03"]
    >>> chart = control_chart(months, [18, 23, 23, 34])
    >>> round(float(chart.expected[-1]), 5), chart.upper_95[-1].item(), chart.upper_998[-1].item()
    (21.33333, 31.0, 37.0)
    >>> chart.status[-1], round(float(chart.p_high[-1]), 9)
    ('watch_high', 0.006892176)
    """
    if limits not in {"poisson", "negbin"}:
        raise ValueError("limits must be 'poisson' or 'negbin'")
    index = month_index(months)
    values = as_float_array(counts, "counts")
    if index.shape != values.shape or index.size == 0:
        raise ValueError("months and counts must be non-empty and of the same length")
    start = int(index.min())
    size = int(index.max()) - start + 1
    x = np.full(size, np.nan)
    x[index - start] = values
    labels = tuple(month_label(start + t) for t in range(size))

    # Same calendar month 1, 2 and 3 years earlier (nan before the series starts).
    lagged = np.full((3, size), np.nan)
    for k in (1, 2, 3):
        lagged[k - 1, 12 * k :] = x[: max(size - 12 * k, 0)]
    baseline_n = np.count_nonzero(~np.isnan(lagged), axis=0)
    # Mean of the available same-month values (nanmean would warn on all-missing columns).
    available = np.where(np.isnan(lagged), 0.0, lagged).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = np.where(baseline_n >= 2, available / baseline_n, np.nan)
    usable = ~np.isnan(mu) & ~np.isnan(x)

    # Dispersion over months with a baseline; μ = 0 months carry no information on φ.
    informative = usable & (mu > 0)
    count = int(informative.sum())
    phi = None
    if count >= 2:
        resid = (x[informative] - mu[informative]) ** 2
        phi = float((resid / mu[informative]).sum() / (count - 1))
    nb_k = None
    if limits == "negbin":
        excess = ((x[informative] - mu[informative]) ** 2 - mu[informative]).sum()
        inv_k = excess / (mu[informative] ** 2).sum() if count else 0.0
        nb_k = float(1.0 / inv_k) if inv_k > 0 else None

    safe_mu = np.where(np.isnan(mu), 0.0, mu)
    dist = stats.poisson(safe_mu) if nb_k is None else stats.nbinom(nb_k, nb_k / (nb_k + safe_mu))
    bounds = {name: np.where(np.isnan(mu), np.nan, dist.ppf(q)) for name, q in _Q.items()}
    safe_x = np.where(np.isnan(x), 0.0, x)
    p_high = np.where(usable, dist.sf(safe_x - 1), np.nan)
    p_low = np.where(usable, dist.cdf(safe_x), np.nan)

    with np.errstate(invalid="ignore"):
        beyond_998 = np.where(x > bounds["u998"], 1, np.where(x < bounds["l998"], -1, 0))
        beyond_95 = np.where(x > bounds["u95"], 1, np.where(x < bounds["l95"], -1, 0))
        side = np.sign(x - mu)
    status = np.select(
        [np.isnan(x), np.isnan(mu), beyond_998 == 1, beyond_998 == -1, beyond_95 == 1,
         beyond_95 == -1],
        ["missing", "no_baseline", "alert_high", "alert_low", "watch_high", "watch_low"],
        default="within",
    )  # fmt: skip
    patterns = _run_patterns(labels, np.nan_to_num(side), beyond_95) if run_rules else []
    overdispersed = phi is not None and phi > OVERDISPERSION_THRESHOLD
    return ControlChartResult(
        labels, x, mu, baseline_n, baseline_n == 2, bounds["l95"], bounds["u95"],
        bounds["l998"], bounds["u998"], p_high, p_low, tuple(str(s) for s in status),
        tuple(patterns), phi, overdispersed,
        (OVERDISPERSION_WARNING,) if overdispersed else (), nb_k, limits,
    )  # fmt: skip
