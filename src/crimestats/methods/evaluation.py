"""Evaluating place-based interventions: relative effect, WDD, WDQ and minimum data (§4.1–§4.5).

Notation: treated area T, control C, displacement buffer D, displacement control DC; 0 = pre
period, 1 = post period.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import stats

from crimestats.methods._common import ResultMixin, check_counts, level_text, two_sided_p
from crimestats.methods.verdicts import Verdict, verdict

__all__ = [
    "TOO_FEW",
    "HarmWDDResult",
    "MinimumDataResult",
    "RelativeEffectResult",
    "WDDResult",
    "WDQResult",
    "check_minimum_data",
    "harm_wdd",
    "relative_effect",
    "wdd",
    "wdq",
]

TOO_FEW = "too few crimes to evaluate"
_WDD_METHOD = (
    "weighted displacement difference test (Wheeler & Ratcliffe 2018, Crime Science 7:11, "
    "doi:10.1186/s40163-018-0085-5; = ptools wdd()) (methods reference §4.2)"
)


def _ci(estimate: float, se: float, alpha: float) -> tuple[float, float]:
    half = float(stats.norm.ppf(1 - alpha / 2)) * se
    return estimate - half, estimate + half


@dataclass(frozen=True, slots=True)
class RelativeEffectResult(ResultMixin):
    """Relative effect ``RE = (T0·C1)/(T1·C0)`` (§4.1); RE > 1 means crime fell relative to C.

    Attributes
    ----------
    re, log_re, var_log, se_log : float or None
    lower, upper : float or None
        ``exp(ln RE ± z·SE)``.
    z, p : float or None
        Two-sided p.
    relative_reduction : float or None
        ``1 − 1/RE`` (a proportion; show only beside the test).
    crimes_change, crimes_lower, crimes_upper : float or None
        ``T1 − T0·C1/C0 = T1·(1 − RE)``: post-period crimes in T compared with the control
        trend, and the RE interval mapped the same way (conditional on T1).
    phi_star : float
        Dispersion factor multiplying the Poisson variance (§10; 1 = Poisson).
    p_poisson : float or None
        The Poisson p (variance not inflated), shown beside it (§4.1 as amended by §10).
    verdict : Verdict or None
    reason : str or None
        "too few crimes" when any cell is zero.
    alpha : float
    method : str
    """

    re: float | None
    log_re: float | None
    var_log: float | None
    se_log: float | None
    lower: float | None
    upper: float | None
    z: float | None
    p: float | None
    relative_reduction: float | None
    crimes_change: float | None
    crimes_lower: float | None
    crimes_upper: float | None
    phi_star: float
    p_poisson: float | None
    verdict: Verdict | None
    reason: str | None
    alpha: float
    method: str = (
        "relative effect (odds ratio) with log-normal interval (Welsh & Farrington 2009, Justice "
        "Quarterly 26:716-745; Farrington & Welsh 2002, HORS 251) (methods reference §4.1)"
    )


def relative_effect(
    T0: int, T1: int, C0: int, C1: int, alpha: float = 0.05, *, phi_star: float = 1.0
) -> RelativeEffectResult:
    """Welsh–Farrington relative effect with its Poisson log-variance (§4.1).

    Parameters
    ----------
    T0, T1 : int
        Treated area counts before and after.
    C0, C1 : int
        Control area counts before and after.
    alpha : float, default 0.05
    phi_star : float, default 1
        ``max(1, φ)`` of the areas' monthly series (§10.1): multiplies ``Var(ln RE)``, as §10
        asks by default; the Poisson p is kept in ``p_poisson``.

    Returns
    -------
    RelativeEffectResult

    Notes
    -----
    ``Var(ln RE) = 1/T0 + 1/T1 + 1/C0 + 1/C1``; equals ``exp(−β)`` for the treat×post term of a
    Poisson GLM on the four counts. No continuity correction: any zero cell gives no result.

    Examples
    --------
    >>> r = relative_effect(207, 110, 308, 318)
    >>> round(r.re, 6), round(r.lower, 5), round(r.upper, 6), round(r.relative_reduction, 4)
    (1.942916, 1.46939, 2.569042, 0.4853)
    >>> relative_effect(0, 5, 10, 10).reason
    'too few crimes'
    """
    cells = check_counts([T0, T1, C0, C1], "counts")
    if np.any(cells == 0):
        return RelativeEffectResult(
            None, None, None, None, None, None, None, None, None, None, None, None,
            max(1.0, phi_star), None, None, "too few crimes", alpha,
        )  # fmt: skip
    phi = max(1.0, float(phi_star))
    re = (T0 * C1) / (T1 * C0)
    log_re = math.log(re)
    var_poisson = float((1.0 / cells).sum())
    var = phi * var_poisson
    se = math.sqrt(var)
    p_poisson = float(two_sided_p(log_re / math.sqrt(var_poisson)))
    low_log, high_log = _ci(log_re, se, alpha)
    z = log_re / se
    p = float(two_sided_p(z))
    lower, upper = math.exp(low_log), math.exp(high_log)
    change, c_low, c_high = T1 * (1 - re), T1 * (1 - upper), T1 * (1 - lower)
    words = verdict(
        p, change, c_low, c_high, relative_to_comparison=True,
        percent=-100 * (1 - 1 / re), percent_label="relative change", alpha=alpha,
    )  # fmt: skip
    return RelativeEffectResult(
        re, log_re, var, se, lower, upper, z, p, 1 - 1 / re, change, c_low, c_high, phi,
        p_poisson, words, None, alpha,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class WDDResult(ResultMixin):
    """Weighted displacement difference test (§4.2).

    Attributes
    ----------
    est_local, var_local, se_local : float
    est_displacement, var_displacement, se_displacement : float
    wdd, variance, se, z : float
        Negative ``wdd`` = fewer crimes than expected from the control trend.
    p : float
        Two-sided by default; ``Φ(z)`` when ``one_sided=True`` (pre-registered reduction).
    lower, upper : float
        ``wdd ± z_{1−α/2}·SE``; with ``one_sided`` the matching one-sided bound
        ``upper = wdd + z_{1−α}·SE`` and ``lower = −∞`` (so p and interval always agree).
    one_sided : bool
    phi_star : float
        Dispersion factor multiplying every variance term (§10; 1 = Poisson).
    p_poisson : float
        The same test with Poisson variance, shown beside it.
    verdict : Verdict
    alpha : float
    method : str
    """

    est_local: float
    var_local: float
    se_local: float
    est_displacement: float
    var_displacement: float
    se_displacement: float
    wdd: float
    variance: float
    se: float
    z: float
    p: float
    lower: float
    upper: float
    one_sided: bool
    phi_star: float
    p_poisson: float
    verdict: Verdict
    alpha: float
    method: str = _WDD_METHOD


def wdd(
    T0: float,
    T1: float,
    C0: float,
    C1: float,
    D0: float = 0,
    D1: float = 0,
    DC0: float = 0,
    DC1: float = 0,
    *,
    time_weights: tuple[float, float] = (1.0, 1.0),
    area_weights: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0),
    alpha: float = 0.05,
    one_sided: bool = False,
    phi_star: float = 1.0,
) -> WDDResult:
    """Wheeler–Ratcliffe weighted displacement difference test (§4.2).

    Parameters
    ----------
    T0, T1, C0, C1 : float
        Treated and control counts, pre (0) and post (1).
    D0, D1, DC0, DC1 : float, default 0
        Displacement buffer and its control; zeros mean no displacement areas.
    time_weights : (pre, post), default (1, 1)
        Period lengths (as ptools ``time_weights``).
    area_weights : (treated, control, displacement, displacement control), default all 1
        Area sizes. Each count is divided by ``w = time weight × area weight`` and each variance
        term by ``w²``. (Note the order differs from ptools, which lists control first.)
    alpha : float, default 0.05
        SaferPlaces default (ptools uses 0.10).
    one_sided : bool, default False
        Pre-registered reduction hypothesis: ``p = Φ(z)`` and a one-sided interval (upper bound
        only) at the same level, so the two never disagree; a rise is never "distinguishable".
    phi_star : float, default 1
        ``max(1, φ)`` of the areas' monthly series (§10.1); multiplies the variance, as §10
        asks. ``p_poisson`` keeps the Poisson p beside it.

    Returns
    -------
    WDDResult

    Examples
    --------
    >>> r = wdd(207, 110, 308, 318, 178, 157, 150, 140)
    >>> r.wdd, round(r.se, 5), round(r.z, 6), round(r.lower, 4), round(r.upper, 5)
    (-118.0, 39.59798, -2.97995, -195.6106, -40.38939)
    >>> r.verdict.estimate_text
    '118 fewer crimes (between 196 fewer and 40 fewer crimes)'
    """
    counts = check_counts([T0, T1, C0, C1, D0, D1, DC0, DC1], "counts")
    t_pre, t_post = time_weights
    a_t, a_c, a_d, a_dc = area_weights
    w = np.array([t_pre * a_t, t_post * a_t, t_pre * a_c, t_post * a_c,
                  t_pre * a_d, t_post * a_d, t_pre * a_dc, t_post * a_dc])  # fmt: skip
    rate = counts / w
    var_terms = counts / w**2
    est_l = (rate[1] - rate[0]) - (rate[3] - rate[2])
    est_d = (rate[5] - rate[4]) - (rate[7] - rate[6])
    phi = max(1.0, float(phi_star))
    var_l, var_d = phi * float(var_terms[:4].sum()), phi * float(var_terms[4:].sum())
    total, variance = float(est_l + est_d), var_l + var_d
    se = math.sqrt(variance)
    z = total / se if se > 0 else 0.0
    z_poisson = z * math.sqrt(phi)

    def p_of(value: float) -> float:
        return float(stats.norm.cdf(value)) if one_sided else float(two_sided_p(value))

    p = p_of(z)
    if one_sided:
        lower, upper = -math.inf, total + float(stats.norm.ppf(1 - alpha)) * se
        words = verdict(p, total, relative_to_comparison=True, alpha=alpha)
        magnitude = verdict(p, abs(upper)).estimate_text.split(" ")[0]
        bound = f"at least {magnitude} fewer" if upper < 0 else f"at most {magnitude} more"
        words = Verdict(
            words.headline.replace("level", "level (one-sided: a fall was the hypothesis)", 1),
            f"{words.estimate_text} (one-sided {level_text(alpha)} bound: {bound})",
            "", words.direction, words.significant, words.strong,
        )  # fmt: skip
        words = replace(words, text=f"{words.headline}: {words.estimate_text}.")
    else:
        lower, upper = _ci(total, se, alpha)
        words = verdict(p, total, lower, upper, relative_to_comparison=True, alpha=alpha)
    return WDDResult(
        float(est_l), var_l, math.sqrt(var_l), float(est_d), var_d, math.sqrt(var_d), total,
        variance, se, z, p, lower, upper, one_sided, phi, p_of(z_poisson), words, alpha,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class HarmWDDResult(ResultMixin):
    """Harm-weighted WDD ``Σ h_k WDD_k`` with ``Var = Σ h_k² Var_k`` (§4.4).

    Attributes
    ----------
    wdd, se, z, p, lower, upper : float
    weights : tuple of float
    verdict : Verdict
    unit : str
    alpha : float
    method : str
    """

    wdd: float
    se: float
    z: float
    p: float
    lower: float
    upper: float
    weights: tuple[float, ...]
    verdict: Verdict
    unit: str
    alpha: float
    method: str = (
        "harm-weighted WDD (Wheeler 2020; = ptools wdd_harm(est, se, weight)) "
        "(methods reference §4.4)"
    )


def harm_wdd(
    estimates: Sequence[float],
    ses: Sequence[float],
    weights: Sequence[float],
    alpha: float = 0.05,
    unit: str = "harm days",
) -> HarmWDDResult:
    """Combine per-category WDD estimates with harm weights (§4.4).

    Parameters
    ----------
    estimates, ses : sequence of float
        WDD estimate and standard error per category (from :func:`wdd`).
    weights : sequence of float
        Harm weight per category (0 for excluded categories, §6.4).
    alpha : float, default 0.05
    unit : str, default "harm days"

    Returns
    -------
    HarmWDDResult

    Examples
    --------
    >>> r = harm_wdd([-14, -42, -157, -30, -60],
    ...              [(133+91+130+74) ** .5, (388+305+327+202) ** .5, (148+97+398+190) ** .5,
    ...               (86+64+144+92) ** .5, (94+67+183+96) ** .5], [3, 2, 5, 7, 10])
    >>> r.wdd, round(r.se, 4), round(r.z, 6)
    (-1721.0, 304.1036, -5.659256)
    """
    est = np.asarray(estimates, dtype=float)
    se_k = np.asarray(ses, dtype=float)
    h = np.asarray(weights, dtype=float)
    if not est.shape == se_k.shape == h.shape:
        raise ValueError("estimates, ses and weights must have the same length")
    total = float((h * est).sum())
    se = math.sqrt(float((h**2 * se_k**2).sum()))
    z = total / se if se > 0 else 0.0
    p = float(two_sided_p(z))
    lower, upper = _ci(total, se, alpha)
    words = verdict(p, total, lower, upper, unit=unit, relative_to_comparison=True, alpha=alpha)
    return HarmWDDResult(total, se, z, p, lower, upper, tuple(h.tolist()), words, unit, alpha)


@dataclass(frozen=True, slots=True)
class WDQResult(ResultMixin):
    """Weighted displacement quotient, descriptive only (§4.3).

    Attributes
    ----------
    wdq : float or None
    numerator : float or None
        ``D1/C1 − D0/C0``.
    success_measure : float or None
        ``T1/C1 − T0/C0``; must be negative for WDQ to be interpreted.
    interpretation : str
    reason : str or None
    method : str
    """

    wdq: float | None
    numerator: float | None
    success_measure: float | None
    interpretation: str
    reason: str | None
    method: str = (
        "weighted displacement quotient (Bowers & Johnson 2003, J. Quant. Criminology "
        "19:275-301), descriptive (methods reference §4.3)"
    )


def wdq(T0: float, T1: float, C0: float, C1: float, D0: float, D1: float) -> WDQResult:
    """Bowers–Johnson weighted displacement quotient with one control area (§4.3).

    Parameters
    ----------
    T0, T1, C0, C1, D0, D1 : float
        Treated, control and displacement counts, pre (0) and post (1).

    Returns
    -------
    WDQResult

    Examples
    --------
    >>> r = wdq(207, 110, 308, 318, 178, 157)
    >>> round(r.wdq, 7), r.interpretation
    (0.2581857, 'diffusion of benefit, smaller than the direct effect')
    """
    if C0 == 0 or C1 == 0:
        return WDQResult(None, None, None, "not interpreted", "control count is zero")
    numerator = D1 / C1 - D0 / C0
    success = T1 / C1 - T0 / C0
    if success >= 0:
        return WDQResult(
            None, numerator, success, "not interpreted",
            "the treated area did not improve relative to the control (success measure >= 0)",
        )  # fmt: skip
    value = numerator / success
    if value > 1:
        text = "diffusion of benefit larger than the direct effect"
    elif value > 0:
        text = "diffusion of benefit, smaller than the direct effect"
    elif value < -1:
        text = "displacement exceeds the direct benefit"
    elif value < 0:
        text = "displacement, smaller than the direct benefit"
    else:
        text = "neither displacement nor diffusion"
    return WDQResult(value, numerator, success, text, None)


@dataclass(frozen=True, slots=True)
class MinimumDataResult(ResultMixin):
    """Whether an evaluation meets the minimum conditions of §4.5.

    Attributes
    ----------
    ok : bool
    reasons : tuple of str
        Each failed condition; when any fails the verdict is :data:`TOO_FEW` and only counts
        are shown.
    """

    ok: bool
    reasons: tuple[str, ...]


def check_minimum_data(
    T0: int,
    T1: int,
    C0: int,
    C1: int,
    pre_months: int,
    post_months: int,
    *,
    time_weights_given: bool = False,
    missing_months: bool = False,
) -> MinimumDataResult:
    """Check the §4.5 minimum conditions for an evaluation.

    Examples
    --------
    >>> check_minimum_data(12, 5, 30, 28, 12, 12).reasons
    ('T0 + T1 < 20',)
    """
    reasons = []
    if min(pre_months, post_months) < 6:
        reasons.append("pre and post periods must each be at least 6 months")
    if pre_months != post_months and not time_weights_given:
        reasons.append("pre and post periods differ in length and no time weights were given")
    if T0 + T1 < 20:
        reasons.append("T0 + T1 < 20")
    if C0 + C1 < 20:
        reasons.append("C0 + C1 < 20")
    if 0 in (T0, T1, C0, C1):
        reasons.append("a count (T0, T1, C0 or C1) is zero")
    if missing_months:
        reasons.append("a period contains a missing month")
    return MinimumDataResult(not reasons, tuple(reasons))
