"""Top-N areas, repeat map point wording and concentration of crime (§5.5–§5.7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from crimestats.methods._common import ResultMixin, check_counts
from crimestats.methods.rates import (
    GARWOOD_METHOD,
    SMALL_NUMBER_THRESHOLD,
    poisson_interval,
    town_centre_flags,
)

__all__ = [
    "MAP_POINT_FORBIDDEN_WORDS",
    "MAP_POINT_LABEL",
    "MAP_POINT_NOTE",
    "ConcentrationResult",
    "TopNResult",
    "concentration",
    "map_point_description",
    "top_n_by_count",
    "top_n_by_rate",
]

MAP_POINT_LABEL = "map point (snapped)"
MAP_POINT_NOTE = (
    "police.uk moves each crime to the nearest of a fixed set of anonymous map points, so many "
    "nearby crimes are snapped to the same point, especially at supermarkets, stations, parks "
    "and car parks. A map point with many crimes is not an address and not a repeat victim."
)
#: Words never to use for a map point (§1.2, §5.6); a test checks generated text against them.
MAP_POINT_FORBIDDEN_WORDS = ("address", "premises", "property", "victim", "repeat location")
MAP_POINT_UNITS_NOTE = (
    "Only map points that appear in the data are known, so map points with no crimes are not "
    "included."
)


def map_point_description(crimes: int) -> str:
    """Wording for one repeat map point (§5.6).

    Examples
    --------
    >>> map_point_description(14)
    'map point with 14 crimes recorded against it'
    >>> map_point_description(1)
    'map point with 1 crime recorded against it'
    """
    noun = "crime" if crimes == 1 else "crimes"
    return f"map point with {crimes:,} {noun} recorded against it"


@dataclass(frozen=True, slots=True)
class TopNResult(ResultMixin):
    """Top-N areas, rows in rank order.

    Attributes
    ----------
    codes : tuple of str
    counts : numpy.ndarray
    lower, upper : numpy.ndarray
        Exact 95 % interval for the count (by count) or for the rate per 1,000 (by rate).
    share : numpy.ndarray
        Share of the area total count (0–1).
    rate : numpy.ndarray or None
        Rate per 1,000 (``top_n_by_rate`` only).
    populations : numpy.ndarray or None
    town_centre : numpy.ndarray of bool or None
        Rate ≥ 5× the partnership rate ("residential denominator may be inappropriate").
    small_number_codes : tuple of str
        ``top_n_by_rate``: areas with ``x < 10`` listed separately, never ranked.
    population_year : int or None
    ranked_by : str
        ``"count"`` or ``"rate"``.
    method : str
    """

    codes: tuple[str, ...]
    counts: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    share: np.ndarray
    rate: np.ndarray | None
    populations: np.ndarray | None
    town_centre: np.ndarray | None
    small_number_codes: tuple[str, ...]
    population_year: int | None
    ranked_by: str
    method: str


def top_n_by_count(codes: Any, counts: Any, n: int = 10, alpha: float = 0.05) -> TopNResult:
    """Top ``n`` areas by count, ties broken by code ascending (§5.5).

    Parameters
    ----------
    codes : sequence of str
        Area codes (e.g. LSOA 2021 codes).
    counts : array_like of int
    n : int, default 10
    alpha : float, default 0.05

    Returns
    -------
    TopNResult
        With exact interval for each count and its share of the total of *all* areas given.

    Examples
    --------
    >>> r = top_n_by_count(["E3", "E1", "E2"], [5, 9, 9], n=2)
    >>> r.codes, r.share.round(3).tolist()
    (('E1', 'E2'), [0.391, 0.391])
    """
    names = np.asarray(codes, dtype=str)
    x = check_counts(counts, "counts")
    if names.shape != x.shape:
        raise ValueError("codes and counts must have the same length")
    order = np.lexsort((names, -x))[:n]  # last key sorts first: count desc, then code asc
    lower, upper = poisson_interval(x[order], alpha)
    total = x.sum()
    share = x[order] / total if total > 0 else np.zeros(order.size)
    return TopNResult(
        codes=tuple(names[order].tolist()),
        counts=x[order].astype(np.int64),
        lower=lower,
        upper=upper,
        share=share,
        rate=None,
        populations=None,
        town_centre=None,
        small_number_codes=(),
        population_year=None,
        ranked_by="count",
        method=f"top {n} by count, ties by code; {GARWOOD_METHOD} (methods reference §5.5)",
    )


def top_n_by_rate(
    codes: Any,
    counts: Any,
    populations: Any,
    n: int = 10,
    *,
    min_count: int = SMALL_NUMBER_THRESHOLD,
    partnership_rate: float | None = None,
    population_year: int | None = None,
    alpha: float = 0.05,
) -> TopNResult:
    """Top ``n`` areas by rate per 1,000 among areas with ``x ≥ 10`` (§5.5).

    Parameters
    ----------
    codes : sequence of str
    counts : array_like of int
    populations : array_like of float
        Areas without a population (``nan`` or 0) are left out.
    n : int, default 10
    min_count : int, default 10
        Areas below it are listed in ``small_number_codes`` instead of being ranked.
    partnership_rate : float, optional
        For the town-centre flag (rate ≥ 5× partnership rate); default: pooled rate of the
        areas given.
    population_year : int, optional
        Recorded in the result (the population year used).
    alpha : float, default 0.05

    Returns
    -------
    TopNResult
        ``lower``/``upper`` are the exact interval of the rate; ties by code ascending.

    Examples
    --------
    >>> r = top_n_by_rate(["A", "B", "C"], [40, 12, 3], [1000, 1500, 10], n=5)
    >>> r.codes, r.small_number_codes, r.rate.tolist()
    (('A', 'B'), ('C',), [40.0, 8.0])
    """
    names = np.asarray(codes, dtype=str)
    x = check_counts(counts, "counts")
    pop = np.asarray(populations, dtype=float)
    if not names.shape == x.shape == pop.shape:
        raise ValueError("codes, counts and populations must have the same length")
    has_pop = np.isfinite(pop) & (pop > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(has_pop, 1000.0 * x / pop, np.nan)
    if partnership_rate is None:
        partnership_rate = 1000.0 * x[has_pop].sum() / pop[has_pop].sum() if has_pop.any() else 0
    eligible = has_pop & (x >= min_count)
    small = np.sort(names[has_pop & (x < min_count)])
    idx = np.flatnonzero(eligible)
    order = idx[np.lexsort((names[idx], -rate[idx]))][:n]
    lower, upper = poisson_interval(x[order], alpha)
    scale = 1000.0 / pop[order]
    total = x.sum()
    share = x[order] / total if total > 0 else np.zeros(order.size)
    return TopNResult(
        codes=tuple(names[order].tolist()),
        counts=x[order].astype(np.int64),
        lower=lower * scale,
        upper=upper * scale,
        share=share,
        rate=rate[order],
        populations=pop[order],
        town_centre=town_centre_flags(rate[order], partnership_rate),
        small_number_codes=tuple(small.tolist()),
        population_year=population_year,
        ranked_by="rate",
        method=f"top {n} by rate per 1,000 among areas with at least {min_count} crimes; "
        f"{GARWOOD_METHOD} (methods reference §5.5, §2.1)",
    )


@dataclass(frozen=True, slots=True)
class ConcentrationResult(ResultMixin):
    """How concentrated crime is across units (§5.7).

    Attributes
    ----------
    n_units : int
        All units, including those with zero crimes.
    total : int
    k_25, k_50 : int or None
        Fewest units holding at least 25 % / 50 % of crime.
    share_units_25, share_units_50 : float or None
        ``k_q / n_units``.
    gini : float or None
        ``Σ (2i − n − 1) x_(i) / (n Σ x)``; ``None`` when all counts are zero.
    gini_corrected : float or None
        ``gini · n/(n − 1)``.
    lorenz_x, lorenz_y : numpy.ndarray
        Lorenz points ``(i/n, cumulative share)`` for i = 0..n, counts ascending.
    unit : str
    reason : str or None
    method : str
    """

    n_units: int
    total: int
    k_25: int | None
    k_50: int | None
    share_units_25: float | None
    share_units_50: float | None
    gini: float | None
    gini_corrected: float | None
    lorenz_x: np.ndarray
    lorenz_y: np.ndarray
    unit: str
    reason: str | None
    method: str = (
        "share of units for 25 %/50 % of crime, Gini coefficient with zeros included, Lorenz "
        "curve (methods reference §5.7)"
    )


def concentration(counts: Any, unit: str = "LSOA") -> ConcentrationResult:
    """Concentration of crime across units: k for 25 %/50 %, Gini and Lorenz curve (§5.7).

    Parameters
    ----------
    counts : array_like of int
        One count per unit, **including units with zero crimes**.
    unit : str, default "LSOA"
        ``"LSOA"`` or ``"map point"`` (for map points only points in the data are known).

    Returns
    -------
    ConcentrationResult

    Examples
    --------
    >>> r = concentration([0, 0, 0, 0, 1, 1, 2, 3, 5, 8, 12, 28])
    >>> round(r.gini, 12), round(r.gini_corrected, 7), r.k_25, r.k_50
    (0.7, 0.7636364, 1, 2)
    """
    x = np.sort(check_counts(counts, "counts").reshape(-1))
    n = x.size
    total = x.sum()
    lorenz_x = np.arange(n + 1) / n if n else np.zeros(1)
    if n == 0 or total == 0:
        return ConcentrationResult(
            n, 0, None, None, None, None, None, None, lorenz_x, np.zeros(n + 1), unit,
            "no crimes in any unit",
        )  # fmt: skip
    lorenz_y = np.concatenate([[0.0], np.cumsum(x) / total])
    ranks = np.arange(1, n + 1)
    gini = float(((2 * ranks - n - 1) * x).sum() / (n * total))
    descending = np.cumsum(x[::-1]) / total
    # Smallest k with cumulative share ≥ q; the tiny tolerance absorbs rounding in the cumsum.
    k25, k50 = (int(np.searchsorted(descending, q - 1e-12) + 1) for q in (0.25, 0.5))
    return ConcentrationResult(
        n, int(total), k25, k50, k25 / n, k50 / n, gini,
        gini * n / (n - 1) if n > 1 else None, lorenz_x, lorenz_y, unit, None,
    )  # fmt: skip
