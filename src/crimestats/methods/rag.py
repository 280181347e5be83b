"""Red/amber/green status that never shows red for noise (methods reference §4.7, §10).

Both rules allow for overdispersion: the baseline rule uses the dispersion-aware change test of
:func:`crimestats.methods.comparison.two_period_test` (§10.2), and the target rule refers the
count to a negative binomial with variance ``φ*·τ`` instead of a Poisson (§10). Red therefore
means "worse and distinguishable from the area's own month-to-month variation", and a
small-number wobble cannot turn red (calibrated in :mod:`crimestats.calibration.rag`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from crimestats.methods._common import ResultMixin
from crimestats.methods.comparison import MIN_MONTHLY_MEAN, two_period_test
from crimestats.methods.dispersion import DispersionResult
from crimestats.methods.rates import SMALL_NUMBER_THRESHOLD

__all__ = ["RAGResult", "rag_baseline", "rag_target", "target_p"]

_METHOD = (
    "RAG rule: red only when worse and distinguishable from noise at the 95 % level, allowing "
    "for overdispersion phi* (methods reference §4.7, §10)"
)


@dataclass(frozen=True, slots=True)
class RAGResult(ResultMixin):
    """Red/amber/green status that never shows red for noise (§4.7, §10).

    Attributes
    ----------
    colour : str
        ``"green"``, ``"amber"`` (worse, could be noise) or ``"red"`` (worse and
        distinguishable from noise); ``"grey"`` when no judgement is possible (see ``reason``).
    p : float or None
        ``P(X ≥ x | τ, φ*)`` (target, one-sided) or the two-sided p of the dispersion-aware
        change test (baseline).
    basis : str
        ``"target"`` or ``"baseline"``.
    small_number : bool
        ``x < 10``: show the flag with the colour.
    phi_star : float
        The dispersion factor used (1 when not estimated; then ``caveat`` says so).
    caveat : str or None
    reason : str or None
    method : str
    """

    colour: str
    p: float | None
    basis: str
    small_number: bool
    phi_star: float
    caveat: str | None
    reason: str | None
    method: str = _METHOD


def target_p(
    x: Any,
    target: Any,
    phi_star: Any = 1.0,
    *,
    df: Any = None,
    lower_is_better: bool = True,
    alpha: float = 0.05,
) -> Any:
    """One-sided p of a count against its target allowing for overdispersion (vectorised).

    ``P(X ≥ x)`` (lower is better) or ``P(X ≤ x)`` for ``X`` with mean ``τ`` and variance
    ``φ·τ``: Poisson when ``φ = 1``, otherwise negative binomial with ``k = τ/(φ − 1)``.
    When φ was estimated (``df`` its residual degrees of freedom), ``φ = φ*·(t_df/z)²`` at the
    one-sided ``alpha`` quantiles: the estimate's own uncertainty widens the reference as
    Student's t widens the normal (calibration: without it false reds ran above 6 %).
    """
    x = np.asarray(x, dtype=float)
    tau = np.asarray(target, dtype=float)
    phi = np.asarray(phi_star, dtype=float)
    if df is not None:
        inflate = stats.t.ppf(1 - alpha, np.asarray(df, dtype=float)) / stats.norm.ppf(1 - alpha)
        phi = phi * inflate**2
    x, tau, phi = np.broadcast_arrays(x, tau, phi)
    over = phi > 1.0
    k = np.where(over, tau / np.where(over, phi - 1.0, 1.0), 1.0)
    prob = k / (k + tau)
    if lower_is_better:
        nb = stats.nbinom.sf(x - 1, k, prob)
        po = stats.poisson.sf(x - 1, tau)
    else:
        nb = stats.nbinom.cdf(x, k, prob)
        po = stats.poisson.cdf(x, tau)
    return np.where(over, nb, po)


def _phi(dispersion: DispersionResult | None) -> tuple[float, str | None]:
    if dispersion is not None and dispersion.estimated:
        return dispersion.phi_star, None
    if dispersion is not None:
        return 1.0, dispersion.caveat
    return 1.0, (
        "How much the counts vary was not estimated (no monthly series given); this status "
        "assumes Poisson variation, which usually understates it."
    )


def rag_target(
    x: int,
    target: float,
    *,
    lower_is_better: bool = True,
    alpha: float = 0.05,
    dispersion: DispersionResult | None = None,
    monthly_mean: float | None = None,
    sparse: str | None = None,
    months: int = 12,
) -> RAGResult:
    """RAG status against a target count ``τ`` (§4.7 with the dispersion of §10).

    Parameters
    ----------
    x : int
        Observed count for the period.
    target : float
        Target count ``τ`` for the period.
    lower_is_better : bool, default True
    alpha : float, default 0.05
    dispersion : DispersionResult, optional
        φ of the indicator's own monthly series; without it Poisson is assumed (with a caveat).
    monthly_mean : float, optional
        Mean crimes a month of the months before the period judged; below one a month the
        status is grey ("too few crimes a month to judge"), as for the change test.
    sparse : str, optional
        :func:`~crimestats.methods.comparison.sparse_reason` of those months: grey when given.
    months : int, default 12
        Length of the period; a target below one crime a month is grey too ("too few crimes a
        month to judge"): the calibration showed false reds above 6 % there.

    Returns
    -------
    RAGResult
        Green when not worse than the target; red when worse and ``P(X ≥ x | τ, φ*) < α``;
        amber otherwise.

    Examples
    --------
    >>> rag_target(120, 100).colour, rag_target(105, 100).colour, rag_target(90, 100).colour
    ('red', 'amber', 'green')
    """
    phi, caveat = _phi(dispersion)
    worse = x > target if lower_is_better else x < target
    small = x < SMALL_NUMBER_THRESHOLD
    df = dispersion.df_resid if dispersion is not None and dispersion.estimated else None
    p = float(target_p(x, target, phi, df=df, lower_is_better=lower_is_better, alpha=alpha))
    if not worse:
        return RAGResult("green", p, "target", small, phi, caveat, None)
    if sparse is not None:
        return RAGResult("grey", None, "target", small, phi, caveat, sparse)
    if target / months < MIN_MONTHLY_MEAN - 1e-9:
        reason = f"too few crimes a month to judge (target {target:g} in {months} months)"
        return RAGResult("grey", None, "target", small, phi, caveat, reason)
    if monthly_mean is not None and monthly_mean < MIN_MONTHLY_MEAN:
        reason = f"too few crimes a month to judge ({monthly_mean:.1f} a month on average)"
        return RAGResult("grey", None, "target", small, phi, caveat, reason)
    colour = "red" if p < alpha else "amber"
    return RAGResult(colour, p, "target", small, phi, caveat, None)


def rag_baseline(
    x1: int,
    x2: int,
    *,
    lower_is_better: bool = True,
    alpha: float = 0.05,
    dispersion: DispersionResult | None = None,
    monthly_mean: float | None = None,
    sparse: str | None = None,
) -> RAGResult:
    """RAG status of the latest 12 months ``x2`` against the previous 12 ``x1`` (§4.7, §10).

    Red needs the dispersion-aware change test of
    :func:`~crimestats.methods.comparison.two_period_test` (its headline ``p``, not the Poisson
    E-test) to find a worsening distinguishable from noise.

    Examples
    --------
    >>> rag_baseline(420, 480).colour, rag_baseline(420, 430).colour
    ('red', 'amber')
    """
    worse = x2 > x1 if lower_is_better else x2 < x1
    small = x2 < SMALL_NUMBER_THRESHOLD
    test = two_period_test(
        x1,
        x2,
        12,
        12,
        alpha=alpha,
        dispersion=dispersion,
        monthly_mean=monthly_mean,
        sparse=sparse,
    )
    phi, caveat = _phi(dispersion)
    if not worse:
        return RAGResult("green", test.p, "baseline", small, phi, caveat, test.reason)
    if not test.tested or test.p is None:
        return RAGResult("grey", None, "baseline", small, phi, caveat, test.reason)
    colour = "red" if test.p < alpha else "amber"
    return RAGResult(colour, test.p, "baseline", small, phi, caveat, None)
