"""Overdispersion of a monthly count series (methods reference §10.1).

Police-recorded crime varies more than a Poisson model allows (repeat victims, series offenders,
recording practice, events), so every verdict that assumes Poisson variance is over-confident.
This module estimates the dispersion φ of an area's own monthly series, which the change test,
control limits, harm intervals and RAG rule carry into their variance.

Method: the longest run of complete months (most recent first, at most 36, at least 18), a Poisson
GLM with log link, month-of-year factors and a linear trend in months (statsmodels), and
``φ = Pearson χ² / residual df``; verdicts use ``φ* = max(1, φ)``. With fewer than 18 complete
months (or no crimes) φ is not estimated: ``phi_star`` is 1 and ``caveat`` says so plainly.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from crimestats.methods._common import Counts, Months, ResultMixin, as_float_array
from crimestats.months import index_label, month_index

__all__ = [
    "MAX_MONTHS",
    "MIN_MONTHS",
    "SEASONAL_MIN_MEAN",
    "DispersionBatch",
    "DispersionResult",
    "dispersion_batch",
    "estimate_dispersion",
    "not_estimated",
]

MIN_MONTHS = 18
MAX_MONTHS = 36

_METHOD = (
    "quasi-Poisson dispersion: Poisson GLM (log link) with month-of-year factors and a linear "
    "trend, phi = Pearson chi-squared / residual df, phi* = max(1, phi) "
    "(methods reference §10.1; statsmodels GLM)"
)
_METHOD_TREND = (
    "quasi-Poisson dispersion: Poisson GLM (log link) with a linear trend and no month-of-year "
    "factors (a sparse series: the factors would absorb one-off spikes), phi = Pearson "
    "chi-squared / residual df, phi* = max(1, phi) (methods reference §10.1; statsmodels GLM)"
)
#: Below this mean count a month, callers should fit φ without month-of-year factors
#: (``seasonal=False``): twelve factors on three years of a sparse series absorb one-off spikes
#: and make φ far too small (calibration, docs/methods.md).
SEASONAL_MIN_MEAN = 20.0


@dataclass(frozen=True, slots=True)
class DispersionResult(ResultMixin):
    """The dispersion of a monthly series and how it was estimated.

    Attributes
    ----------
    estimated : bool
        False when the series was too short (or empty); then ``phi`` is None, ``phi_star`` is 1.
    phi : float or None
        Pearson χ² / residual df of the seasonal Poisson GLM.
    phi_star : float
        ``max(1, phi)``: the factor that multiplies Poisson variance in every verdict.
    months_used : int
        Length of the run of complete months the model was fitted to.
    first_month, last_month : str or None
        ``'YYYY-MM'`` bounds of that run.
    pearson_chi2, df_resid : float or None
    trend_per_month : float or None
        Log-linear trend coefficient (per month) of the fitted model.
    trend_se_poisson, trend_se_quasi : float or None
        Its standard error under Poisson and under quasi-Poisson (scaled by φ).
    reason : str or None
        Why φ was not estimated.
    method : str
    """

    estimated: bool
    phi: float | None
    phi_star: float
    months_used: int
    first_month: str | None
    last_month: str | None
    pearson_chi2: float | None
    df_resid: float | None
    trend_per_month: float | None
    trend_se_poisson: float | None
    trend_se_quasi: float | None
    reason: str | None
    method: str = _METHOD

    @property
    def caveat(self) -> str | None:
        """Plain-English caveat for a verdict that had to assume Poisson variance."""
        if self.estimated:
            return None
        return (
            f"Too short to estimate how much the counts vary ({self.reason}); this result assumes "
            "Poisson variation, which usually understates it, so treat it with extra caution."
        )

    @property
    def description(self) -> str:
        """One line saying what φ is and what it was computed from."""
        if not self.estimated:
            return f"dispersion not estimated: {self.reason}; Poisson variance assumed (phi* = 1)"
        return (
            f"dispersion phi = {self.phi:.2f} (phi* = {self.phi_star:.2f}) from "
            f"{self.months_used} complete months {self.first_month} to {self.last_month}, "
            + (
                "seasonal quasi-Poisson model"
                if self.method == _METHOD
                else "quasi-Poisson model with a trend only (too few crimes a month for seasons)"
            )
        )


def not_estimated(reason: str, months_used: int = 0) -> DispersionResult:
    """A result that assumes Poisson variance, saying why φ could not be estimated."""
    return DispersionResult(
        False, None, 1.0, months_used, None, None, None, None, None, None, None, reason
    )


def _latest_complete_run(values: np.ndarray) -> tuple[int, int]:
    """``(start, stop)`` of the longest run of non-missing values (the latest one on ties)."""
    best = (0, 0)
    start = None
    for i, missing in enumerate([*np.isnan(values).tolist(), True]):
        if not missing and start is None:
            start = i
        elif missing and start is not None:
            if i - start >= best[1] - best[0]:
                best = (start, i)
            start = None
    return best


def estimate_dispersion(
    counts: Counts,
    months: Months,
    *,
    min_months: int = MIN_MONTHS,
    max_months: int = MAX_MONTHS,
    seasonal: bool = True,
) -> DispersionResult:
    """Estimate the quasi-Poisson dispersion φ of a monthly series (§10.1).

    Parameters
    ----------
    counts : sequence of int or None
        Monthly counts in calendar order; ``None``/``nan`` marks a missing month (a gap, §1.5).
    months : sequence of str, date or numpy.datetime64
        The months of ``counts`` (consecutive calendar months).
    min_months, max_months : int
        The shortest run that may be used, and the most recent months kept of a longer run.
    seasonal : bool, default True
        Month-of-year factors in the model (§10.1). ``False`` fits the trend only: on sparse
        series (a few crimes a month) the twelve month factors absorb one-off spikes and make φ
        far too small (see :data:`SEASONAL_MIN_MEAN` and docs/methods.md).

    Returns
    -------
    DispersionResult

    Examples
    --------
    >>> nwl = [517, 588, 467, 493, 456, 522, 551, 607, 661, 644, 597, 497, 460, 477, 484, 595,
    ...        594, 565, 626, 598, 586, 559, 672, 608, 596, 610, 636, 792, 635, 688, 825, 658,
    ...        745, 666, 758]
    >>> months = [f"{2019 + (11 + i) // 12}-{(11 + i) % 12 + 1:02d}" for i in range(35)]
    >>> r = estimate_dispersion(nwl, months)
    >>> round(r.phi, 4), r.months_used, r.first_month, r.last_month
    (6.4115, 35, '2019-12', '2022-10')
    >>> estimate_dispersion([3] * 12, months[:12]).reason
    'only 12 complete months (at least 18 needed)'
    """
    values = as_float_array(counts, "counts")
    index = month_index(months)
    if len(index) != len(values):
        raise ValueError("counts and months must have the same length")
    if len(index) > 1 and np.any(np.diff(index) != 1):
        raise ValueError("months must be consecutive calendar months")
    if np.any(values[~np.isnan(values)] < 0):
        raise ValueError("counts must be non-negative")
    start, stop = _latest_complete_run(values)
    start = max(start, stop - max_months)
    used = stop - start
    if used < min_months:
        return not_estimated(f"only {used} complete months (at least {min_months} needed)", used)
    y = values[start:stop]
    if y.sum() == 0:
        return not_estimated("no crimes in the months available", used)
    return _fit(y, index[start:stop], seasonal=seasonal)


def _design(index: np.ndarray, seasonal: bool) -> np.ndarray:
    moy = index % 12
    trend = (index - index[0]).astype(float)
    columns = [np.ones_like(trend), trend]
    if seasonal:
        columns += [(moy == level).astype(float) for level in np.unique(moy)[1:]]
    return np.column_stack(columns)


def _fit(y: np.ndarray, index: np.ndarray, *, seasonal: bool = True) -> DispersionResult:
    import statsmodels.api as sm  # lazy: statsmodels takes ~1 s to import

    X = _design(index, seasonal)
    with warnings.catch_warnings():
        # Sparse series give months with no crimes, whose coefficient runs off to -inf; the
        # fitted means are still right (≈ 0) and so is the Pearson statistic.
        warnings.simplefilter("ignore")
        result = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    df_resid = float(result.df_resid)
    if df_resid <= 0:
        return not_estimated("too few months for the seasonal model", len(y))
    chi2 = float(result.pearson_chi2)
    phi = chi2 / df_resid
    if not math.isfinite(phi):
        return not_estimated("the seasonal model could not be fitted", len(y))
    se_poisson = float(result.bse[1])
    return DispersionResult(
        estimated=True,
        phi=phi,
        phi_star=max(1.0, phi),
        months_used=len(y),
        first_month=index_label(int(index[0])),
        last_month=index_label(int(index[-1])),
        pearson_chi2=chi2,
        df_resid=df_resid,
        trend_per_month=float(result.params[1]),
        trend_se_poisson=se_poisson,
        trend_se_quasi=se_poisson * math.sqrt(phi),
        reason=None,
        method=_METHOD if seasonal else _METHOD_TREND,
    )


@dataclass(frozen=True, slots=True)
class DispersionBatch:
    """φ for many complete series of the same months at once (see :func:`dispersion_batch`).

    Attributes
    ----------
    phi : numpy.ndarray
        Pearson χ² / residual df per series (``nan`` where not estimated: no crimes).
    phi_star : numpy.ndarray
        ``max(1, φ)``; 1 where φ was not estimated.
    df_resid : float
        Residual degrees of freedom of the seasonal model (the same for every series).
    estimated : numpy.ndarray of bool
    """

    phi: np.ndarray
    phi_star: np.ndarray
    df_resid: float
    estimated: np.ndarray


def dispersion_batch(
    counts: Counts, months: Months, *, seasonal: bool = True, iterations: int = 60
) -> DispersionBatch:
    """The §10.1 estimate for many complete series of the same months, vectorised.

    The same model as :func:`estimate_dispersion` (Poisson GLM, log link, month-of-year factors
    and a linear trend; ``φ = Pearson χ² / residual df``) fitted by iteratively reweighted least
    squares over all series at once, so a calibration can estimate φ for thousands of simulated
    histories exactly as the platform does for one. ``counts`` is ``(n_series, n_months)`` with
    no gaps and at least :data:`MIN_MONTHS` months (the caller has chosen the run); each row
    agrees with :func:`estimate_dispersion` to about 1e-8 (tested).
    """
    y = np.asarray(counts, dtype=float)
    if y.ndim != 2:
        raise ValueError("counts must be two-dimensional (series × months)")
    index = month_index(months)
    if len(index) != y.shape[1]:
        raise ValueError("counts and months must have the same length")
    if y.shape[1] < MIN_MONTHS:
        raise ValueError(f"at least {MIN_MONTHS} months are needed")
    X = _design(index, seasonal)
    df_resid = float(y.shape[1] - X.shape[1])
    if df_resid <= 0:
        raise ValueError("too few months for the seasonal model")
    estimated = y.sum(axis=1) > 0
    mu = np.where(estimated[:, None], y + y.mean(axis=1, keepdims=True) / 10 + 1e-3, 1.0)
    eta = np.log(mu)
    ridge = 1e-12 * np.eye(X.shape[1])
    chi2 = np.full(len(y), np.inf)
    for _ in range(iterations):
        z = eta + (y - mu) / mu
        xtw = X.T[None, :, :] * mu[:, None, :]
        beta = np.linalg.solve(xtw @ X + ridge, (xtw @ z[:, :, None]))[:, :, 0]
        eta = np.clip(beta @ X.T, -50.0, 50.0)
        mu = np.exp(eta)
        previous, chi2 = chi2, ((y - mu) ** 2 / mu).sum(axis=1)
        if np.all(np.abs(chi2 - previous) <= 1e-11 * np.maximum(chi2, 1e-3)):
            break
    phi = np.where(estimated, chi2 / df_resid, np.nan)
    phi_star = np.where(estimated, np.maximum(1.0, np.nan_to_num(phi, nan=1.0)), 1.0)
    return DispersionBatch(phi, phi_star, df_resid, estimated)
