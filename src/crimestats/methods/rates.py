"""Counts and rates per 1,000 residents with exact Poisson intervals (methods reference §2.1–§2.5).

Also the pooled peer-group rate of §2.4.

Population is treated as fixed; only the count carries Poisson uncertainty (§2.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from crimestats.methods._common import ResultMixin, check_counts

__all__ = [
    "GARWOOD_METHOD",
    "SMALL_NUMBER_NOTE",
    "SMALL_NUMBER_THRESHOLD",
    "TOWN_CENTRE_FACTOR",
    "TOWN_CENTRE_NOTE",
    "RateResult",
    "PooledRateResult",
    "RatesResult",
    "poisson_interval",
    "pooled_rate",
    "rate_per_1000",
    "rates_per_1000",
    "town_centre_flags",
]

GARWOOD_METHOD = (
    "exact Poisson interval (Garwood 1936, Biometrika 28:437-442; chi-square form, "
    "= statsmodels confint_poisson method='exact-c')"
)
SMALL_NUMBER_THRESHOLD = 10
SMALL_NUMBER_NOTE = "fewer than 10 crimes: interpret with care"
TOWN_CENTRE_FACTOR = 5.0
TOWN_CENTRE_NOTE = "residential denominator may be inappropriate"
NO_POPULATION = "no population"

_RATE_METHOD = f"crude rate per 1,000 residents, {GARWOOD_METHOD} (methods reference §2.1)"


@overload
def poisson_interval(x: float, alpha: float = 0.05) -> tuple[float, float]: ...
@overload
def poisson_interval(x: np.ndarray, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]: ...
def poisson_interval(x: Any, alpha: float = 0.05) -> tuple[Any, Any]:
    """Exact (Garwood) confidence interval for a Poisson mean given one observed count.

    Parameters
    ----------
    x : int or array_like of int
        Observed count(s), non-negative.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    lower, upper : float or numpy.ndarray
        ``L = ½·χ²_{α/2}(2x)`` (0 when ``x = 0``) and ``U = ½·χ²_{1−α/2}(2x + 2)``. Scalars in,
        floats out; arrays in, arrays out.

    Notes
    -----
    Garwood (1936), "Fiducial limits for the Poisson distribution", Biometrika 28:437–442.
    Identical to ``statsmodels.stats.rates.confint_poisson(x, 1, method="exact-c")`` and to the
    gamma form ``Gamma.ppf(α/2, x)``, ``Gamma.ppf(1−α/2, x+1)``. Methods reference §2.1, §9.1.

    Examples
    --------
    >>> lower, upper = poisson_interval(0)
    >>> lower, round(upper, 6)
    (0.0, 3.688879)
    >>> lower, upper = poisson_interval([1, 10])
    >>> upper.round(4).tolist()
    [5.5716, 18.3904]
    """
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    counts = check_counts(x, "x")
    # chi2.ppf(q, 0) is nan; the lower limit for a zero count is 0 by definition.
    with np.errstate(invalid="ignore"):
        lower = np.where(counts > 0, stats.chi2.ppf(alpha / 2, 2 * counts) / 2, 0.0)
    upper = stats.chi2.ppf(1 - alpha / 2, 2 * counts + 2) / 2
    if counts.ndim == 0:
        return float(lower), float(upper)
    return lower, upper


@dataclass(frozen=True, slots=True)
class RateResult(ResultMixin):
    """Rate per 1,000 residents for one area and period.

    Attributes
    ----------
    count : int
        Recorded crimes in the period.
    count_lower, count_upper : float
        Exact Poisson interval for the count (§2.1).
    population : float or None
        Residents (ONS mid-year estimate); ``None`` when not available.
    months : int
        Length of the period in months.
    rate, lower, upper : float or None
        Rate per 1,000 for the stated period and its interval; ``None`` with ``reason`` when
        there is no population.
    annualised_rate, annualised_lower, annualised_upper : float or None
        The same scaled by ``12 / months``.
    small_number : bool
        ``count < 10`` (§2.5): show the value but do not rank or colour it.
    flags : tuple of str
        Plain-English flags to show with the value (e.g. :data:`SMALL_NUMBER_NOTE`).
    reason : str or None
        Why no rate was computed (``"no population"``).
    alpha : float
        One minus the confidence level.
    method : str
        Method and citation for provenance.
    """

    count: int
    count_lower: float
    count_upper: float
    population: float | None
    months: int
    rate: float | None
    lower: float | None
    upper: float | None
    annualised_rate: float | None
    annualised_lower: float | None
    annualised_upper: float | None
    small_number: bool
    flags: tuple[str, ...]
    reason: str | None
    alpha: float
    method: str = _RATE_METHOD


def rate_per_1000(
    count: int, population: float | None, months: int = 12, alpha: float = 0.05
) -> RateResult:
    """Crimes per 1,000 residents with an exact Poisson interval.

    Parameters
    ----------
    count : int
        Recorded crimes in the period.
    population : float or None
        Resident population; ``None``, 0 or a non-finite value gives no rate (reason
        ``"no population"``).
    months : int, default 12
        Length of the period, used for the annualised rate ``rate · 12 / months``.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    RateResult

    Notes
    -----
    ``rate = 1000·x/P``, interval ``[1000·L/P, 1000·U/P]`` with ``L, U`` from
    :func:`poisson_interval` (Garwood 1936). Population uncertainty is ignored (§2.1).

    Examples
    --------
    >>> r = rate_per_1000(37, 8412)
    >>> round(r.rate, 6), round(r.lower, 6), round(r.upper, 6)
    (4.398478, 3.096935, 6.062723)
    >>> rate_per_1000(3, None).reason
    'no population'
    >>> rate_per_1000(3, 2000).flags
    ('fewer than 10 crimes: interpret with care',)
    """
    if months <= 0:
        raise ValueError("months must be positive")
    low, high = poisson_interval(count, alpha)
    small = count < SMALL_NUMBER_THRESHOLD
    flags = (SMALL_NUMBER_NOTE,) if small else ()
    if population is None or not np.isfinite(population) or population <= 0:
        return RateResult(
            int(count), low, high, None, months, None, None, None, None, None, None,
            small, flags, NO_POPULATION, alpha,
        )  # fmt: skip
    scale = 1000.0 / float(population)
    annual = 12.0 / months
    rate, lower, upper = count * scale, low * scale, high * scale
    return RateResult(
        int(count), low, high, float(population), months, rate, lower, upper,
        rate * annual, lower * annual, upper * annual, small, flags, None, alpha,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class RatesResult(ResultMixin):
    """Rates per 1,000 for many areas at once (arrays aligned with the inputs).

    Attributes
    ----------
    counts, populations : numpy.ndarray
        The inputs as floats (population ``nan`` where missing or 0).
    rate, lower, upper : numpy.ndarray
        Rate per 1,000 for the stated period and exact interval; ``nan`` where no population.
    annualised_rate, annualised_lower, annualised_upper : numpy.ndarray
        The same scaled by ``12 / months``.
    count_lower, count_upper : numpy.ndarray
        Exact interval for the count.
    small_number : numpy.ndarray of bool
        ``count < 10``.
    no_population : numpy.ndarray of bool
        True where no rate could be computed (reason ``"no population"``).
    months : int
    alpha : float
    method : str
    """

    counts: np.ndarray
    populations: np.ndarray
    rate: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    annualised_rate: np.ndarray
    annualised_lower: np.ndarray
    annualised_upper: np.ndarray
    count_lower: np.ndarray
    count_upper: np.ndarray
    small_number: np.ndarray
    no_population: np.ndarray
    months: int
    alpha: float
    method: str = _RATE_METHOD


def rates_per_1000(
    counts: ArrayLike, populations: ArrayLike, months: int = 12, alpha: float = 0.05
) -> RatesResult:
    """Vectorised :func:`rate_per_1000` for many areas.

    Parameters
    ----------
    counts : array_like of int
        Crimes per area.
    populations : array_like of float
        Residents per area; ``nan``/``None``/0 mean no population for that area.
    months : int, default 12
    alpha : float, default 0.05

    Returns
    -------
    RatesResult
        Arrays aligned with the inputs; in ``to_dict()`` missing rates become ``None`` with the
        reason listed under ``null_reasons``.

    Examples
    --------
    >>> r = rates_per_1000([37, 5], [8412, None])
    >>> r.rate[:1].round(4).tolist(), bool(r.no_population[1]), r.small_number.tolist()
    ([4.3985], True, [False, True])
    """
    x = check_counts(counts, "counts").reshape(-1)
    pop = np.asarray(
        [np.nan if p is None else p for p in populations]
        if isinstance(populations, (list, tuple))
        else populations,
        dtype=float,
    ).reshape(-1)
    if x.shape != pop.shape:
        raise ValueError("counts and populations must have the same length")
    missing = ~np.isfinite(pop) | (pop <= 0)
    pop = np.where(missing, np.nan, pop)
    low, high = poisson_interval(x, alpha)
    scale = 1000.0 / pop
    annual = 12.0 / months
    rate, lower, upper = x * scale, low * scale, high * scale
    return RatesResult(
        x, pop, rate, lower, upper, rate * annual, lower * annual, upper * annual,
        low, high, x < SMALL_NUMBER_THRESHOLD, missing, months, alpha,
    )  # fmt: skip


def town_centre_flags(
    area_rates: ArrayLike, partnership_rate: float, factor: float = TOWN_CENTRE_FACTOR
) -> np.ndarray:
    """Flag areas whose rate is at least ``factor`` times the partnership rate (§2.1).

    Town-centre LSOAs have few residents and many visitors, so a residential denominator
    inflates their rate; the flag text is :data:`TOWN_CENTRE_NOTE` and counts should be shown
    alongside.

    Parameters
    ----------
    area_rates : array_like of float
        Rates per 1,000 (``nan`` where unknown: never flagged).
    partnership_rate : float
        The partnership (CSP) rate on the same scale.
    factor : float, default 5.0

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> town_centre_flags([10.0, 250.0, float("nan")], 50.0).tolist()
    [False, True, False]
    """
    rates = np.asarray(area_rates, dtype=float)
    with np.errstate(invalid="ignore"):
        flags: np.ndarray = np.nan_to_num(rates, nan=-np.inf) >= factor * partnership_rate
    return flags


@dataclass(frozen=True, slots=True)
class PooledRateResult(ResultMixin):
    """Pooled peer-group rate ``Σx/ΣP`` (§2.4).

    Attributes
    ----------
    n_areas : int
    count : int
    population : float
    rate, lower, upper : float or None
        Per 1,000 for the stated period, exact interval on the pooled count.
    annualised_rate : float or None
    reason : str or None
    method : str
    """

    n_areas: int
    count: int
    population: float
    rate: float | None
    lower: float | None
    upper: float | None
    annualised_rate: float | None
    reason: str | None
    method: str = (
        "pooled rate sum(x)/sum(P) over peers, not the mean of rates (methods reference §2.4), "
        "exact Poisson interval (Garwood 1936)"
    )


def pooled_rate(
    counts: ArrayLike, populations: ArrayLike, months: int = 12, alpha: float = 0.05
) -> PooledRateResult:
    """Pooled rate per 1,000 over a peer group: ``1000·Σx/ΣP``, not the mean of rates (§2.4).

    Parameters
    ----------
    counts : array_like of int
    populations : array_like of float
    months : int, default 12
    alpha : float, default 0.05

    Returns
    -------
    PooledRateResult

    Examples
    --------
    >>> r = pooled_rate([100, 300], [10000, 20000])
    >>> round(r.rate, 4)
    13.3333
    """
    x = check_counts(counts, "counts")
    pop = np.asarray(populations, dtype=float)
    if x.shape != pop.shape:
        raise ValueError("counts and populations must have the same length")
    total, total_pop = int(x.sum()), float(np.nansum(pop))
    result = rate_per_1000(total, total_pop if total_pop > 0 else None, months, alpha)
    return PooledRateResult(
        int(x.size), total, total_pop, result.rate, result.lower, result.upper,
        result.annualised_rate, result.reason,
    )  # fmt: skip
