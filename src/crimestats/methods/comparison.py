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
from crimestats.methods.verdicts import Verdict, verdict

__all__ = [
    "WHEELER_THRESHOLD",
    "RateRatioResult",
    "TwoPeriodResult",
    "WheelerZResult",
    "poisson_etest",
    "rate_ratio",
    "two_period_test",
    "wheeler_z",
]

WHEELER_THRESHOLD = 3.0
NO_CRIMES = "no crimes in either period"

_RR_METHOD = (
    "rate ratio with exact conditional (Clopper-Pearson) interval and exact conditional "
    "binomial test (methods reference §2.3; = statsmodels test_poisson_2indep 'exact-cond')"
)
_ETEST_METHOD = (
    "Poisson E-test, Wald statistic (Krishnamoorthy & Thomson 2004, JSPI 119:23-35; "
    "= statsmodels test_poisson_2indep method='etest-wald'), with exact conditional companion "
    "(methods reference §3.1)"
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


@dataclass(frozen=True, slots=True)
class TwoPeriodResult(ResultMixin):
    """Comparison of a count in period 1 (earlier) with period 2 (later), §3.1.

    Attributes
    ----------
    x1, x2 : int
        Counts in period 1 and period 2.
    E1, E2 : float
        Exposures (months by default convention).
    tested : bool
        False when no test was run (both zero, or a missing month); see ``reason``.
    reason : str or None
    diff : int
        ``x2 − x1`` in crimes.
    diff_adjusted : float
        ``x2 − x1·E2/E1``: the change in crimes on period 2's exposure (equals ``diff`` when
        exposures are equal).
    diff_lower, diff_upper : float or None
        Exact conditional interval for ``diff_adjusted`` given ``n = x1 + x2`` (the
        Clopper–Pearson interval for period 2's share, mapped to crimes).
    rate_ratio, rr_lower, rr_upper : float or None
        ``(x2/E2)/(x1/E1)`` with exact conditional interval (§2.3); ``inf`` when ``x1 = 0``.
    p_etest : float or None
        E-test (Wald) p-value, the default test.
    p_exact_cond : float or None
        Exact conditional p-value, the conservative companion.
    statistic : float or None
        E-test statistic as statsmodels reports it for ``(x1, E1, x2, E2)``.
    borderline : bool
        The two tests disagree about significance at ``alpha``.
    percent_change : float or None
        ``100·(RR − 1)``; an extra field to show only beside the test.
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
    diff: int
    diff_adjusted: float
    diff_lower: float | None
    diff_upper: float | None
    rate_ratio: float | None
    rr_lower: float | None
    rr_upper: float | None
    p_etest: float | None
    p_exact_cond: float | None
    statistic: float | None
    borderline: bool
    percent_change: float | None
    verdict: Verdict | None
    alpha: float
    method: str = _ETEST_METHOD


def two_period_test(
    x1: int,
    x2: int,
    E1: float = 1.0,
    E2: float = 1.0,
    *,
    alpha: float = 0.05,
    missing: bool = False,
) -> TwoPeriodResult:
    """Test whether the rate changed between two periods (default: Poisson E-test), §3.1.

    Parameters
    ----------
    x1, x2 : int
        Counts in the earlier and later period (e.g. previous and latest 12 months).
    E1, E2 : float, default 1
        Exposures; use months (12, 12) or population-months for unequal periods.
    alpha : float, default 0.05
    missing : bool, default False
        True when either period contains a missing force-month (§1.5): no test is run.

    Returns
    -------
    TwoPeriodResult

    Notes
    -----
    The E-test (Krishnamoorthy & Thomson 2004) is the default; the exact conditional test
    (§2.3) is reported beside it and ``borderline`` is set when only one is significant.

    Examples
    --------
    >>> r = two_period_test(420, 480, 12, 12)
    >>> round(r.p_etest, 6), r.diff
    (0.045513, 60)
    >>> r.verdict.headline
    'A rise distinguishable from noise at the 95 % level'
    >>> two_period_test(0, 0).reason
    'no crimes in either period'
    """
    check_counts([x1, x2], "counts")
    if E1 <= 0 or E2 <= 0:
        raise ValueError("exposures must be positive")
    diff = int(x2) - int(x1)
    diff_adjusted = x2 - x1 * E2 / E1
    if missing or x1 + x2 == 0:
        reason = "a period contains a missing month" if missing else NO_CRIMES
        return TwoPeriodResult(
            int(x1), int(x2), E1, E2, False, reason, diff, diff_adjusted,
            None, None, None, None, None, None, None, None, False, None, None, alpha,
        )  # fmt: skip
    statistic, p_etest = poisson_etest(x1, x2, E1, E2)
    rr = rate_ratio(x2, E2, x1, E1, alpha)
    n = x1 + x2
    scale = E2 / E1
    # Period 2's share π of n crimes implies an expected change of n·(π − (1−π)·E2/E1) crimes.
    bounds = [n * (pi - (1.0 - pi) * scale) for pi in (rr.pi_lower, rr.pi_upper)]
    p_exact = rr.p_value
    borderline = (p_etest < alpha) != (p_exact < alpha)
    percent = None if rr.rate_ratio is None else 100.0 * (rr.rate_ratio - 1.0)
    words = verdict(p_etest, diff_adjusted, bounds[0], bounds[1], percent=percent, alpha=alpha)
    if borderline:
        words = Verdict(
            words.headline + " (borderline: the exact conditional test disagrees)",
            words.estimate_text,
            words.text.replace(":", " (borderline: the exact conditional test disagrees):", 1),
            words.direction,
            words.significant,
            words.strong,
        )
    return TwoPeriodResult(
        int(x1), int(x2), E1, E2, True, None, diff, diff_adjusted, bounds[0], bounds[1],
        rr.rate_ratio, rr.lower, rr.upper, p_etest, p_exact, statistic, borderline, percent,
        words, alpha,
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
