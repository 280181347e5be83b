"""Red/amber/green status that never shows red for noise (methods reference §4.7)."""

from __future__ import annotations

from dataclasses import dataclass

from scipy import stats

from crimestats.methods._common import ResultMixin
from crimestats.methods.comparison import two_period_test
from crimestats.methods.rates import SMALL_NUMBER_THRESHOLD

__all__ = ["RAGResult", "rag_baseline", "rag_target"]


@dataclass(frozen=True, slots=True)
class RAGResult(ResultMixin):
    """Red/amber/green status that never shows red for noise (§4.7).

    Attributes
    ----------
    colour : str
        ``"green"``, ``"amber"`` (worse, could be noise) or ``"red"`` (worse and
        distinguishable from noise); ``"grey"`` when no test is possible.
    p : float or None
        ``P(X ≥ x | τ)`` (target) or the E-test p (baseline).
    basis : str
        ``"target"`` or ``"baseline"``.
    small_number : bool
        ``x < 10``: show the flag with the colour.
    reason : str or None
    method : str
    """

    colour: str
    p: float | None
    basis: str
    small_number: bool
    reason: str | None
    method: str = "RAG rule: red only when worse and p < 0.05 (methods reference §4.7)"


def rag_target(
    x: int, target: float, *, lower_is_better: bool = True, alpha: float = 0.05
) -> RAGResult:
    """RAG status against a target count ``τ`` (§4.7).

    Parameters
    ----------
    x : int
        Observed count for the period.
    target : float
        Target count ``τ`` for the period.
    lower_is_better : bool, default True
    alpha : float, default 0.05

    Returns
    -------
    RAGResult
        Lower is better: green ``x ≤ τ``; otherwise red if ``P(X ≥ x | τ) < α`` else amber.

    Examples
    --------
    >>> rag_target(120, 100).colour, rag_target(105, 100).colour, rag_target(90, 100).colour
    ('red', 'amber', 'green')
    """
    if lower_is_better:
        worse = x > target
        p = float(stats.poisson.sf(x - 1, target))
    else:
        worse = x < target
        p = float(stats.poisson.cdf(x, target))
    colour = "green" if not worse else ("red" if p < alpha else "amber")
    return RAGResult(colour, p, "target", x < SMALL_NUMBER_THRESHOLD, None)


def rag_baseline(
    x1: int, x2: int, *, lower_is_better: bool = True, alpha: float = 0.05
) -> RAGResult:
    """RAG status of the latest 12 months ``x2`` against the previous 12 ``x1`` (§4.7).

    Examples
    --------
    >>> rag_baseline(420, 480).colour, rag_baseline(420, 430).colour
    ('red', 'amber')
    """
    worse = x2 > x1 if lower_is_better else x2 < x1
    small = x2 < SMALL_NUMBER_THRESHOLD
    test = two_period_test(x1, x2, 12, 12, alpha=alpha)
    if not worse:
        return RAGResult("green", test.p_etest, "baseline", small, test.reason)
    if not test.tested or test.p_etest is None:
        return RAGResult("grey", None, "baseline", small, test.reason)
    colour = "red" if test.p_etest < alpha else "amber"
    return RAGResult(colour, test.p_etest, "baseline", small, None)
