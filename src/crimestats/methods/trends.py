"""Rolling sums, seasonal index and Mann–Kendall trend tests for monthly counts (§3.3–§3.5).

Missing months are ``nan`` (or ``None``) in the input: they are excluded from Kendall's S but
keep their time position, so Sen's slope is measured in real months (§3.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from crimestats.methods._common import Counts, Months, ResultMixin, as_float_array, two_sided_p
from crimestats.months import month_index

__all__ = [
    "AUTOCORRELATION_CAVEAT",
    "deseasonalised",
    "MIN_TREND_NONZERO_MONTHS",
    "MIN_TREND_TOTAL",
    "MIN_SEASONAL_TOTAL",
    "SEASONALITY_ALPHA",
    "MannKendallResult",
    "RollingResult",
    "SeasonalIndexResult",
    "SeasonalityTest",
    "SensitivityCheck",
    "TrendResult",
    "hamed_rao",
    "mann_kendall",
    "rolling_sum",
    "seasonal_index",
    "seasonal_mann_kendall",
    "seasonality_p_values",
    "seasonality_test",
    "sen_slope_interval",
    "trend_free_prewhitening",
    "trend_test",
]

AUTOCORRELATION_CAVEAT = (
    "Mann-Kendall assumes independent observations. Monthly crime counts are usually positively "
    "autocorrelated and seasonal, which makes the plain test over-confident; read the result "
    "as indicative. Recorded crime also reflects reporting and recording practice."
)
TOO_SHORT = "too short for a trend test"

_MK_METHOD = (
    "Mann-Kendall trend test with tie correction (Mann 1945; Kendall 1975) and Sen's slope "
    "(Sen 1968), intercept by Conover (1980); = pymannkendall.original_test "
    "(methods reference §3.5)"
)
_SMK_METHOD = (
    "seasonal Kendall test (Hirsch, Slack & Smith 1982) with seasonal Sen slope (Hipel 1994); "
    "= pymannkendall.seasonal_test(period=12) (methods reference §3.5)"
)


@dataclass(frozen=True, slots=True)
class RollingResult(ResultMixin):
    """Rolling sums over ``window`` months (§3.3).

    Attributes
    ----------
    sums : numpy.ndarray
        ``sums[t] = Σ x[t−window+1..t]``; ``nan`` when ``t < window − 1`` or any month in the
        window is missing.
    window : int
    method : str
    """

    sums: np.ndarray
    window: int
    method: str = "rolling sum requiring every month in the window (methods reference §3.3)"


def rolling_sum(counts: Counts, window: int = 12) -> RollingResult:
    """Rolling 12-month (by default) sums that need all months present (§3.3).

    Parameters
    ----------
    counts : array_like
        Monthly counts in time order, ``nan``/``None`` for missing months, no gaps in the
        sequence of months.
    window : int, default 12

    Returns
    -------
    RollingResult

    Notes
    -----
    Do not test overlapping windows against each other and do not run trend tests on rolling
    sums (heavy autocorrelation); the headline comparison is latest 12 vs previous 12 months
    with :func:`crimestats.methods.comparison.two_period_test`.

    Examples
    --------
    >>> rolling_sum([1, 2, 3, None, 5], window=2).sums.tolist()
    [nan, 3.0, 5.0, nan, nan]
    """
    x = as_float_array(counts, "counts")
    sums = np.full(x.shape, np.nan)
    if x.size >= window:
        windows = np.lib.stride_tricks.sliding_window_view(x, window)
        sums[window - 1 :] = windows.sum(axis=1)  # nan propagates: any missing month → nan
    return RollingResult(sums, window)


#: A seasonal pattern is claimed only when the test of equal months gives p below this.
SEASONALITY_ALPHA = 0.05
#: Fewer crimes than this in the years used: too few to judge a seasonal pattern.
MIN_SEASONAL_TOTAL = 12
#: Random within-year permutations of the Monte Carlo test (fixed seed: same data, same p).
PERMUTATIONS = 999
_PERMUTATION_SEED = 20261205

_SEASONALITY_METHOD = (
    "test of equal months: within-year permutation test (999 random permutations, fixed seed) "
    "of the month-of-year sums of counts divided by a log-linear trend fitted by Poisson GLM; "
    "p = (1 + exceedances)/(1 + 999) (Edgington & Onghena 2007; Phipson & Smyth 2010)"
)


@dataclass(frozen=True, slots=True)
class SeasonalityTest(ResultMixin):
    """Is there a seasonal pattern at all? A within-year permutation test of equal months.

    Attributes
    ----------
    tested : bool
    statistic : float or None
        ``Σ_m R_m²`` where ``R_m`` sums ``x/μ̂`` over the years for calendar month m
        (``μ̂``: a log-linear trend fitted to the months used).
    p : float or None
        Monte Carlo p-value ``(1 + #{T* ≥ T})/(1 + B)`` over ``B`` within-year permutations.
    permutations : int
    years : int
        Complete calendar years used.
    total : float
        Crimes in the months used.
    seasonal : bool
        ``p < alpha``: there is evidence of a seasonal pattern.
    alpha : float
    reason : str or None
        Why no test was run (no crimes, too few crimes).
    method : str
    """

    tested: bool
    statistic: float | None
    p: float | None
    permutations: int
    years: int
    total: float
    seasonal: bool
    alpha: float
    reason: str | None
    method: str = _SEASONALITY_METHOD


def _poisson_irls(y: np.ndarray, X: np.ndarray, iterations: int = 60) -> np.ndarray:
    """Fitted means of Poisson GLMs (log link) for each row of ``y`` (batched IRLS).

    ``y`` is (series, months), ``X`` the shared (months, parameters) design; equals statsmodels
    ``GLM(y, X, family=Poisson()).fit().fittedvalues`` (tested).
    """
    mu: np.ndarray = np.maximum(y, 0.0) + 0.5
    eta: np.ndarray = np.log(mu)
    for _ in range(iterations):
        z = eta + (y - mu) / mu
        xtw = X.T[None, :, :] * mu[:, None, :]  # (series, params, months)
        beta = np.linalg.solve(xtw @ X[None, :, :], (xtw @ z[:, :, None]))[:, :, 0]
        new_eta: np.ndarray = np.clip(beta @ X.T, -23.0, 30.0)
        new_mu: np.ndarray = np.exp(new_eta)
        if np.allclose(new_mu, mu, rtol=1e-10, atol=1e-12):
            return new_mu
        eta, mu = new_eta, new_mu
    return mu


def seasonality_p_values(
    counts: Counts,
    positions: Any = None,
    permutations: int = PERMUTATIONS,
    seed: int = _PERMUTATION_SEED,
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised within-year permutation test of equal months for many series at once.

    Parameters
    ----------
    counts : array_like
        (series, 12·K) or (12·K,) complete counts, January to December of K calendar years, in
        time order; every series must have at least one crime.
    positions : array_like, optional
        Month positions of the columns for the trend (default ``0..12K−1``; years need not be
        consecutive).
    permutations : int, default 999
    seed : int
        The same permutations are used for every series (a fixed seed makes p reproducible).

    Returns
    -------
    (statistic, p) : arrays, one value per series

    Notes
    -----
    Under "no seasonal pattern" the months of a year are exchangeable once a smooth trend is
    divided out, so shuffling the months within each year gives the exact (Monte Carlo)
    distribution of any statistic, whatever the counts' dispersion or sparsity; a χ² or
    quasi-Poisson F test of month factors is not reliable with few, bursty crimes. The trend
    (log-linear, Poisson GLM) keeps a rising series from looking like "later months are higher".
    """
    y = np.atleast_2d(np.asarray(counts, dtype=float))
    n_series, n = y.shape
    if n % 12:
        raise ValueError("counts must cover whole calendar years")
    years = n // 12
    t = np.arange(n, dtype=float) if positions is None else np.asarray(positions, dtype=float)
    design = np.column_stack([np.ones(n), (t - t.mean()) / max(t.std(), 1.0)])
    ratio = (y / _poisson_irls(y, design)).reshape(n_series, years, 12)
    observed = np.sum(ratio.sum(axis=1) ** 2, axis=1)
    order = np.argsort(np.random.default_rng(seed).random((permutations, years, 12)), axis=2)
    exceed = np.zeros(n_series)
    for start in range(0, n_series, 64):
        chunk = ratio[start : start + 64]
        sums = np.zeros((chunk.shape[0], permutations, 12))
        for k in range(years):
            sums += chunk[:, k, :][:, order[:, k, :]]
        stats_perm = np.sum(sums**2, axis=2)
        exceed[start : start + 64] = np.sum(
            stats_perm >= observed[start : start + 64, None] * (1 - 1e-12), axis=1
        )
    return observed, (1.0 + exceed) / (1.0 + permutations)


def seasonality_test(
    months: Months, counts: Counts, alpha: float = SEASONALITY_ALPHA
) -> SeasonalityTest:
    """Test of equal months (no seasonal pattern) on complete calendar years of counts.

    Parameters
    ----------
    months : sequence of str or datetime.date
        January to December of consecutive complete years (as :func:`seasonal_index` uses).
    counts : array_like
        Counts for those months, none missing.
    alpha : float, default 0.05

    Returns
    -------
    SeasonalityTest
        Not tested with fewer than :data:`MIN_SEASONAL_TOTAL` crimes (no crimes: "no seasonal
        pattern to show").

    Notes
    -----
    See :func:`seasonality_p_values`. Calibrated in :mod:`crimestats.calibration.seasonal`.

    Examples
    --------
    >>> months = [f"{y}-{m:02d}" for y in (2021, 2022, 2023) for m in range(1, 13)]
    >>> flat = seasonality_test(months, [10, 12, 9, 11, 10, 8, 12, 11, 9, 10, 11, 10,
    ...                                  9, 11, 12, 8, 10, 11, 9, 12, 10, 11, 8, 10,
    ...                                  11, 9, 10, 12, 9, 10, 11, 8, 12, 9, 10, 11])
    >>> flat.seasonal, flat.p > 0.5
    (False, True)
    >>> same = seasonality_test(months, [10, 12, 9, 11, 10, 8, 12, 11, 9, 10, 11, 10] * 3)
    >>> same.seasonal  # the same pattern three years running is a pattern
    True
    """
    x = as_float_array(counts, "counts")
    index = month_index(months)
    if np.isnan(x).any():
        raise ValueError("the test needs complete months")
    blocks = index.reshape(-1, 12) if index.size % 12 == 0 else None
    if blocks is None or np.any(blocks % 12 != np.arange(12)) or np.any(np.diff(blocks) != 1):
        raise ValueError("the test needs complete calendar years, January to December")
    total = float(np.sum(x))
    years = int(x.size // 12)
    if total < MIN_SEASONAL_TOTAL:
        reason = (
            "no crimes in the years used, so there is no seasonal pattern to show"
            if total == 0
            else f"too few crimes to judge a seasonal pattern ({total:.0f} in {x.size} months; "
            f"needs at least {MIN_SEASONAL_TOTAL})"
        )
        return SeasonalityTest(False, None, None, 0, years, total, False, alpha, reason)
    statistic, p = (float(v[0]) for v in seasonality_p_values(x, index - index[0]))
    return SeasonalityTest(True, statistic, p, PERMUTATIONS, years, total, bool(p < alpha), alpha,
                           None)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SeasonalIndexResult(ResultMixin):
    """Seasonal index by calendar month (§3.4), shown only when a test finds a pattern.

    Attributes
    ----------
    computed : bool
        An index is shown (enough complete years, some crimes, and a seasonal pattern).
    index : tuple of 12 floats or None
        ``SI_m`` for January..December; averages exactly 1. None when withheld.
    years_used : tuple of int
        The complete calendar years used (most recent first).
    reason : str or None
        Why no index is shown (too few years; no crimes; no evidence of a seasonal pattern,
        with the test's p).
    test : SeasonalityTest or None
        The test of equal months on the years used (None when there were too few years or
        ``test=False``).
    method : str
    """

    computed: bool
    index: tuple[float, ...] | None
    years_used: tuple[int, ...]
    reason: str | None
    test: SeasonalityTest | None = None
    method: str = (
        "seasonal index: month mean over K complete calendar years / overall monthly mean, "
        "K >= 3, no days-in-month adjustment (methods reference §3.4), shown only when a "
        "within-year permutation test of equal months finds a pattern (p < 0.05)"
    )

    def adjust(self, months: Months, counts: Counts) -> np.ndarray:
        """Seasonally adjusted counts ``x_t / SI_month(t)`` (``nan`` when no index)."""
        x = as_float_array(counts, "counts")
        if self.index is None:
            return np.full(x.shape, np.nan)
        calendar = month_index(months) % 12
        adjusted: np.ndarray = x / np.asarray(self.index)[calendar]
        return adjusted


def seasonal_index(
    months: Months,
    counts: Counts,
    min_years: int = 3,
    max_years: int | None = None,
    *,
    test: bool = True,
    alpha: float = SEASONALITY_ALPHA,
) -> SeasonalIndexResult:
    """Seasonal index from the most recent complete calendar years (§3.4), tested first.

    Parameters
    ----------
    months : sequence of str or datetime.date
        ``'YYYY-MM'`` labels or dates, one per count.
    counts : array_like
        Monthly counts; ``nan``/``None`` marks a missing month.
    min_years : int, default 3
        Fewer complete years (January–December, no missing month) gives no index.
    max_years : int, optional
        Use at most this many of the most recent complete years (default: all).
    test : bool, default True
        Run :func:`seasonality_test` on the years used and withhold the index unless it finds a
        seasonal pattern. ``False`` gives the untested index of §3.4 (§9.10 reference values).
    alpha : float, default 0.05

    Returns
    -------
    SeasonalIndexResult

    Notes
    -----
    ``SI_m = mean_k(x_{k,m}) / mean_{k,m}(x_{k,m})``. February's short length is part of its
    index (no days-in-month adjustment). Years with no crimes at all give no index (never
    ``nan``), with the reason.

    Examples
    --------
    >>> months = [f"{y}-{m:02d}" for y in (2021, 2022, 2023) for m in range(1, 13)]
    >>> r = seasonal_index(months, [10] * 35 + [22], test=False)
    >>> round(sum(r.index) / 12, 12), r.years_used
    (1.0, (2023, 2022, 2021))
    >>> seasonal_index(months[:24], [10] * 24).reason
    'fewer than 3 complete calendar years without missing months (found 2)'
    >>> seasonal_index(months, [0] * 36).reason
    'no crimes in the years used, so there is no seasonal pattern to show'
    """
    index = month_index(months)
    x = as_float_array(counts, "counts")
    if index.shape != x.shape:
        raise ValueError("months and counts must have the same length")
    first_year, last_year = int(index.min()) // 12, int(index.max()) // 12
    grid = np.full((last_year - first_year + 1, 12), np.nan)
    grid[index // 12 - first_year, index % 12] = x
    complete = np.flatnonzero(~np.isnan(grid).any(axis=1))[::-1]  # most recent first
    if max_years is not None:
        complete = complete[:max_years]
    used = tuple(int(first_year + k) for k in complete)
    if complete.size < min_years:
        return SeasonalIndexResult(
            False,
            None,
            used,
            f"fewer than {min_years} complete calendar years without missing months "
            f"(found {complete.size})",
        )
    years = grid[complete]
    if years.sum() == 0:
        reason = "no crimes in the years used, so there is no seasonal pattern to show"
        return SeasonalIndexResult(False, None, used, reason)
    si = tuple(float(v) for v in years.mean(axis=0) / years.mean())
    if not test:
        return SeasonalIndexResult(True, si, used, None)
    chronological = np.sort(complete)
    labels = [f"{first_year + k}-{m:02d}" for k in chronological for m in range(1, 13)]
    result = seasonality_test(labels, grid[chronological].ravel(), alpha)
    if not result.tested:
        return SeasonalIndexResult(False, None, used, result.reason, result)
    if not result.seasonal:
        reason = (
            f"no evidence of a seasonal pattern: the months differ no more than chance allows "
            f"(test of equal months p = {result.p:.2f})"
        )
        return SeasonalIndexResult(False, None, used, reason, result)
    return SeasonalIndexResult(True, si, used, None, result)


@dataclass(frozen=True, slots=True)
class MannKendallResult(ResultMixin):
    """Mann–Kendall (or seasonal Kendall) test with Sen's slope; fields as pymannkendall.

    Attributes
    ----------
    n : int
        Non-missing observations used for S.
    s : float
        Kendall's S.
    var_s : float
        Tie-corrected variance of S.
    z, p : float
        Continuity-corrected z and two-sided p.
    tau : float
        ``S / (n(n−1)/2)`` (summed over seasons for the seasonal test).
    trend : str
        ``"increasing"``, ``"decreasing"`` or ``"no trend"`` at ``alpha``.
    h : bool
    slope : float
        Sen's slope: crimes per month (plain test) or crimes per month per year (seasonal).
    intercept : float
        Conover intercept (pymannkendall convention).
    slope_unit : str
    seasonal : bool
    alpha : float
    method : str
    slope_lower, slope_upper : float
        Rank-based ``1 − alpha`` interval for Sen's slope (Sen 1968 eq. 2.6; Gilbert 1987
        §16.5; Hollander & Wolfe): with ``N`` pairwise slopes sorted and
        ``C = z_{1−α/2}·√Var(S)``, the lower limit is slope number ``round((N − C)/2)`` and the
        upper number ``round((N + C)/2) + 1`` (1-based, clipped to 1..N), as R's
        ``trend::sens.slope`` and ``scipy.stats.theilslopes``. ``nan`` with fewer than 2 slopes.
    """

    n: int
    s: float
    var_s: float
    z: float
    p: float
    tau: float
    trend: str
    h: bool
    slope: float
    intercept: float
    slope_unit: str
    seasonal: bool
    alpha: float
    method: str
    slope_lower: float = float("nan")
    slope_upper: float = float("nan")


def _s_and_var(columns: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kendall S, tie-corrected Var(S) and n for each column of a (time, column) array.

    Missing values (``nan``) are dropped from the pairs, as pymannkendall removes them.
    """
    valid = ~np.isnan(columns)
    n = valid.sum(axis=0)
    # diff[i, j, c] = x[j, c] − x[i, c]; only pairs i < j with both values present count.
    diff = columns[None, :, :] - columns[:, None, :]
    upper = np.triu(np.ones((columns.shape[0],) * 2, dtype=bool), k=1)[:, :, None]
    pair = upper & valid[:, None, :] & valid[None, :, :]
    s = np.where(pair, np.sign(np.nan_to_num(diff)), 0.0).sum(axis=(0, 1))
    # Tie groups: count equal values among the valid ones (equal-pair count per value).
    same = (diff == 0) & valid[:, None, :] & valid[None, :, :]
    tie_size = same.sum(axis=1)  # t_g for the group each observation belongs to
    # Σ_g t(t−1)(2t+5) = Σ_obs (t−1)(2t+5), because each group of size t has t members.
    ties = np.where(valid, (tie_size - 1) * (2 * tie_size + 5), 0).sum(axis=0)
    var = (n * (n - 1) * (2 * n + 5) - ties) / 18.0
    return s, var, n


def _z_p_trend(s: float, var_s: float, alpha: float) -> tuple[float, float, str, bool]:
    """Continuity-corrected z, two-sided p and trend label as pymannkendall."""
    if s == 0:
        z = 0.0
    elif var_s > 0:
        z = (s - np.sign(s)) / np.sqrt(var_s)
    else:  # a Hamed-Rao ratio ≤ 0 (strong negative autocorrelation): no valid test
        z = float("nan")
    p = float(two_sided_p(z))
    h = bool(abs(z) > stats.norm.ppf(1 - alpha / 2))
    trend = ("increasing" if z > 0 else "decreasing") if h else "no trend"
    return float(z), p, trend, h


def _pair_slopes(columns: np.ndarray) -> np.ndarray:
    """All ``(x_j − x_i)/(j − i)`` for i < j in each column, missing pairs dropped."""
    t = np.arange(columns.shape[0], dtype=float)
    i, j = np.triu_indices(columns.shape[0], k=1)
    slopes: np.ndarray = (columns[j] - columns[i]) / (t[j] - t[i])[:, None]
    kept: np.ndarray = slopes[~np.isnan(slopes)]
    return kept


def sen_slope_interval(
    slopes: np.ndarray, var_s: float, alpha: float = 0.05
) -> tuple[float, float]:
    """Rank-based confidence interval for Sen's slope (Sen 1968 eq. 2.6; Gilbert 1987 §16.5).

    Parameters
    ----------
    slopes : numpy.ndarray
        All pairwise slopes (``nan`` already removed).
    var_s : float
        Tie-corrected ``Var(S)`` of the Kendall statistic the slopes belong to (summed over
        seasons for the seasonal slope).
    alpha : float, default 0.05

    Returns
    -------
    (lower, upper) : tuple of float
        Slopes number ``round((N − C)/2)`` and ``round((N + C)/2) + 1`` of the ``N`` sorted
        slopes (1-based, clipped to 1..N), ``C = z_{1−α/2}·√Var(S)``; the convention of R's
        ``trend::sens.slope`` and ``scipy.stats.theilslopes`` (``numpy.round``: halves to even).

    Examples
    --------
    >>> x = [42, 38, 45, 40, 39, 44, 47, 41, 43, 46, 48, 45,
    ...      50, 44, 49, 52, 47, 51, 53, 49, 55, 50, 54, 56]
    >>> r = mann_kendall(x)
    >>> round(r.slope_lower, 7), round(r.slope_upper, 7)
    (0.5, 0.8181818)
    """
    ordered = np.sort(slopes)
    n = ordered.size
    if n < 2 or not np.isfinite(var_s) or var_s <= 0:
        return float("nan"), float("nan")
    c = stats.norm.ppf(1 - alpha / 2) * np.sqrt(var_s)
    lower = min(max(int(np.round((n - c) / 2)), 1), n)
    upper = min(max(int(np.round((n + c) / 2)) + 1, 1), n)
    return float(ordered[lower - 1]), float(ordered[upper - 1])


def mann_kendall(counts: Counts, alpha: float = 0.05) -> MannKendallResult:
    """Mann–Kendall trend test with tie correction and Sen's slope (§3.5).

    Parameters
    ----------
    counts : array_like
        Monthly counts in time order; ``nan``/``None`` for missing months.
    alpha : float, default 0.05

    Returns
    -------
    MannKendallResult
        Slope in crimes per month.

    Notes
    -----
    Matches ``pymannkendall.original_test``: missing values are removed for S, Var(S) and tau;
    Sen's slope is the median of ``(x_j − x_i)/(j − i)`` over the original time positions, and
    the intercept is ``median(x) − median(t)·slope``. Vectorised with broadcasting.

    Examples
    --------
    >>> x = [42, 38, 45, 40, 39, 44, 47, 41, 43, 46, 48, 45,
    ...      50, 44, 49, 52, 47, 51, 53, 49, 55, 50, 54, 56]
    >>> r = mann_kendall(x)
    >>> r.s, round(r.var_s, 6), round(r.z, 6), r.trend, round(r.slope, 7)
    (193.0, 1620.333333, 4.769788, 'increasing', 0.6201923)
    """
    x = as_float_array(counts, "counts")
    s, var, n = (float(v[0]) for v in _s_and_var(x[:, None]))
    z, p, trend, h = _z_p_trend(s, var, alpha)
    slopes = _pair_slopes(x[:, None])
    slope = float(np.median(slopes))
    lower, upper = sen_slope_interval(slopes, var, alpha)
    positions = np.flatnonzero(~np.isnan(x))
    intercept = float(np.nanmedian(x) - np.median(positions) * slope)
    return MannKendallResult(
        int(n), s, var, z, p, s / (0.5 * n * (n - 1)), trend, h, slope, intercept,
        "crimes per month", False, alpha, _MK_METHOD, lower, upper,
    )  # fmt: skip


def seasonal_mann_kendall(
    counts: Counts, period: int = 12, alpha: float = 0.05
) -> MannKendallResult:
    """Seasonal Kendall test with seasonal Sen slope (Hirsch, Slack & Smith 1982), §3.5.

    Parameters
    ----------
    counts : array_like
        Monthly counts in time order starting at any calendar month; ``nan`` for missing.
    period : int, default 12
    alpha : float, default 0.05

    Returns
    -------
    MannKendallResult
        Slope in crimes per month per year (change of the same calendar month year on year).

    Notes
    -----
    Matches ``pymannkendall.seasonal_test(x, period)`` and ``seasonal_sens_slope``: the series
    is padded with ``nan`` to whole periods, S and Var(S) are summed over seasons, the slope is
    the median of all within-season pairwise slopes (per period), and the intercept is
    ``median(x) − median(t)/period·slope``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.tile(np.arange(12.0), 3) + np.repeat([0.0, 2.0, 4.0], 12)
    >>> r = seasonal_mann_kendall(x)
    >>> r.s, r.slope, r.trend
    (36.0, 2.0, 'increasing')
    """
    x = as_float_array(counts, "counts")
    padded = np.pad(x, (0, (-x.size) % period), constant_values=np.nan)
    seasons = padded.reshape(-1, period)  # rows = cycles (years), columns = seasons (months)
    s_col, var_col, n_col = _s_and_var(seasons)
    s, var = float(s_col.sum()), float(var_col.sum())
    denom = float((0.5 * n_col * (n_col - 1)).sum())
    z, p, trend, h = _z_p_trend(s, var, alpha)
    slopes = _pair_slopes(seasons)
    slope = float(np.median(slopes)) if slopes.size else float("nan")
    lower, upper = sen_slope_interval(slopes, var, alpha)
    positions = np.flatnonzero(~np.isnan(x))
    intercept = float(np.nanmedian(x) - np.median(positions) / period * slope)
    return MannKendallResult(
        int(n_col.sum()), s, var, z, p, s / denom, trend, h, slope, intercept,
        "crimes per month per year", True, alpha, _SMK_METHOD, lower, upper,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class SensitivityCheck(ResultMixin):
    """A Mann–Kendall variant that allows for autocorrelation (sensitivity check, §3.5).

    Attributes
    ----------
    name : str
        ``"hamed_rao"`` or ``"trend_free_prewhitening"``.
    label : str
        Plain-English name.
    n : int
        Observations the statistic used (one fewer after pre-whitening).
    s, var_s, z, p : float
    trend : str
        ``"increasing"``, ``"decreasing"`` or ``"no trend"`` at ``alpha``.
    detail : str
        The correction applied (variance ratio, lag-1 autocorrelation).
    method : str
    """

    name: str
    label: str
    n: int
    s: float
    var_s: float
    z: float
    p: float
    trend: str
    detail: str
    method: str


def _acf(x: np.ndarray, nlags: int) -> np.ndarray:
    """Autocorrelations at lags 0..nlags with the biased (divide by n) autocovariance."""
    y = x - x.mean()
    n = y.size
    acov = np.correlate(y, y, "full")[n - 1 :] / n
    return acov[: nlags + 1] / acov[0] if acov[0] > 0 else np.zeros(nlags + 1)


def _plain_slope(x: np.ndarray) -> float:
    slopes = _pair_slopes(x[:, None])
    return float(np.median(slopes)) if slopes.size else float("nan")


def hamed_rao(counts: Counts, alpha: float = 0.05) -> SensitivityCheck:
    """Mann–Kendall with the Hamed & Rao (1998) variance correction for autocorrelation.

    The series is detrended with Sen's slope, ranked, and ``Var(S)`` is multiplied by
    ``1 + 2/(n(n−1)(n−2))·Σ_k (n−k)(n−k−1)(n−k−2)·ρ_k`` over the lags whose rank
    autocorrelation ``ρ_k`` lies outside ``±z_{1−α/2}/√n``. Missing months are dropped
    (as pymannkendall). Matches ``pymannkendall.hamed_rao_modification_test(x, alpha)``.

    Examples
    --------
    >>> r = hamed_rao([42, 38, 45, 40, 39, 44, 47, 41, 43, 46, 48, 45,
    ...                50, 44, 49, 52, 47, 51, 53, 49, 55, 50, 54, 56])
    >>> r.s, r.trend
    (193.0, 'increasing')
    """
    raw = as_float_array(counts, "counts")
    x = raw[~np.isnan(raw)]
    n = x.size
    s, var, _ = (float(v[0]) for v in _s_and_var(x[:, None]))
    slope = _plain_slope(raw)
    ranks = stats.rankdata(x - np.arange(1, n + 1) * slope)
    rho = _acf(ranks, n - 1)
    bound = stats.norm.ppf(1 - alpha / 2) / np.sqrt(n)
    k = np.arange(1, n)
    significant = np.abs(rho[1:]) > bound
    total = float(np.sum(np.where(significant, (n - k) * (n - k - 1) * (n - k - 2) * rho[1:], 0)))
    ratio = 1 + 2 / (n * (n - 1) * (n - 2)) * total
    var_corrected = var * ratio
    z, p, trend, _ = _z_p_trend(s, var_corrected, alpha)
    return SensitivityCheck(
        "hamed_rao", "allowing for autocorrelation (Hamed-Rao variance correction)", int(n), s,
        var_corrected, z, p, trend,
        f"variance of S multiplied by {ratio:.2f} for autocorrelation at "
        f"{int(significant.sum())} lag(s)",
        "Mann-Kendall with Hamed & Rao (1998) variance correction on ranks of the Sen-detrended "
        "series; = pymannkendall.hamed_rao_modification_test",
    )  # fmt: skip


def trend_free_prewhitening(counts: Counts, alpha: float = 0.05) -> SensitivityCheck:
    """Mann–Kendall after trend-free pre-whitening (Yue, Pilon, Phinney & Cavadias 2002).

    The series is detrended with Sen's slope, its lag-1 autocorrelation ``r`` removed
    (``y_t − r·y_{t−1}``), the trend added back, and the plain test run on the ``n − 1``
    values. Missing months are dropped (as pymannkendall). Matches
    ``pymannkendall.trend_free_pre_whitening_modification_test(x, alpha)``.
    """
    raw = as_float_array(counts, "counts")
    x = raw[~np.isnan(raw)]
    n = x.size
    slope = _plain_slope(raw)
    detrended = x - np.arange(1, n + 1) * slope
    r1 = float(_acf(detrended, 1)[1])
    whitened = detrended[1:] - detrended[:-1] * r1
    whitened = whitened + np.arange(1, n) * slope
    s, var, m = (float(v[0]) for v in _s_and_var(whitened[:, None]))
    z, p, trend, _ = _z_p_trend(s, var, alpha)
    return SensitivityCheck(
        "trend_free_prewhitening", "after removing month-to-month autocorrelation "
        "(trend-free pre-whitening)", int(m), s, var, z, p, trend,
        f"lag-1 autocorrelation {r1:.2f} removed",
        "Mann-Kendall after trend-free pre-whitening (Yue et al. 2002); = pymannkendall."
        "trend_free_pre_whitening_modification_test",
    )  # fmt: skip


def deseasonalised(counts: Counts, period: int = 12) -> np.ndarray:
    """The series minus the mean of its own calendar month (``nan`` kept), so a seasonal
    pattern is not read as autocorrelation or trend by the sensitivity checks; a trend within
    each calendar month is kept.

    Examples
    --------
    >>> deseasonalised([1, 5, 3, 7], period=2).tolist()
    [-1.0, -1.0, 1.0, 1.0]
    """
    x = as_float_array(counts, "counts")
    season = np.arange(x.size) % period
    out = np.full(x.shape, np.nan)
    for m in range(period):
        values = x[season == m]
        if np.any(~np.isnan(values)):
            out[season == m] = values - np.nanmean(values)
    return out


#: A trend verdict needs at least this many crimes in total …
MIN_TREND_TOTAL = 10
#: … spread over at least this many months with a crime.
MIN_TREND_NONZERO_MONTHS = 6
TOO_FEW_FOR_TREND = "too few crimes to judge a trend"


@dataclass(frozen=True, slots=True)
class TrendResult(ResultMixin):
    """Trend test chosen by series length (§3.5), with its sensitivity checks and verdict.

    Attributes
    ----------
    run : bool
    test : str or None
        ``"seasonal_kendall"`` (n ≥ 24) or ``None``.
    n_months : int
        Non-missing months.
    result : MannKendallResult or None
    reason : str or None
        ``"too short for a trend test"`` when n < 24; ``"too few crimes to judge a trend …"``
        when the series has fewer than :data:`MIN_TREND_TOTAL` crimes or fewer than
        :data:`MIN_TREND_NONZERO_MONTHS` months with a crime.
    caveat : str
        The autocorrelation caveat, always shown.
    total : float
        Crimes in the months used.
    nonzero_months : int
    checks : tuple of SensitivityCheck
        Hamed–Rao and trend-free pre-whitening tests on the monthly series with its
        month-of-year means removed (:func:`deseasonalised`); shown beside the verdict.
    verdict : str or None
        ``"increasing"`` / ``"decreasing"`` only when the test is significant at ``alpha`` *and*
        the slope interval excludes 0 (the words follow the interval), otherwise
        ``"no clear trend"``; None when not run.
    robust : bool or None
        The sensitivity checks agree with the verdict (None when not run).
    verdict_text : str
        The plain-English sentence for a report.
    method : str
    """

    run: bool
    test: str | None
    n_months: int
    result: MannKendallResult | None
    reason: str | None
    caveat: str = AUTOCORRELATION_CAVEAT
    total: float = 0.0
    nonzero_months: int = 0
    checks: tuple[SensitivityCheck, ...] = ()
    verdict: str | None = None
    robust: bool | None = None
    verdict_text: str = ""
    method: str = "trend test chosen by series length (methods reference §3.5)"


def _verdict(mk: MannKendallResult, checks: tuple[SensitivityCheck, ...]) -> tuple[str, bool, str]:
    excludes_zero = mk.slope_lower > 0 or mk.slope_upper < 0
    verdict = mk.trend if (mk.h and excludes_zero) else "no clear trend"
    agree = [c.trend == (verdict if verdict != "no clear trend" else "no trend") for c in checks]
    robust = all(agree)
    if verdict == "no clear trend":
        text = "No clear trend: the change over time is not distinguishable from noise"
        if not robust:
            text += (
                "; a check that allows for autocorrelation does find one, so read the monthly "
                "figures"
            )
    else:
        word = "rising" if verdict == "increasing" else "falling"
        text = f"Crime is {word} over the period, beyond what noise explains"
        if not robust:
            text += (
                ", but not once month-to-month autocorrelation is allowed for: treat the trend "
                "as uncertain"
            )
    return verdict, robust, text


def trend_test(counts: Counts, alpha: float = 0.05) -> TrendResult:
    """Run the default trend test for a monthly series, chosen by its length (§3.5).

    Parameters
    ----------
    counts : array_like
        Monthly counts in time order (first value is any calendar month), ``nan`` for missing.
    alpha : float, default 0.05

    Returns
    -------
    TrendResult
        n ≥ 24 non-missing months: seasonal Kendall (period 12) with the seasonal Sen slope and
        its interval; n < 24: not run. Fewer than 10 crimes, or crimes in fewer than 6
        months: not run ("too few crimes to judge a trend"). Hamed–Rao and trend-free
        pre-whitening tests on the series with its month-of-year means removed are reported
        beside the verdict as sensitivity checks.

    Notes
    -----
    The methods reference (§3.5) ran the plain Mann–Kendall test on 24–35 months. On a seasonal
    series that test mistakes the season for a trend: in simulation (±20 % season, no trend,
    500 crimes a month, 24 months) it called 20 % of series "increasing" or "decreasing"
    against the 5 % intended. The seasonal Kendall test compares each calendar month only with
    itself, so it is used from 24 months (two values per calendar month; Hirsch, Slack & Smith
    1982); the calibration suite checks it.

    Examples
    --------
    >>> trend_test([5.0] * 20).reason
    'too short for a trend test'
    >>> trend_test(list(range(30))).test
    'seasonal_kendall'
    >>> trend_test([0] * 20 + [1, 0, 0, 1]).run
    False
    """
    x = as_float_array(counts, "counts")
    present = x[~np.isnan(x)]
    n = int(present.size)
    total = float(present.sum())
    nonzero = int(np.count_nonzero(present))
    if n < 24:
        return TrendResult(False, None, n, None, TOO_SHORT, total=total, nonzero_months=nonzero)
    if total < MIN_TREND_TOTAL or nonzero < MIN_TREND_NONZERO_MONTHS:
        reason = (
            f"{TOO_FEW_FOR_TREND} ({total:.0f} {'crime' if total == 1 else 'crimes'} in "
            f"{nonzero} of {n} months; needs at least {MIN_TREND_TOTAL} crimes in at least "
            f"{MIN_TREND_NONZERO_MONTHS} different months)"
        )
        return TrendResult(False, None, n, None, reason, total=total, nonzero_months=nonzero)
    mk = seasonal_mann_kendall(x, 12, alpha)
    adjusted = deseasonalised(x)
    checks = (hamed_rao(adjusted, alpha), trend_free_prewhitening(adjusted, alpha))
    verdict, robust, text = _verdict(mk, checks)
    return TrendResult(
        True, "seasonal_kendall", n, mk, None, AUTOCORRELATION_CAVEAT, total, nonzero, checks,
        verdict,
        robust, text,
    )  # fmt: skip
