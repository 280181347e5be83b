"""Control chart of monthly counts against a seasonal baseline (methods reference §3.6, §10.3).

Expected value: mean of the same calendar month in the previous three years (not trend-scaled).
Limits (default, §10.3): negative-binomial *prediction* limits. The month's own variation is
``φ*·μ`` (φ* from the area's own series, :func:`crimestats.methods.dispersion.estimate_dispersion`)
and the baseline mean is itself an estimate from ``n`` months, so its variance ``φ*·μ̂/n`` is added:
the predictive variance is ``φ*·μ̂·(1 + 1/n)``, matched by a negative binomial with mean ``μ̂``
and ``k = μ̂² / (variance − μ̂)`` (method of moments). No month is judged where the expected count is
below 1 ("too few to judge"). Only rule 1 (beyond the 99.8 % limits) raises an alert.

The classic §3.6 limits (exact Poisson quantiles of a *known* mean) remain available with
``dispersion=1.0, baseline_uncertainty=False, min_expected=0``; they are what §9.10 tabulates.

Discrete quantiles: the upper limit is the smallest ``k`` with ``F(k) ≥ 0.999`` and an alert needs
``x > k``, so ``P(alert high) = 1 − F(k) ≤ 0.001`` under the predictive distribution; the lower
limit is the smallest ``k`` with ``F(k) ≥ 0.001`` and an alert needs ``x < k``, so
``P(alert low) = F(k − 1) < 0.001``. Each tail is at most 0.1 %, the two together at most 0.2 %
(often less, because counts are discrete); the calibration suite checks the rate actually achieved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from crimestats.methods._common import Counts, Months, ResultMixin, as_float_array
from crimestats.methods.dispersion import DispersionResult, estimate_dispersion
from crimestats.months import index_label, month_index

__all__ = [
    "MIN_EXPECTED",
    "OVERDISPERSION_WARNING",
    "STATUSES",
    "TOO_FEW_TO_JUDGE",
    "SPARSE_MEAN",
    "TREND_NOTE",
    "ControlChartResult",
    "chart_dispersion",
    "control_chart",
    "prediction_distribution",
]

#: Below this expected count a month is "too few to judge" (§10.3).
MIN_EXPECTED = 1.0
#: Below this mean count a month, φ* is also checked against the index of dispersion (see
#: :func:`chart_dispersion`).
SPARSE_MEAN = 10.0
TOO_FEW_TO_JUDGE = "too few to judge: fewer than 1 crime expected in the month"
OVERDISPERSION_WARNING = (
    "counts vary more than Poisson here, so the limits are widened for it (negative binomial)"
)
TREND_NOTE = (
    "If the series has a real trend, points will drift towards one limit: read the trend test "
    "first."
)
#: Status of each month; only ``alert_*`` is an alert, ``watch_*`` is never an alert.
STATUSES = (
    "alert_high", "alert_low", "watch_high", "watch_low", "within", "too_few", "no_baseline",
    "missing",
)  # fmt: skip
_Q = {"l95": 0.025, "u95": 0.975, "l998": 0.001, "u998": 0.999}

_METHOD_PREDICTIVE = (
    "control chart against the mean of the same month in the previous 3 years; negative-binomial "
    "prediction limits 95 % and 99.8 % with variance phi*·mu·(1 + 1/n baseline months), phi* "
    "from the area's own monthly series; no judgement below 1 expected crime; rule 1 alerts "
    "only (methods reference §3.6, §10.3)"
)
_METHOD_POISSON = (
    "control chart against the mean of the same month in the previous 3 years, exact Poisson "
    "limits 95 % and 99.8 % treating the baseline mean as known, rule 1 alerts only (methods "
    "reference §3.6)"
)


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
        ``μ̂_t``: mean of the same month in the previous 3 years (``nan`` if < 2 available).
    baseline_n : numpy.ndarray of int
        How many of the 3 same-month values the baseline mean was computed from (its length in
        years; 2 or 3 when there is a baseline).
    baseline_short : numpy.ndarray of bool
        Only 2 of 3 available.
    lower_95, upper_95, lower_998, upper_998 : numpy.ndarray
        Prediction limits (``nan`` where there is no baseline or too few to judge).
    p_high, p_low : numpy.ndarray
        ``P(X ≥ x)`` and ``P(X ≤ x)`` under the prediction distribution (``nan`` when not judged).
    status : tuple of str
        One of :data:`STATUSES` per month; ``too_few`` where ``μ̂ < min_expected``.
    patterns : tuple of str
        Run-rule "pattern" descriptions (empty unless ``run_rules=True``); never alerts.
    dispersion : DispersionResult or None
        How φ was estimated from the series (None when the caller fixed it).
    phi_star : float
        The dispersion factor used (1 = Poisson variation).
    phi_index : float or None
        The index of dispersion (variance / mean) of the same months, when the series averages
        fewer than :data:`SPARSE_MEAN` crimes a month (then ``phi_star`` is at least this).
    baseline_uncertainty : bool
        The baseline mean's own variance ``φ*·μ̂/n`` is added to the limits.
    min_expected : float
    limits : str
        ``"negative binomial prediction"`` or ``"poisson"`` (known mean, φ* = 1).
    warnings : tuple of str
        Plain-English caveats (dispersion not estimated; limits widened for dispersion).
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
    dispersion: DispersionResult | None
    phi_star: float
    phi_index: float | None
    baseline_uncertainty: bool
    min_expected: float
    limits: str
    warnings: tuple[str, ...]
    trend_note: str = TREND_NOTE
    method: str = _METHOD_PREDICTIVE

    @property
    def judged(self) -> np.ndarray:
        """Months with an observed count, a baseline and enough expected crimes to judge."""
        return np.isin(np.asarray(self.status), STATUSES[:5])


def prediction_distribution(
    mu: Any, n_baseline: Any, phi_star: float, *, baseline_uncertainty: bool = True
) -> Any:
    """The frozen scipy distribution of next month's count given the baseline mean (§10.3).

    Parameters
    ----------
    mu : array_like
        Baseline means ``μ̂`` (positive).
    n_baseline : array_like of int
        How many months each mean was computed from.
    phi_star : float
        Dispersion factor ``φ* ≥ 1``.
    baseline_uncertainty : bool, default True
        Add ``Var(μ̂) = φ*·μ̂/n`` to the month's own variance ``φ*·μ̂``.

    Returns
    -------
    scipy.stats frozen distribution
        Poisson(μ̂) when the variance equals the mean (φ* = 1 without baseline uncertainty),
        otherwise a negative binomial with mean ``μ̂`` and variance
        ``V = φ*·μ̂·(1 + 1/n)`` (``k = μ̂²/(V − μ̂)``, ``p = k/(k + μ̂)``).

    Examples
    --------
    >>> d = prediction_distribution(20.0, 3, 1.0, baseline_uncertainty=False)
    >>> d.ppf(0.999).item()
    35.0
    >>> d = prediction_distribution(20.0, 3, 2.0)
    >>> round(float(d.var()), 6)  # 2·20·(1 + 1/3)
    53.333333
    """
    mu = np.asarray(mu, dtype=float)
    phi_star = max(1.0, float(phi_star))
    inflate = 1.0 + (1.0 / np.asarray(n_baseline, dtype=float) if baseline_uncertainty else 0.0)
    variance = phi_star * mu * inflate
    if np.all(variance <= mu):
        return stats.poisson(mu)
    k = mu**2 / (variance - mu)
    return stats.nbinom(k, k / (k + mu))


def chart_dispersion(
    months: Months, counts: Counts
) -> tuple[DispersionResult, float, float | None]:
    """φ* for control limits: the area's own dispersion, guarded for sparse series.

    Returns ``(dispersion, phi_star, phi_index)``. ``dispersion`` is
    :func:`~crimestats.methods.dispersion.estimate_dispersion` of the series (§10.1). When the
    months it used average fewer than :data:`SPARSE_MEAN` crimes, ``phi_index`` is the index of
    dispersion ``s²/x̄`` of the same months (Fisher 1950) and ``phi_star`` the larger of the two.
    Why: with few crimes a month, the seasonal model's twelve month-of-year factors absorb
    occasional bursts (a month-of-year whose three values are 0, 0, 6 is fitted exactly), so its
    φ understates the variation that decides false alerts (in simulation, a series of 1 crime a
    month with φ = 12 gave a median estimate of 2). At such low counts seasonality adds little
    to ``s²/x̄`` (a ±20 % season adds ``0.02·x̄``, under 0.2 below 10 a month), so the guard
    costs little where the seasonal estimate is right.

    Examples
    --------
    >>> months = [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(36)]
    >>> d, phi_star, phi_index = chart_dispersion(months, [0] * 30 + [6, 0, 0, 0, 0, 6])
    >>> round(phi_index, 3), phi_star == max(d.phi_star, phi_index)
    (5.829, True)
    """
    estimated = estimate_dispersion(counts, months)
    first, last = estimated.first_month, estimated.last_month
    if not estimated.estimated or first is None or last is None:
        return estimated, estimated.phi_star, None
    index = month_index(months)
    values = as_float_array(counts, "counts")
    window = (index >= month_index([first])[0]) & (index <= month_index([last])[0])
    used = values[window]
    mean = float(used.mean())
    if not 0 < mean < SPARSE_MEAN or used.size < 2:
        return estimated, estimated.phi_star, None
    phi_index = float(used.var(ddof=1) / mean)
    return estimated, max(estimated.phi_star, phi_index), phi_index


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
    months: Months,
    counts: Counts,
    *,
    dispersion: DispersionResult | float | None = None,
    baseline_uncertainty: bool = True,
    min_expected: float = MIN_EXPECTED,
    run_rules: bool = False,
) -> ControlChartResult:
    """Control chart for a monthly series against its seasonal baseline (§3.6, §10.3).

    Parameters
    ----------
    months : sequence of str or datetime.date
        ``'YYYY-MM'`` labels or dates, one per count, in any order (gaps allowed: missing).
    counts : array_like
        Monthly counts; ``nan``/``None`` for a missing month (§1.5).
    dispersion : DispersionResult, float or None, default None
        None estimates φ* from this series with :func:`chart_dispersion` (the latest run of
        complete months, up to 36, at least 18; shorter series assume Poisson variation with a
        caveat; sparse series are guarded by the index of dispersion). A float fixes φ*
        (``1.0`` = Poisson).
    baseline_uncertainty : bool, default True
        Widen the limits for the baseline mean's own variance ``φ*·μ̂/n``.
    min_expected : float, default 1.0
        Months whose expected count is below this are ``too_few`` (no alert, no watch).
    run_rules : bool, default False
        Also report run-rule "patterns" (never alerts).

    Returns
    -------
    ControlChartResult

    Notes
    -----
    ``μ̂_t = mean(x_{t−12}, x_{t−24}, x_{t−36})``; with 2 of 3 available the mean of the two is
    used and ``baseline_short`` is set; with fewer, no expected value. Limits are quantiles
    (smallest k with CDF ≥ q) of :func:`prediction_distribution` for q = 0.025/0.975 and
    0.001/0.999. Rule 1: ``x > U998`` (alert high) or ``x < L998`` (alert low); beyond a 95 %
    limit only is "watch". With ``dispersion=1.0, baseline_uncertainty=False, min_expected=0``
    the limits are the exact Poisson quantiles of §3.6/§9.10.

    Examples
    --------
    >>> months = ["2021-03", "2022-03", "2023-03", "2024-03"]
    >>> chart = control_chart(months, [18, 23, 23, 34], dispersion=1.0,
    ...                       baseline_uncertainty=False)
    >>> round(float(chart.expected[-1]), 5), chart.upper_95[-1].item(), chart.upper_998[-1].item()
    (21.33333, 31.0, 37.0)
    >>> chart.status[-1], round(float(chart.p_high[-1]), 9)
    ('watch_high', 0.006892176)
    >>> control_chart(months, [0, 0, 0, 1]).status[-1]
    'too_few'
    """
    index = month_index(months)
    values = as_float_array(counts, "counts")
    if index.shape != values.shape or index.size == 0:
        raise ValueError("months and counts must be non-empty and of the same length")
    start = int(index.min())
    size = int(index.max()) - start + 1
    x = np.full(size, np.nan)
    x[index - start] = values
    labels = tuple(index_label(start + t) for t in range(size))

    phi_index: float | None = None
    estimated: DispersionResult | None
    if dispersion is None:
        estimated, phi_star, phi_index = chart_dispersion(labels, x)
    elif isinstance(dispersion, DispersionResult):
        estimated, phi_star = dispersion, dispersion.phi_star
    else:
        estimated, phi_star = None, max(1.0, float(dispersion))

    # Same calendar month 1, 2 and 3 years earlier (nan before the series starts).
    lagged = np.full((3, size), np.nan)
    for k in (1, 2, 3):
        lagged[k - 1, 12 * k :] = x[: max(size - 12 * k, 0)]
    baseline_n = np.count_nonzero(~np.isnan(lagged), axis=0)
    # Mean of the available same-month values (nanmean would warn on all-missing columns).
    available = np.where(np.isnan(lagged), 0.0, lagged).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = np.where(baseline_n >= 2, available / baseline_n, np.nan)
    has_base = ~np.isnan(mu)
    with np.errstate(invalid="ignore"):
        enough = has_base & (mu >= min_expected)
    judged = enough & ~np.isnan(x)

    bounds = {name: np.full(size, np.nan) for name in _Q}
    p_high = np.full(size, np.nan)
    p_low = np.full(size, np.nan)
    positive = enough & (np.nan_to_num(mu) > 0)
    if positive.any():
        dist = prediction_distribution(
            mu[positive], baseline_n[positive], phi_star, baseline_uncertainty=baseline_uncertainty
        )
        for name, q in _Q.items():
            bounds[name][positive] = dist.ppf(q)
        safe_x = np.where(np.isnan(x[positive]), 0.0, x[positive])
        p_high[positive] = np.where(judged[positive], dist.sf(safe_x - 1), np.nan)
        p_low[positive] = np.where(judged[positive], dist.cdf(safe_x), np.nan)
    # Only reachable with ``min_expected <= 0`` (the old §3.6 path): an expected 0 gives limits
    # 0-0, so any crime is beyond them.
    zero = enough & ~positive
    for name in _Q:
        bounds[name][zero] = 0.0
    p_high[zero & judged] = np.where(x[zero & judged] > 0, 0.0, 1.0)
    p_low[zero & judged] = 1.0

    with np.errstate(invalid="ignore"):
        beyond_998 = np.where(x > bounds["u998"], 1, np.where(x < bounds["l998"], -1, 0))
        beyond_95 = np.where(x > bounds["u95"], 1, np.where(x < bounds["l95"], -1, 0))
        side = np.sign(x - mu)
    status = np.select(
        [np.isnan(x), ~has_base, ~enough, beyond_998 == 1, beyond_998 == -1, beyond_95 == 1,
         beyond_95 == -1],
        ["missing", "no_baseline", "too_few", "alert_high", "alert_low", "watch_high",
         "watch_low"],
        default="within",
    )  # fmt: skip
    patterns = _run_patterns(labels, np.nan_to_num(side), beyond_95) if run_rules else []

    poisson = phi_star == 1.0 and not baseline_uncertainty
    warnings: list[str] = []
    if estimated is not None and estimated.caveat:
        warnings.append(estimated.caveat)
    if phi_star > 1.0:
        warnings.append(OVERDISPERSION_WARNING)
    if (status == "too_few").any():
        warnings.append(
            f"{int((status == 'too_few').sum())} month(s) not judged: {TOO_FEW_TO_JUDGE}"
        )
    return ControlChartResult(
        labels, x, mu, baseline_n, baseline_n == 2, bounds["l95"], bounds["u95"],
        bounds["l998"], bounds["u998"], p_high, p_low, tuple(str(s) for s in status),
        tuple(patterns), estimated, float(phi_star), phi_index, bool(baseline_uncertainty),
        float(min_expected), "poisson" if poisson else "negative binomial prediction",
        tuple(warnings), TREND_NOTE, _METHOD_POISSON if poisson else _METHOD_PREDICTIVE,
    )  # fmt: skip
