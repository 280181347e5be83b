"""Rolling sums, seasonal index and Mann–Kendall trend tests for monthly counts (§3.3–§3.5).

Missing months are ``nan`` (or ``None``) in the input: they are excluded from Kendall's S but
keep their time position, so Sen's slope is measured in real months (§3.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from crimestats.methods._common import ResultMixin, as_float_array, two_sided_p
from crimestats.methods.months import month_index

__all__ = [
    "AUTOCORRELATION_CAVEAT",
    "MannKendallResult",
    "RollingResult",
    "SeasonalIndexResult",
    "TrendResult",
    "mann_kendall",
    "rolling_sum",
    "seasonal_index",
    "seasonal_mann_kendall",
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


def rolling_sum(counts: Any, window: int = 12) -> RollingResult:
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


@dataclass(frozen=True, slots=True)
class SeasonalIndexResult(ResultMixin):
    """Seasonal index by calendar month (§3.4).

    Attributes
    ----------
    computed : bool
    index : tuple of 12 floats or None
        ``SI_m`` for January..December; averages exactly 1.
    years_used : tuple of int
        The complete calendar years used (most recent first).
    reason : str or None
        Why no index was computed.
    method : str
    """

    computed: bool
    index: tuple[float, ...] | None
    years_used: tuple[int, ...]
    reason: str | None
    method: str = (
        "seasonal index: month mean over K complete calendar years / overall monthly mean, "
        "K >= 3, no days-in-month adjustment (methods reference §3.4)"
    )

    def adjust(self, months: Any, counts: Any) -> np.ndarray:
        """Seasonally adjusted counts ``x_t / SI_month(t)`` (``nan`` when no index)."""
        x = as_float_array(counts, "counts")
        if self.index is None:
            return np.full(x.shape, np.nan)
        calendar = month_index(months) % 12
        return x / np.asarray(self.index)[calendar]


def seasonal_index(
    months: Any, counts: Any, min_years: int = 3, max_years: int | None = None
) -> SeasonalIndexResult:
    """Seasonal index from the most recent complete calendar years (§3.4).

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

    Returns
    -------
    SeasonalIndexResult

    Notes
    -----
    ``SI_m = mean_k(x_{k,m}) / mean_{k,m}(x_{k,m})``. February's short length is part of its
    index (no days-in-month adjustment).

    Examples
    --------
    >>> months = [f"{y}-{m:02d}" for y in (2021, 2022, 2023) for m in range(1, 13)]
    >>> r = seasonal_index(months, [10] * 35 + [22])
    >>> round(sum(r.index) / 12, 12), r.years_used
    (1.0, (2023, 2022, 2021))
    >>> seasonal_index(months[:24], [10] * 24).reason
    'fewer than 3 complete calendar years without missing months (found 2)'
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
    if complete.size < min_years:
        return SeasonalIndexResult(
            False,
            None,
            tuple(int(first_year + k) for k in complete),
            f"fewer than {min_years} complete calendar years without missing months "
            f"(found {complete.size})",
        )
    years = grid[complete]
    si = years.mean(axis=0) / years.mean()
    return SeasonalIndexResult(
        True, tuple(float(v) for v in si), tuple(int(first_year + k) for k in complete), None
    )


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
    z = 0.0 if s == 0 else (s - np.sign(s)) / np.sqrt(var_s)
    p = float(two_sided_p(z))
    h = bool(abs(z) > stats.norm.ppf(1 - alpha / 2))
    trend = ("increasing" if z > 0 else "decreasing") if h else "no trend"
    return float(z), p, trend, h


def _pair_slopes(columns: np.ndarray) -> np.ndarray:
    """All ``(x_j − x_i)/(j − i)`` for i < j in each column, missing pairs dropped."""
    t = np.arange(columns.shape[0], dtype=float)
    i, j = np.triu_indices(columns.shape[0], k=1)
    slopes = (columns[j] - columns[i]) / (t[j] - t[i])[:, None]
    return slopes[~np.isnan(slopes)]


def mann_kendall(counts: Any, alpha: float = 0.05) -> MannKendallResult:
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
    slope = float(np.median(_pair_slopes(x[:, None])))
    positions = np.flatnonzero(~np.isnan(x))
    intercept = float(np.nanmedian(x) - np.median(positions) * slope)
    return MannKendallResult(
        int(n), s, var, z, p, s / (0.5 * n * (n - 1)), trend, h, slope, intercept,
        "crimes per month", False, alpha, _MK_METHOD,
    )  # fmt: skip


def seasonal_mann_kendall(counts: Any, period: int = 12, alpha: float = 0.05) -> MannKendallResult:
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
    positions = np.flatnonzero(~np.isnan(x))
    intercept = float(np.nanmedian(x) - np.median(positions) / period * slope)
    return MannKendallResult(
        int(n_col.sum()), s, var, z, p, s / denom, trend, h, slope, intercept,
        "crimes per month per year", True, alpha, _SMK_METHOD,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class TrendResult(ResultMixin):
    """Trend test chosen by series length (§3.5).

    Attributes
    ----------
    run : bool
    test : str or None
        ``"seasonal_kendall"`` (n ≥ 36), ``"mann_kendall"`` (24 ≤ n < 36) or ``None``.
    n_months : int
        Non-missing months.
    result : MannKendallResult or None
    reason : str or None
        ``"too short for a trend test"`` when n < 24.
    caveat : str
        The autocorrelation caveat, always shown.
    method : str
    """

    run: bool
    test: str | None
    n_months: int
    result: MannKendallResult | None
    reason: str | None
    caveat: str = AUTOCORRELATION_CAVEAT
    method: str = "trend test chosen by series length (methods reference §3.5)"


def trend_test(counts: Any, alpha: float = 0.05) -> TrendResult:
    """Run the default trend test for a monthly series, chosen by its length (§3.5).

    Parameters
    ----------
    counts : array_like
        Monthly counts in time order (first value is any calendar month), ``nan`` for missing.
    alpha : float, default 0.05

    Returns
    -------
    TrendResult
        n ≥ 36 non-missing months: seasonal Kendall (period 12); 24 ≤ n < 36: plain
        Mann–Kendall; n < 24: not run.

    Examples
    --------
    >>> trend_test([5.0] * 20).reason
    'too short for a trend test'
    >>> trend_test(list(range(30))).test
    'mann_kendall'
    """
    x = as_float_array(counts, "counts")
    n = int(np.count_nonzero(~np.isnan(x)))
    if n >= 36:
        return TrendResult(True, "seasonal_kendall", n, seasonal_mann_kendall(x, 12, alpha), None)
    if n >= 24:
        return TrendResult(True, "mann_kendall", n, mann_kendall(x, alpha), None)
    return TrendResult(False, None, n, None, TOO_SHORT)
