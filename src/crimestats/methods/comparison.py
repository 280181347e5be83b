"""Comparing two counts: rate ratios, the Poisson E-test and Wheeler's z.

Methods reference §2.3 (rate ratio), §3.1 (two-period test) and §3.2 (Wheeler's z). No bare
percentage is ever produced: a percentage appears only as an extra field beside a test and an
interval in crimes (wording in :mod:`crimestats.methods.verdicts`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from crimestats.methods._common import ResultMixin, check_counts
from crimestats.methods.dispersion import DispersionResult
from crimestats.methods.verdicts import Verdict, verdict

__all__ = [
    "MIN_MONTHLY_MEAN",
    "MIN_SHARE_MONTHS_WITH_CRIME",
    "PERCENT_MIN",
    "WALD_MIN_EFFECTIVE",
    "WHEELER_THRESHOLD",
    "ChangeInference",
    "RateRatioResult",
    "TwoPeriodResult",
    "WheelerZResult",
    "change_inference",
    "poisson_etest",
    "rate_ratio",
    "sparse_reason",
    "too_sparse",
    "two_period_test",
    "wheeler_z",
]

WHEELER_THRESHOLD = 3.0
NO_CRIMES = "no crimes in either period"
#: No verdict below this mean count a month, or when fewer than this share of the months have
#: any crime (calibration: how much such sparse, spiky counts vary cannot be estimated from
#: three years of months, and false alarms ran far above 5 %).
MIN_MONTHLY_MEAN = 1.0
MIN_SHARE_MONTHS_WITH_CRIME = 0.5


def too_sparse(counts: Any) -> Any:
    """Whether monthly series (rows; gaps as ``nan``) are too sparse to judge a change.

    True when the mean is below :data:`MIN_MONTHLY_MEAN` a month or fewer than
    :data:`MIN_SHARE_MONTHS_WITH_CRIME` of the months have any crime. Vectorised over rows.

    Examples
    --------
    >>> too_sparse([[0, 0, 9, 0, 0, 0], [1, 2, 0, 1, 3, 1]]).tolist()
    [True, False]
    """
    y = np.atleast_2d(np.asarray(counts, dtype=float))
    mean = np.nanmean(y, axis=1)
    share = np.nanmean(np.where(np.isnan(y), np.nan, (y > 0).astype(float)), axis=1)
    return (mean < MIN_MONTHLY_MEAN) | (share < MIN_SHARE_MONTHS_WITH_CRIME)


def sparse_reason(counts: Any) -> str | None:
    """Plain-English reason a monthly series is too sparse to judge, or ``None``."""
    y = np.asarray([np.nan if c is None else c for c in counts], dtype=float)
    y = y[~np.isnan(y)]
    if y.size == 0 or not bool(too_sparse(y)[0]):
        return None
    with_crime = int((y > 0).sum())
    return (
        f"too few crimes a month to judge a change ({y.mean():.1f} a month on average, "
        f"{with_crime} of {y.size} months with any crime; at least {MIN_MONTHLY_MEAN:g} a "
        f"month and crimes in at least half the months are needed)"
    )


_RR_METHOD = (
    "rate ratio with exact conditional (Clopper-Pearson) interval and exact conditional "
    "binomial test (methods reference §2.3; = statsmodels test_poisson_2indep 'exact-cond')"
)
_CHANGE_METHOD = (
    "change between two periods allowing for overdispersion (methods reference §10.2): "
    "quasi-Poisson test of the log rate ratio with phi from the area's own monthly series, "
    "exact conditional test on counts scaled by phi* when small; Poisson E-test and exact "
    "conditional test shown beside it (§3.1)"
)
_WALD_TEXT = (
    "quasi-Poisson Wald test of the log rate ratio, Var = phi*(1/x1 + 1/x2), Student t on the "
    "residual df of phi (methods reference §10.2); change in crimes from the same ratio interval "
    "and an exact interval for the total; Poisson E-test and exact conditional test beside it"
)
_EXACT_SCALED_TEXT = (
    "exact conditional (Clopper-Pearson) test and interval on counts divided by phi* (fewer "
    "than 10 crimes per phi* in a period; methods reference §10.2, §10.5); change in crimes from "
    "the same ratio interval and an exact interval for the total; Poisson E-test beside it"
)
_EXACT_POISSON_TEXT = (
    "exact conditional (Clopper-Pearson) test and interval assuming Poisson variation "
    "(dispersion not estimated: series too short; methods reference §10.1); change in crimes "
    "from the same ratio interval and an exact interval for the total; E-test beside it"
)
_WHEELER_METHOD = "Wheeler's Poisson z = 2(sqrt(current) - sqrt(historical)) (Wheeler 2018; §3.2)"


@dataclass(frozen=True, slots=True)
class RateRatioResult(ResultMixin):
    """Ratio of two Poisson rates ``(a/E_a)/(b/E_b)`` with exact conditional inference.

    Attributes
    ----------
    a, E_a, b, E_b : float
        Counts and exposures as given.
    rate_ratio : float or None
        ``None`` when ``a = b = 0`` (undefined); ``inf`` when only ``b = 0``.
    lower, upper : float or None
        Exact conditional interval; ``upper = inf`` when ``b = 0``.
    pi_lower, pi_upper : float or None
        Clopper–Pearson interval for ``π = a/(a+b)``.
    p_value : float or None
        Exact conditional (binomial, two-sided minlike) test of ``RR = 1``.
    reason : str or None
        Why nothing was computed.
    alpha : float
    method : str
    """

    a: float
    E_a: float
    b: float
    E_b: float
    rate_ratio: float | None
    lower: float | None
    upper: float | None
    pi_lower: float | None
    pi_upper: float | None
    p_value: float | None
    reason: str | None
    alpha: float
    method: str = _RR_METHOD


def _pi_to_ratio(pi: float, E_a: float, E_b: float) -> float:
    """Map the conditional binomial proportion to a rate ratio (§2.3)."""
    if pi >= 1.0:
        return math.inf
    return pi / (1.0 - pi) * E_b / E_a


def rate_ratio(a: int, E_a: float, b: int, E_b: float, alpha: float = 0.05) -> RateRatioResult:
    """Rate ratio of two Poisson counts with exact conditional interval and test.

    Parameters
    ----------
    a, b : int
        Counts in the area and the comparator.
    E_a, E_b : float
        Their exposures (population, months, population-months).
    alpha : float, default 0.05

    Returns
    -------
    RateRatioResult

    Notes
    -----
    Conditional on ``n = a + b``, ``a ~ Binomial(n, π)`` with ``π = RR·E_a/(RR·E_a + E_b)``.
    The Clopper–Pearson interval ``π_L = Beta.ppf(α/2, a, b+1)``, ``π_U = Beta.ppf(1−α/2, a+1, b)``
    maps to ``RR = π/(1−π)·E_b/E_a``. The test of ``RR = 1`` is
    ``scipy.stats.binomtest(a, n, p=E_a/(E_a+E_b))`` (two-sided, minlike), identical to
    statsmodels ``test_poisson_2indep(..., method="exact-cond")``. Methods reference §2.3, §9.2.

    Examples
    --------
    >>> r = rate_ratio(45, 12000, 30, 10000)
    >>> round(r.rate_ratio, 4), round(r.lower, 7), round(r.upper, 6), round(r.p_value, 7)
    (1.25, 0.7703733, 2.054978, 0.3561927)
    >>> rate_ratio(0, 1, 0, 1).reason
    'no crimes in either count'
    """
    if E_a <= 0 or E_b <= 0:
        raise ValueError("exposures must be positive")
    check_counts([a, b], "counts")
    n = int(a) + int(b)
    if n == 0:
        return RateRatioResult(
            a, E_a, b, E_b, None, None, None, None, None, None, "no crimes in either count", alpha
        )
    pi_lower = 0.0 if a == 0 else float(stats.beta.ppf(alpha / 2, a, b + 1))
    pi_upper = 1.0 if b == 0 else float(stats.beta.ppf(1 - alpha / 2, a + 1, b))
    ratio = math.inf if b == 0 else (a / E_a) / (b / E_b)
    p = float(stats.binomtest(int(a), n, p=E_a / (E_a + E_b)).pvalue)
    return RateRatioResult(
        a, E_a, b, E_b, ratio,
        _pi_to_ratio(pi_lower, E_a, E_b), _pi_to_ratio(pi_upper, E_a, E_b),
        pi_lower, pi_upper, p, None, alpha,
    )  # fmt: skip


def poisson_etest(x1: int, x2: int, E1: float = 1.0, E2: float = 1.0) -> tuple[float, float]:
    """Krishnamoorthy–Thomson E-test of equal Poisson rates (Wald statistic), two-sided.

    Parameters
    ----------
    x1, x2 : int
        Counts in period (or area) 1 and 2.
    E1, E2 : float, default 1
        Exposures.

    Returns
    -------
    statistic, pvalue : float
        The statistic in statsmodels' ratio form ``(x1 − x2·r)/sqrt(x1 + x2·r²)``, ``r = E1/E2``
        (positive when rate 1 is higher), and the E-test p-value.

    Notes
    -----
    Replicates ``statsmodels.stats.rates.test_poisson_2indep(x1, E1, x2, E2,
    method="etest-wald")``: both counts are drawn from Poisson with the pooled null rate
    ``λ̂ = (x1+x2)/(E1+E2)`` and the probability of a statistic at least as extreme is summed
    over a grid. statsmodels sums both axes from 0 to ``max(100, Poisson.isf(1e-13, max mean))``;
    here each axis runs from ``Poisson.ppf(1e-15, mean)`` (0 for means up to 50) to
    ``max(100, Poisson.isf(1e-13, mean))``, which drops less than 1e-13 of probability and keeps
    force-level counts to grids of a few thousand cells per side.
    Krishnamoorthy & Thomson (2004), JSPI 119:23–35.

    Examples
    --------
    >>> stat, p = poisson_etest(6, 2)
    >>> round(p, 7)
    0.1748748
    """
    r_d = E1 / E2
    eps = 1e-20  # as statsmodels: avoids 0/0 at the (0, 0) grid cell

    def stat_func(k1: Any, k2: Any) -> Any:
        return (k1 - k2 * r_d) / np.sqrt(k1 + k2 * r_d**2 + eps)

    rate = (x1 + x2) / (E1 + E2)
    axes = []
    for mean in (E1 * rate, E2 * rate):
        top = max(float(stats.poisson.isf(1e-13, mean)), 100.0)
        bottom = max(float(stats.poisson.ppf(1e-15, mean)) - 1.0, 0.0) if mean > 50 else 0.0
        grid = np.arange(bottom, top + 1)
        axes.append((grid, stats.poisson.pmf(grid, mean)))
    (k1, pmf1), (k2, pmf2) = axes
    observed = stat_func(x1, x2)
    cutoff = abs(observed) - 1e-15  # statsmodels' tie tolerance: equal |T| counts as extreme
    # Rows in blocks keep memory bounded for force-level counts (grids of several thousand).
    block = max(1, 2_000_000 // k2.size)
    p = 0.0
    for start in range(0, k1.size, block):
        rows = slice(start, start + block)
        mask = np.abs(stat_func(k1[rows, None], k2[None, :])) >= cutoff
        p += float(pmf1[rows] @ (mask @ pmf2))
    return float(observed), min(p, 1.0)


#: Below this many crimes in either period (after dividing by φ*), the log-ratio normal
#: approximation is not trusted: the change is judged by the exact conditional inversion.
WALD_MIN_EFFECTIVE = 10.0
#: §10.5: no percentage change below this many crimes in either period.
PERCENT_MIN = 10

WALD, EXACT_SCALED, EXACT_POISSON, NOT_TESTED = "wald", "exact-scaled", "exact-poisson", "none"


@dataclass(frozen=True, slots=True)
class ChangeInference:
    """Arrays of the change inference for many count pairs at once (one row per pair).

    ``kind`` says which inversion gave the row (:data:`WALD`, :data:`EXACT_SCALED`,
    :data:`EXACT_POISSON` or :data:`NOT_TESTED` when both counts are 0); ``p``, the rate-ratio
    interval and the interval of the change in crimes all come from that one inversion, so
    ``p < alpha`` exactly when the ratio interval excludes 1 and the crimes interval excludes 0.
    """

    kind: np.ndarray
    p: np.ndarray
    statistic: np.ndarray
    rate_ratio: np.ndarray
    rr_lower: np.ndarray
    rr_upper: np.ndarray
    change: np.ndarray
    change_lower: np.ndarray
    change_upper: np.ndarray
    total_lower: np.ndarray
    total_upper: np.ndarray


def change_inference(
    x1: Any,
    x2: Any,
    E1: float,
    E2: float,
    phi_star: Any = 1.0,
    df: float | None = None,
    *,
    alpha: float = 0.05,
) -> ChangeInference:
    """The dispersion-aware test of change and its intervals, vectorised (§10.2, §10.5).

    Parameters
    ----------
    x1, x2 : int or array_like
        Counts in the earlier and later period.
    E1, E2 : float
        Exposures (months).
    phi_star : float or array_like, default 1
        ``max(1, φ)`` for each pair.
    df : float or None
        Residual degrees of freedom of the φ estimate; ``None`` means φ was not estimated
        (Poisson assumed): the exact Poisson test is used throughout.
    alpha : float, default 0.05

    Notes
    -----
    * **Ratio** ``RR = (x2/E2)/(x1/E1)``. With φ estimated and at least
      :data:`WALD_MIN_EFFECTIVE` crimes per φ* in both periods: quasi-Poisson Wald test of
      ``ln RR`` with ``Var = φ*·(1/x1 + 1/x2)`` (methods reference §10.2), referred to Student's
      t on the residual df of φ (the estimate of φ is itself uncertain; McCullagh & Nelder 1989
      §9.2); interval ``exp(ln RR ± t·SE)``. Otherwise the exact conditional inversion: period
      2's share of ``n = x1 + x2`` is binomial given ``n``; the Clopper–Pearson interval is
      computed on counts divided by φ* (effective counts, Kish's design effect) and ``p`` is the
      two-sided central p that inverts exactly that interval (twice the smaller tail).
    * **Change in crimes** ``D = μ2 − μ1·E2/E1`` (on period 2's length) = ``T·(π(1+s) − s)``
      with ``T = μ1 + μ2``, ``π`` period 2's share and ``s = E2/E1``. Its interval is the range
      of ``D`` over the ratio interval and an exact (Garwood, φ-scaled) 95 % interval for the
      total ``T``: it is not conditional on the observed total (the old interval was, and could
      not exceed ±n), and because ``D`` has the sign of ``RR − 1`` it excludes 0 exactly when
      the ratio interval excludes 1. Coverage is checked by simulation
      (:mod:`crimestats.calibration.change`).
    """
    a = np.asarray(x2, dtype=float)
    b = np.asarray(x1, dtype=float)
    a, b, phi = np.broadcast_arrays(a, b, np.asarray(phi_star, dtype=float))
    shape = a.shape
    a, b, phi = a.ravel(), b.ravel(), phi.ravel()
    s = E2 / E1
    n = a + b
    tested = n > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        rr = np.where(b > 0, (a / E2) / (b / E1), np.where(a > 0, np.inf, np.nan))
        eff_a, eff_b = a / phi, b / phi
        wald = tested & (df is not None) & (np.minimum(eff_a, eff_b) >= WALD_MIN_EFFECTIVE)
        kind = np.where(
            ~tested,
            NOT_TESTED,
            np.where(wald, WALD, EXACT_SCALED if df is not None else EXACT_POISSON),
        ).astype(object)
        # Exact conditional inversion on effective counts (Clopper–Pearson, central p).
        p0 = E2 / (E1 + E2)
        pi_lo = np.where(eff_a > 0, stats.beta.ppf(alpha / 2, eff_a, eff_b + 1), 0.0)
        pi_hi = np.where(eff_b > 0, stats.beta.ppf(1 - alpha / 2, eff_a + 1, eff_b), 1.0)
        upper_tail = np.where(eff_a > 0, stats.beta.cdf(p0, eff_a, eff_b + 1), 1.0)
        lower_tail = np.where(eff_b > 0, stats.beta.sf(p0, eff_a + 1, eff_b), 1.0)
        p_exact = np.minimum(1.0, 2.0 * np.minimum(upper_tail, lower_tail))
        rr_lo = pi_lo / (1 - pi_lo) / s
        rr_hi = np.where(pi_hi >= 1.0, np.inf, pi_hi / (1 - pi_hi) / s)
        stat = np.full(a.shape, np.nan)
        p = p_exact
        if df is not None and wald.any():
            log_rr = np.log(np.where(wald, rr, 1.0))
            se = np.sqrt(phi * (1 / np.where(wald, a, 1.0) + 1 / np.where(wald, b, 1.0)))
            q = float(stats.t.ppf(1 - alpha / 2, df))
            t_stat = log_rr / se
            stat = np.where(wald, t_stat, stat)
            p = np.where(wald, 2 * stats.t.sf(np.abs(t_stat), df), p_exact)
            rr_lo = np.where(wald, np.exp(log_rr - q * se), rr_lo)
            rr_hi = np.where(wald, np.exp(log_rr + q * se), rr_hi)
        # Period 2's share at the ratio bounds, and an exact interval for the total μ1 + μ2.
        share_lo = np.where(np.isinf(rr_lo), 1.0, rr_lo * s / (1 + rr_lo * s))
        share_hi = np.where(np.isinf(rr_hi), 1.0, rr_hi * s / (1 + rr_hi * s))
        eff_n = n / phi
        t_lo = phi * np.where(eff_n > 0, stats.gamma.ppf(alpha / 2, np.maximum(eff_n, 1e-300)), 0)
        t_hi = phi * stats.gamma.ppf(1 - alpha / 2, eff_n + 1)
        g_lo, g_hi = share_lo * (1 + s) - s, share_hi * (1 + s) - s
        d_lo = np.where(g_lo < 0, t_hi * g_lo, t_lo * g_lo)
        d_hi = np.where(g_hi > 0, t_hi * g_hi, t_lo * g_hi)
    nan = np.full(a.shape, np.nan)
    out = [
        kind, np.where(tested, p, nan), stat, rr, np.where(tested, rr_lo, nan),
        np.where(tested, rr_hi, nan), a - s * b, np.where(tested, d_lo, nan),
        np.where(tested, d_hi, nan), np.where(tested, t_lo, nan), np.where(tested, t_hi, nan),
    ]  # fmt: skip
    return ChangeInference(*(v.reshape(shape) for v in out))


@dataclass(frozen=True, slots=True)
class TwoPeriodResult(ResultMixin):
    """Comparison of a count in period 1 (earlier) with period 2 (later), §3.1 as amended by §10.

    The headline (``p``, ``rr_lower``/``rr_upper``, ``diff_lower``/``diff_upper``, ``verdict``)
    comes from one dispersion-aware inversion (see :func:`change_inference`); the Poisson
    results (E-test, exact conditional test and interval) are kept beside it for transparency.

    Attributes
    ----------
    x1, x2 : int
        Counts in period 1 and period 2.
    E1, E2 : float
        Exposures (months by default convention).
    tested : bool
        False when no test was run (both zero, a missing month, too few crimes a month to
        judge); see ``reason``.
    reason : str or None
    diff : int or None
        ``x2 − x1`` in crimes, only for a tested comparison of equal periods; otherwise ``None``
        and ``diff_reason`` says why (an untested or unequal comparison carries no difference).
    diff_reason : str or None
    diff_adjusted : float or None
        ``x2 − x1·E2/E1``: the change in crimes on period 2's length (tested only).
    diff_lower, diff_upper : float or None
        95 % interval of the change in crimes, unconditional (not capped at ±(x1 + x2)), from
        the same inversion as the verdict.
    rate_ratio, rr_lower, rr_upper : float or None
        ``(x2/E2)/(x1/E1)`` and its dispersion-aware interval.
    p : float or None
        Two-sided p of the headline test; ``p < alpha`` exactly when the intervals exclude
        "no change".
    statistic : float or None
        The t statistic of ``ln RR`` (Wald branch only).
    test_kind : str
        ``"wald"`` (quasi-Poisson, log rate ratio, Student t on φ's df), ``"exact-scaled"``
        (exact conditional on counts divided by φ*), ``"exact-poisson"`` (φ not estimated) or
        ``"none"``.
    phi_star : float
        The dispersion factor used (1 when not estimated).
    dispersion : DispersionResult or None
        φ and how it was estimated (``None`` when no monthly series was given).
    caveat : str or None
        Plain caveat when Poisson variation had to be assumed.
    small_number : bool
        Fewer than 10 crimes in either period (§10.5): no percentage is shown.
    percent_change : float or None
        ``100·(RR − 1)``, only with at least 10 crimes in both periods (§10.5).
    percent_reason : str or None
    p_etest, p_exact_cond : float or None
        The Poisson companions: E-test (Wald statistic) and exact conditional test (minlike).
    poisson_rr_lower, poisson_rr_upper : float or None
        The exact conditional (Clopper–Pearson) interval of the ratio under Poisson variation.
    poisson_statistic : float or None
        E-test statistic as statsmodels reports it for ``(x1, E1, x2, E2)``.
    verdict : Verdict or None
    alpha : float
    method : str
    """

    x1: int
    x2: int
    E1: float
    E2: float
    tested: bool
    reason: str | None
    diff: int | None
    diff_reason: str | None
    diff_adjusted: float | None
    diff_lower: float | None
    diff_upper: float | None
    rate_ratio: float | None
    rr_lower: float | None
    rr_upper: float | None
    p: float | None
    statistic: float | None
    test_kind: str
    phi_star: float
    dispersion: DispersionResult | None
    caveat: str | None
    small_number: bool
    percent_change: float | None
    percent_reason: str | None
    p_etest: float | None
    p_exact_cond: float | None
    poisson_rr_lower: float | None
    poisson_rr_upper: float | None
    poisson_statistic: float | None
    verdict: Verdict | None
    alpha: float
    method: str = _CHANGE_METHOD


def _kind_method(kind: str) -> str:
    return {
        WALD: _WALD_TEXT,
        EXACT_SCALED: _EXACT_SCALED_TEXT,
        EXACT_POISSON: _EXACT_POISSON_TEXT,
    }.get(kind, _CHANGE_METHOD)


def two_period_test(
    x1: int,
    x2: int,
    E1: float = 1.0,
    E2: float = 1.0,
    *,
    alpha: float = 0.05,
    missing: bool = False,
    dispersion: DispersionResult | None = None,
    monthly_mean: float | None = None,
    sparse: str | None = None,
    unit: str = "crimes",
) -> TwoPeriodResult:
    """Test whether the rate changed between two periods, allowing for overdispersion (§10.2).

    Parameters
    ----------
    x1, x2 : int
        Counts in the earlier and later period (e.g. previous and latest 12 months).
    E1, E2 : float, default 1
        Exposures; use months (12, 12) or population-months for unequal periods.
    alpha : float, default 0.05
    missing : bool, default False
        True when either period contains a missing force-month (§1.5): no test is run.
    dispersion : DispersionResult, optional
        φ of the area's own monthly series (:func:`crimestats.methods.dispersion
        .estimate_dispersion`). Without it, or when it was not estimated (series too short),
        the exact Poisson test is used and ``caveat`` says so plainly.
    monthly_mean : float, optional
        Mean crimes a month of the series φ came from (or of the periods compared). Below
        :data:`MIN_MONTHLY_MEAN` no verdict is given ("too few crimes a month to judge"): how
        much such counts vary cannot be estimated, and the calibration showed false alarms
        well above 5 % there (docs/calibration.md).
    sparse : str, optional
        The reason from :func:`sparse_reason` when the monthly series is too sparse to judge
        (no verdict is given; the measures layer passes it).
    unit : str, default "crimes"
        What the counts are, in the verdict's words ("incidents" for anti-social behaviour).

    Returns
    -------
    TwoPeriodResult

    Notes
    -----
    See :func:`change_inference` for the inversion. The E-test (Krishnamoorthy & Thomson
    2004) and the exact conditional test (§2.3) are reported beside it as the Poisson results.

    Examples
    --------
    >>> r = two_period_test(420, 480, 12, 12)
    >>> round(r.p_etest, 6), r.diff, r.test_kind
    (0.045513, 60, 'exact-poisson')
    >>> r.caveat.startswith("How much the counts vary was not estimated")
    True
    >>> two_period_test(0, 0).reason
    'no crimes in either period'
    >>> r = two_period_test(1, 2, 4, 4)
    >>> r.small_number, r.percent_change, r.verdict.direction
    (True, None, 'none')
    """
    check_counts([x1, x2], "counts")
    if E1 <= 0 or E2 <= 0:
        raise ValueError("exposures must be positive")
    x1, x2 = int(x1), int(x2)
    disp = dispersion
    estimated = disp is not None and disp.estimated
    phi_star = disp.phi_star if (disp is not None and estimated) else 1.0
    caveat = None
    if not estimated:
        caveat = (
            disp.caveat
            if disp is not None
            else "How much the counts vary was not estimated (no monthly series given); this "
            "result assumes Poisson variation, which usually understates it, so treat it with "
            "extra caution."
        )
    small = min(x1, x2) < PERCENT_MIN
    reason = None
    if missing:
        reason = "a period contains a missing month"
    elif x1 + x2 == 0:
        reason = NO_CRIMES
    elif sparse is not None:
        reason = sparse
    elif monthly_mean is not None and monthly_mean < MIN_MONTHLY_MEAN:
        reason = (
            f"too few crimes a month to judge a change ({monthly_mean:.1f} a month on average; "
            f"at least {MIN_MONTHLY_MEAN:g} needed)"
        )
    if reason is not None:
        return TwoPeriodResult(
            x1, x2, E1, E2, False, reason, None, "no test, so no difference is reported",
            None, None, None, None, None, None, None, None, NOT_TESTED, phi_star, disp, caveat,
            small, None, "no test", None, None, None, None, None, None, alpha,
        )  # fmt: skip
    df = disp.df_resid if estimated and disp is not None else None
    inf = change_inference(x1, x2, E1, E2, phi_star, df, alpha=alpha)
    kind = str(inf.kind)
    p = float(inf.p)
    lower, upper = float(inf.change_lower), float(inf.change_upper)
    diff_adjusted = float(inf.change)
    rr = float(inf.rate_ratio)
    equal = math.isclose(E1, E2)
    diff = x2 - x1 if equal else None
    diff_reason = (
        None
        if equal
        else ("the periods differ in length: see diff_adjusted (the change on period 2's length)")
    )
    percent = None
    percent_reason = None
    if small:
        percent_reason = f"too few for a percentage (fewer than {PERCENT_MIN} crimes in a period)"
    elif math.isfinite(rr):
        percent = 100.0 * (rr - 1.0)
    statistic, p_etest = poisson_etest(x1, x2, E1, E2)
    poisson = rate_ratio(x2, E2, x1, E1, alpha)
    words = verdict(p, diff_adjusted, lower, upper, percent=percent, alpha=alpha, unit=unit)
    stat = float(inf.statistic)
    return TwoPeriodResult(
        x1, x2, E1, E2, True, None, diff, diff_reason, diff_adjusted, lower, upper, rr,
        float(inf.rr_lower), float(inf.rr_upper), p, stat if math.isfinite(stat) else None, kind,
        phi_star, disp, caveat, small, percent, percent_reason, p_etest, poisson.p_value,
        poisson.lower, poisson.upper, statistic, words, alpha, _kind_method(kind),
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class WheelerZResult(ResultMixin):
    """Wheeler's Poisson z screen (§3.2); scalars or arrays aligned with the inputs.

    Attributes
    ----------
    current, historical : float or numpy.ndarray
    z : float or numpy.ndarray
        ``2·(√current − √historical)``.
    flag : bool or numpy.ndarray of bool
        ``|z| ≥ threshold``; a screening column ("Poisson z"), never a significance statement.
    threshold : float
    method : str
    """

    current: Any
    historical: Any
    z: Any
    flag: Any
    threshold: float
    method: str = _WHEELER_METHOD


def wheeler_z(
    current: Any, historical: Any, threshold: float = WHEELER_THRESHOLD
) -> WheelerZResult:
    """Wheeler's Poisson z-score ``2(√current − √historical)`` as a quick screen (§3.2).

    Parameters
    ----------
    current : float or array_like
        Current count(s).
    historical : float or array_like
        Historical count(s), ideally a long-run average.
    threshold : float, default 3
        Wheeler recommends flagging only ``|z| ≥ 3``.

    Returns
    -------
    WheelerZResult

    Notes
    -----
    Square-root variance stabilisation: ``Var(2√X) ≈ 1``. When both values are single-period
    counts the difference has variance ≈ 2. Use §3.1 for statements of significance.

    Examples
    --------
    >>> r = wheeler_z(30, 50)
    >>> round(r.z, 6), r.flag
    (-3.187684, True)
    >>> wheeler_z([25, 16], [16, 16]).z.tolist()
    [2.0, 0.0]
    """
    cur = check_counts(current, "current")
    hist = check_counts(historical, "historical")
    z = 2.0 * (np.sqrt(cur) - np.sqrt(hist))
    flag = np.abs(z) >= threshold
    if z.ndim == 0:
        return WheelerZResult(float(cur), float(hist), float(z), bool(flag), threshold)
    return WheelerZResult(cur, hist, z, flag, threshold)
