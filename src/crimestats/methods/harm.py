"""Harm-weighted totals from versioned weights tables (methods reference §6).

Weights are data, not code: they live in ``crimestats/data/harm_weights.json`` with a version
string, and any change to a weight creates a new version.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from crimestats.categories import ASB, GROUPS, SLUG_TO_NAME
from crimestats.methods._common import ResultMixin, check_counts
from crimestats.methods.dispersion import DispersionResult
from crimestats.methods.rates import SMALL_NUMBER_THRESHOLD

__all__ = [
    "DEFAULT_WEIGHTS_VERSION",
    "FEW_EVENTS",
    "HarmInterval",
    "HarmResult",
    "HarmWeights",
    "QuadrantResult",
    "driving_events",
    "harm_dispersion",
    "harm_interval",
    "harm_total_interval",
    "harm_quadrants",
    "harm_rank_intervals",
    "harm_totals",
    "harm_weights",
    "weights_versions",
]

DEFAULT_WEIGHTS_VERSION = "cchi-v1.1"
PROACTIVE: tuple[str, ...] = GROUPS["proactive"]
QUADRANTS = ("priority", "hidden harm", "volume", "low count, low harm")
#: A harm figure is "driven by few events" when this many crimes or fewer make up over half of it.
FEW_EVENTS = 3
_INTERVAL_METHOD = (
    "compound Poisson harm interval: Var(H) = phi* x sum_c w_c^2 x_c (methods reference §10.4), "
    "Fay-Feuer gamma interval for a weighted sum of counts (Fay & Feuer 1997, Statistics in "
    "Medicine 16:791-801) with quasi-Poisson variances; phi* from the area's monthly all-crime "
    "series (§10.1), taken at its upper 90% confidence bound (docs/methods.md)"
)


@dataclass(frozen=True, slots=True)
class HarmWeights(ResultMixin):
    """One versioned weights table.

    Attributes
    ----------
    version : str
    title, unit, source, rule, reference : str
    development_only : bool
        True for tables that must not appear in published outputs.
    warning : str or None
    weights : dict of str to float
        Weight per category slug.
    status : dict of str to str
        Evidence status per slug (e.g. "verified", "approximation").
    notes : dict of str to str
        Offence taken and caveats per slug.
    """

    version: str
    title: str
    unit: str
    source: str
    rule: str
    reference: str
    development_only: bool
    warning: str | None
    weights: dict[str, float]
    status: dict[str, str]
    notes: dict[str, str]


@cache
def _table() -> dict[str, Any]:
    text = resources.files("crimestats").joinpath("data/harm_weights.json").read_text("utf-8")
    table: dict[str, Any] = json.loads(text)
    return table


def weights_versions() -> tuple[str, ...]:
    """Available weights versions.

    Examples
    --------
    >>> weights_versions()
    ('cchi-v1.1', 'css-approx-v1')
    """
    return tuple(_table()["versions"])


def harm_weights(version: str = DEFAULT_WEIGHTS_VERSION) -> HarmWeights:
    """Load one weights table by version.

    Parameters
    ----------
    version : str, default "cchi-v1.1"

    Returns
    -------
    HarmWeights

    Examples
    --------
    >>> w = harm_weights()
    >>> w.weights["robbery"], w.unit, w.development_only
    (365.0, 'days of imprisonment equivalent', False)
    >>> harm_weights("css-approx-v1").development_only
    True
    """
    versions = _table()["versions"]
    if version not in versions:
        raise ValueError(f"unknown harm weights version {version!r}; use one of {list(versions)}")
    entry = versions[version]
    rows = entry["weights"]
    return HarmWeights(
        version,
        entry["title"],
        entry["unit"],
        entry["source"],
        entry["rule"],
        entry["reference"],
        bool(entry["development_only"]),
        entry["warning"],
        {slug: float(row["weight"]) for slug, row in rows.items()},
        {slug: row["status"] for slug, row in rows.items()},
        {slug: row["note"] for slug, row in rows.items()},
    )


@dataclass(frozen=True, slots=True)
class HarmResult(ResultMixin):
    """Harm-weighted total over categories (§6.1, §6.4).

    Attributes
    ----------
    total : float or None
        ``Σ_k h_k x_k`` over included categories; None when no month of the period was counted
        (a gap, not zero harm).
    harm_by_category : dict of str to float
        Harm per included category.
    counts : dict of str to int
        Counts as given (all categories).
    weights : dict of str to float
        Weights used for the included categories.
    included : tuple of str
        Slugs in the total.
    excluded : dict of str to str
        Slugs given but left out, with the reason (ASB is never included).
    weights_version : str
    unit : str
    development_only : bool
    warnings : tuple of str
        E.g. the development-only warning of ``css-approx-v1``.
    method : str
    """

    total: float | None
    harm_by_category: dict[str, float]
    counts: dict[str, int]
    weights: dict[str, float]
    included: tuple[str, ...]
    excluded: dict[str, str]
    weights_version: str
    unit: str
    development_only: bool
    warnings: tuple[str, ...]
    method: str


def harm_totals(
    counts_by_slug: Mapping[str, int],
    weights_version: str = DEFAULT_WEIGHTS_VERSION,
    include_proactive: bool = False,
) -> HarmResult:
    """Harm-weighted total for counts by category slug (§6).

    Parameters
    ----------
    counts_by_slug : mapping of str to int
        Counts per police.uk category slug (see :mod:`crimestats.categories`).
    weights_version : str, default "cchi-v1.1"
    include_proactive : bool, default False
        Add ``drugs`` and ``possession-of-weapons`` (mostly proactively detected, so excluded by
        default). ASB is never included.

    Returns
    -------
    HarmResult

    Examples
    --------
    >>> r = harm_totals({"burglary": 10, "robbery": 2, "drugs": 5, "anti-social-behaviour": 90})
    >>> r.total, r.included
    (920.0, ('burglary', 'robbery'))
    >>> r.excluded["anti-social-behaviour"]
    'not a crime: never in harm totals'
    """
    unknown = sorted(set(counts_by_slug) - set(SLUG_TO_NAME))
    if unknown:
        raise ValueError(f"unknown category slugs {unknown}")
    table = harm_weights(weights_version)
    counts = {slug: int(check_counts(v, slug)) for slug, v in sorted(counts_by_slug.items())}
    excluded: dict[str, str] = {}
    included: list[str] = []
    for slug in counts:
        if slug == ASB:
            excluded[slug] = "not a crime: never in harm totals"
        elif slug in PROACTIVE and not include_proactive:
            excluded[slug] = "proactively detected: excluded by default (include_proactive=False)"
        else:
            included.append(slug)
    harm = {slug: table.weights[slug] * counts[slug] for slug in included}
    return HarmResult(
        float(sum(harm.values())),
        harm,
        counts,
        {slug: table.weights[slug] for slug in included},
        tuple(included),
        excluded,
        table.version,
        table.unit,
        table.development_only,
        (table.warning,) if table.warning else (),
        f"harm index sum(h_k x_k), weights {table.version} ({table.reference}); "
        "exclusions per methods reference §6.4",
    )


@dataclass(frozen=True, slots=True)
class QuadrantResult(ResultMixin):
    """Count-versus-harm quadrants for units (§6.5), arrays aligned with ``codes``.

    Attributes
    ----------
    codes : tuple of str
    count_share, harm_share : numpy.ndarray
        Each unit's share of the total count and total harm.
    quadrant : tuple of str
        "priority" (high count, high harm), "hidden harm" (low count, high harm), "volume"
        (high count, low harm) or "low count, low harm".
    count_split, harm_split : float
        The medians used to split the axes; "high" means strictly above the median.
    hollow : numpy.ndarray of bool
        ``count < 10``: plot hollow (small-number flag).
    method : str
    """

    codes: tuple[str, ...]
    count_share: np.ndarray
    harm_share: np.ndarray
    quadrant: tuple[str, ...]
    count_split: float
    harm_split: float
    hollow: np.ndarray
    method: str = "count-versus-harm quadrants split at the medians (methods reference §6.5)"


def harm_quadrants(codes: Any, counts: Any, harms: Any) -> QuadrantResult:
    """Classify units into count-versus-harm quadrants split at the medians (§6.5).

    Parameters
    ----------
    codes : sequence of str
        Units (LSOAs or categories).
    counts : array_like of int
    harms : array_like of float
        Harm totals for the same units (e.g. from :func:`harm_totals`).

    Returns
    -------
    QuadrantResult

    Examples
    --------
    >>> r = harm_quadrants(["a", "b", "c", "d"], [50, 5, 60, 4], [100, 900, 20, 3])
    >>> r.quadrant
    ('priority', 'hidden harm', 'volume', 'low count, low harm')
    """
    x = check_counts(counts, "counts")
    h = np.asarray(harms, dtype=float)
    names = tuple(str(c) for c in codes)
    if not len(names) == x.size == h.size:
        raise ValueError("codes, counts and harms must have the same length")
    count_share = x / x.sum() if x.sum() > 0 else np.zeros(x.size)
    harm_share = h / h.sum() if h.sum() > 0 else np.zeros(h.size)
    count_split, harm_split = float(np.median(count_share)), float(np.median(harm_share))
    high_count, high_harm = count_share > count_split, harm_share > harm_split
    labels = np.select(
        [high_count & high_harm, ~high_count & high_harm, high_count & ~high_harm],
        QUADRANTS[:3],
        default=QUADRANTS[3],
    )
    return QuadrantResult(
        names, count_share, harm_share, tuple(str(v) for v in labels), count_split, harm_split,
        x < SMALL_NUMBER_THRESHOLD,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class HarmInterval(ResultMixin):
    """Uncertainty of one harm total (§10.4).

    Attributes
    ----------
    total : float
        ``H = Σ_c w_c x_c``.
    variance, sd : float
        ``Var(H) = φ*·Σ_c w_c² x_c`` and its square root.
    lower, upper : float or None
        The interval (``level``): Fay–Feuer gamma limits (see :func:`harm_interval`); ``None``
        with ``reason`` when refused (:func:`harm_total_interval`).
    phi_star : float
    level : float
    crimes : int
        Crimes in the total.
    events_driving : int
        The fewest crimes (heaviest weights first) that make up more than half of ``H``
        (0 when ``H`` is 0).
    driven_by_few : bool
        ``0 < events_driving ≤ 3``: the figure rests on a handful of crimes.
    top_share : dict of str to float
        Share of ``Var(H)`` per category (what the uncertainty comes from).
    reason : str or None
    method : str
    """

    total: float
    variance: float
    sd: float
    lower: float | None
    upper: float | None
    phi_star: float
    level: float
    crimes: int
    events_driving: int
    driven_by_few: bool
    variance_share: dict[str, float]
    reason: str | None
    method: str = _INTERVAL_METHOD


def driving_events(counts: Mapping[str, int], weights: Mapping[str, float]) -> int:
    """The fewest crimes whose harm makes up more than half of the total (heaviest first).

    Examples
    --------
    >>> driving_events({"robbery": 2, "violent-crime": 30, "shoplifting": 40},
    ...                {"robbery": 365.0, "violent-crime": 10.0, "shoplifting": 1.0})
    2
    >>> driving_events({"shoplifting": 0}, {"shoplifting": 1.0})
    0
    """
    total = sum(weights[c] * n for c, n in counts.items())
    if total <= 0:
        return 0
    running, k = 0.0, 0
    for c in sorted(counts, key=lambda c: -weights[c]):
        n, w = int(counts[c]), weights[c]
        if w <= 0 or n <= 0:
            continue
        need = int(np.floor((total / 2 - running) / w)) + 1  # crimes of c to pass half
        if need <= n:
            return k + need
        running += n * w
        k += n
    return k


def harm_interval(
    counts: Mapping[str, int],
    weights: Mapping[str, float],
    phi_star: float = 1.0,
    level: float = 0.95,
    *,
    max_weight: float | None = None,
) -> HarmInterval:
    """Interval for a harm total ``H = Σ w_c x_c`` under a compound (quasi-)Poisson model.

    Parameters
    ----------
    counts : mapping of str to int
        Crimes per included category (excluded categories must not be passed).
    weights : mapping of str to float
    phi_star : float, default 1.0
        Dispersion ``max(1, φ)`` (:func:`crimestats.methods.dispersion.estimate_dispersion`).
    level : float, default 0.95
    max_weight : float, optional
        The heaviest weight a crime of the total could carry (default: the largest weight in
        ``weights`` of the categories passed, zero counts included).

    Returns
    -------
    HarmInterval

    Notes
    -----
    Each category count is (quasi-)Poisson with variance ``φ*·μ_c``, so
    ``Var(H) = φ*·Σ w_c² μ_c``, estimated by plugging in ``x_c`` (methods reference §10.4).
    A plug-in normal interval fails when the harm rests on a rare, heavy category (a robbery
    weighs 365 days; an LSOA with none observed still has some chance of one), so the interval
    is the gamma interval of Fay & Feuer (1997, Statistics in Medicine 16:791-801) for a
    weighted sum of Poisson counts, with quasi-Poisson variances: the lower limit is the
    ``(1 − level)/2`` quantile of a gamma with mean ``H`` and variance ``V``; the upper limit
    that of a gamma with mean ``H + w_M`` and variance ``V + φ*·w_M²`` (one more crime of the
    heaviest weight ``w_M``), and never below that gamma's mean plus 1.96 standard deviations
    (a gamma with a tiny shape puts its upper quantile below its mean, which would make a
    larger φ* give a narrower interval). It tends to ``H ± 1.96·SD`` as ``H`` grows and stays
    above 0 for ``H = 0``. Coverage is in docs/calibration.md.

    Examples
    --------
    >>> r = harm_interval({"robbery": 28, "violent-crime": 2994}, {"robbery": 365.0,
    ...                   "violent-crime": 10.0}, phi_star=1.0)
    >>> r.total, round(r.sd), r.driven_by_few
    (40160.0, 2007, False)
    >>> round(harm_interval({"robbery": 0}, {"robbery": 365.0}).upper)
    1346
    """
    from scipy import stats

    if phi_star < 1.0 or not np.isfinite(phi_star):
        raise ValueError("phi_star must be a finite number >= 1")
    x = {c: int(check_counts(n, c)) for c, n in counts.items()}
    missing = sorted(set(x) - set(weights))
    if missing:
        raise ValueError(f"no weight for {missing}")
    total = float(sum(weights[c] * n for c, n in x.items()))
    terms = {c: weights[c] ** 2 * n for c, n in x.items()}
    variance = phi_star * float(sum(terms.values()))
    crimes = sum(x.values())
    k = driving_events(x, weights)
    share = {c: t / sum(terms.values()) for c, t in terms.items() if t} if variance else {}
    heaviest = max((weights[c] for c in x), default=0.0) if max_weight is None else max_weight
    tail = (1 - level) / 2
    lower = upper = None
    reason = None
    if heaviest <= 0:
        lower = upper = total
        reason = None if total else "no weighted crimes"
    else:
        lower = (
            0.0
            if total <= 0
            else float(stats.gamma.ppf(tail, total**2 / variance, scale=variance / total))
        )
        # One more crime of the heaviest weight, with quasi-Poisson variance φ*·w_M².
        mean_up, var_up = total + heaviest, variance + phi_star * heaviest**2
        upper = float(stats.gamma.ppf(1 - tail, mean_up**2 / var_up, scale=var_up / mean_up))
        # A gamma with a very small shape (huge variance for its mean) puts its upper quantile
        # below the mean; never let more dispersion give a narrower interval.
        upper = max(upper, mean_up + float(stats.norm.ppf(1 - tail)) * float(np.sqrt(var_up)))
    return HarmInterval(
        total, variance, float(np.sqrt(variance)), lower, upper, float(phi_star), level, crimes,
        k, 0 < k <= FEW_EVENTS, dict(sorted(share.items(), key=lambda kv: -kv[1])), reason,
    )  # fmt: skip


def harm_rank_intervals(
    totals: Any,
    variances: Any,
    *,
    level: float = 0.95,
    n_draws: int = 2000,
    seed: int = 20261205,
) -> tuple[np.ndarray, np.ndarray]:
    """Interval of each unit's harm rank (1 = most harm), by a seeded parametric bootstrap.

    Each unit's harm is drawn from a gamma distribution with its total and variance (a unit
    with no harm stays at 0); units are ranked in every draw and the central ``level`` range
    of each unit's rank is returned as ``(best, worst)``.

    Examples
    --------
    >>> best, worst = harm_rank_intervals([1000.0, 990.0, 10.0], [200.0**2, 200.0**2, 9.0])
    >>> best.tolist(), worst.tolist()
    ([1, 1, 3], [2, 2, 3])
    """
    h = np.asarray(totals, dtype=float)
    v = np.asarray(variances, dtype=float)
    n = h.size
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rng = np.random.default_rng(seed)
    draws = np.zeros((n_draws, n))
    live = (h > 0) & (v > 0)
    if live.any():
        shape, scale = h[live] ** 2 / v[live], v[live] / h[live]
        draws[:, live] = rng.gamma(shape, scale, size=(n_draws, int(live.sum())))
    # Rank 1 = most harm; ties (e.g. zeros) share the best rank among them.
    order = np.argsort(-draws, axis=1, kind="stable")
    ranks = np.empty_like(order)
    rows = np.arange(n_draws)[:, None]
    ranks[rows, order] = np.arange(1, n + 1)
    zero = draws == 0
    if zero.any():
        ranks = np.where(zero, (~zero).sum(axis=1, keepdims=True) + 1, ranks)
    tail = (1 - level) / 2
    best = np.floor(np.quantile(ranks, tail, axis=0, method="lower")).astype(np.int64)
    worst = np.ceil(np.quantile(ranks, 1 - tail, axis=0, method="higher")).astype(np.int64)
    return best, worst


def harm_dispersion(
    dispersion: DispersionResult, months_with_crimes: int, q: float = 0.10
) -> float:
    """The dispersion a harm interval uses: an upper confidence bound of φ, at least 1.

    φ is estimated from a few dozen months (Pearson χ² / residual df, §10.1), so it is itself
    uncertain, and in a sparse series most of its months hold no crime and carry almost no
    information about the spread. Plugging φ̂ in made harm intervals too narrow (coverage down
    to 91 %, docs/calibration.md). The harm interval therefore uses the upper ``1 − q`` bound
    ``φ̂·d / χ²_{q}(d)``, where ``d`` is the residual df counted over months with crimes only
    (``months with crimes − parameters``, at least 1). With ``φ`` not estimated, 1.

    Examples
    --------
    >>> from crimestats.methods.dispersion import DispersionResult
    >>> d = DispersionResult(True, 2.0, 2.0, 36, "2023-01", "2025-12", 46.0, 23.0, 0.0, 0.0,
    ...                      0.0, None)
    >>> round(harm_dispersion(d, 36), 3), round(harm_dispersion(d, 15), 3)
    (3.098, 18.982)
    """
    from scipy import stats

    if not dispersion.estimated or dispersion.phi is None or dispersion.df_resid is None:
        return 1.0
    parameters = dispersion.months_used - dispersion.df_resid
    df = max(1.0, min(float(months_with_crimes), dispersion.months_used) - parameters)
    return max(1.0, float(dispersion.phi) * df / float(stats.chi2.ppf(q, df)))


def harm_total_interval(
    counts: Mapping[str, int],
    weights: Mapping[str, float],
    dispersion: DispersionResult,
    months_with_crimes: int,
    level: float = 0.95,
) -> HarmInterval:
    """The interval of a harm total with the dispersion of the area's all-crime series.

    Parameters
    ----------
    counts, weights, level
        As :func:`harm_interval`.
    dispersion : DispersionResult
        :func:`crimestats.methods.dispersion.estimate_dispersion` of the area's monthly
        all-crime series.
    months_with_crimes : int
        Months of that series (within the months φ was estimated from) with any crime.

    Returns
    -------
    HarmInterval
        ``phi_star`` is :func:`harm_dispersion` (an upper confidence bound of φ).

    Examples
    --------
    >>> from crimestats.methods.dispersion import not_estimated
    >>> r = harm_total_interval({"robbery": 1}, {"robbery": 365.0}, not_estimated("x"), 0)
    >>> r.phi_star, round(r.upper)
    (1.0, 2034)
    """
    return harm_interval(counts, weights, harm_dispersion(dispersion, months_with_crimes), level)
