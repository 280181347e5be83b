"""Getis-Ord Gi* hot spots, Benjamini–Hochberg correction and confidence bins (§5.2–§5.4).

The caller builds the spatial weights once (queen contiguity, islands attached, §5.1) and passes
a binary adjacency matrix without self-loops; Gi* then costs two sparse products per map.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from crimestats.methods._common import ResultMixin, two_sided_p

__all__ = [
    "BIN_LABELS",
    "FEW_AREAS",
    "MIN_NONZERO_SHARE",
    "NOT_TESTABLE_LABEL",
    "BHResult",
    "GiStarResult",
    "adjacency_from_neighbours",
    "benjamini_hochberg",
    "bh_adjust",
    "confidence_bins",
    "getis_ord_gi_star",
]

FEW_AREAS = 30
#: Rank Gi* is reported only when at least this share of the units has one or more crimes: on
#: sparser maps the ties at zero make the normal approximation cry wolf (docs/calibration.md).
MIN_NONZERO_SHARE = 0.4
NOT_TESTABLE_LABEL = "not testable"
NOT_TESTED_LABEL = "not tested"
DEGENERATE_REASON = (
    "borders every other LSOA of the area, so its neighbourhood is the whole area and Gi* has "
    "nothing to compare it with"
)
BIN_LABELS: dict[int, str] = {
    3: "hot spot, 99 %",
    2: "hot spot, 95 %",
    1: "hot spot, 90 %",
    0: "not significant",
    -1: "cold spot, 90 %",
    -2: "cold spot, 95 %",
    -3: "cold spot, 99 %",
}
LEGEND_FDR = "Hot and cold spots after Benjamini-Hochberg false discovery rate correction."
LEGEND_UNCORRECTED = "Hot and cold spots without correction for multiple testing."

_BH_METHOD = (
    "Benjamini-Hochberg false discovery rate (Benjamini & Hochberg 1995, JRSS B 57:289-300; "
    "= statsmodels multipletests 'fdr_bh', scipy false_discovery_control) (methods reference §5.3)"
)
_GI_METHOD = (
    "Getis-Ord Gi* with binary weights and self-weight 1, analytical z, two-sided p "
    "(Getis & Ord 1992; Ord & Getis 1995, Geographical Analysis 27:286-306; = esda.G_Local("
    "transform='B', star=True) z-scores) (methods reference §5.2-§5.4)"
)
_RANK_METHOD = (
    "Getis-Ord Gi* of the units' ranks (average ranks for ties; rank transform, Conover & Iman "
    "1981, American Statistician 35:124-129), binary weights and self-weight 1, analytical z "
    "(= esda.G_Local(rankdata(y), transform='B', star=True)), two-sided p, Benjamini-Hochberg "
    "over the testable units; calibrated under spatial randomness (docs/calibration.md)"
)


def adjacency_from_neighbours(neighbours: Sequence[Sequence[int]]) -> sparse.csr_array:
    """Binary CSR adjacency from neighbour lists of row indices.

    Parameters
    ----------
    neighbours : sequence of sequences of int
        ``neighbours[i]`` lists the indices adjacent to area ``i`` (self excluded).

    Returns
    -------
    scipy.sparse.csr_array
        ``n × n`` with ones where ``j`` is a neighbour of ``i``.

    Examples
    --------
    >>> adjacency_from_neighbours([[1], [0, 2], [1]]).toarray().tolist()
    [[0, 1, 0], [1, 0, 1], [0, 1, 0]]
    """
    n = len(neighbours)
    lengths = np.fromiter((len(row) for row in neighbours), dtype=np.int64, count=n)
    cols = np.fromiter((j for row in neighbours for j in row), dtype=np.int64, count=lengths.sum())
    rows = np.repeat(np.arange(n), lengths)
    matrix = sparse.csr_array(
        (np.ones(cols.size, dtype=np.int64), (rows, cols)), shape=(n, n), dtype=np.int64
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


def bh_adjust(p: Any) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values ``p̃_(i) = min_{j≥i} min(1, m·p_(j)/j)``.

    Parameters
    ----------
    p : array_like of float

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the input order.

    Examples
    --------
    >>> bh_adjust([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    values = np.asarray(p, dtype=float).reshape(-1)
    m = values.size
    if m == 0:
        return values
    order = np.argsort(values, kind="mergesort")
    scaled = values[order] * m / np.arange(1, m + 1)
    # Running minimum from the largest p downwards gives min over j ≥ i.
    adjusted_sorted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    return adjusted


@dataclass(frozen=True, slots=True)
class BHResult(ResultMixin):
    """Benjamini–Hochberg adjustment of one family of p-values.

    Attributes
    ----------
    p_raw, p_adjusted : numpy.ndarray
    rejected : numpy.ndarray of bool
        ``p_adjusted ≤ q``.
    q : float
    m : int
    method : str
    """

    p_raw: np.ndarray
    p_adjusted: np.ndarray
    rejected: np.ndarray
    q: float
    m: int
    method: str = _BH_METHOD


def benjamini_hochberg(p: Any, q: float = 0.05) -> BHResult:
    """Benjamini–Hochberg false discovery rate control (§5.3).

    Parameters
    ----------
    p : array_like of float
        The family of p-values (e.g. all LSOAs of one map).
    q : float, default 0.05

    Returns
    -------
    BHResult

    Examples
    --------
    >>> r = benjamini_hochberg([0.001, 0.008, 0.039, 0.041, 0.042,
    ...                         0.060, 0.074, 0.205, 0.212, 0.216])
    >>> r.rejected.tolist()[:3], round(float(r.p_adjusted[2]), 6)
    ([True, True, False], 0.084)
    """
    raw = np.asarray(p, dtype=float).reshape(-1)
    adjusted = bh_adjust(raw)
    return BHResult(raw, adjusted, adjusted <= q, q, int(raw.size))


def confidence_bins(z: Any, p: Any) -> np.ndarray:
    """ArcGIS-style confidence bins ``sign(z)·level`` (§5.4).

    Parameters
    ----------
    z : array_like
        z-scores (give the direction).
    p : array_like
        Two-sided p-values, BH-adjusted (default) or raw ("uncorrected").

    Returns
    -------
    numpy.ndarray of int
        Level 3 if ``p ≤ 0.01``, 2 if ``≤ 0.05``, 1 if ``≤ 0.10``, else 0; labels in
        :data:`BIN_LABELS`.

    Examples
    --------
    >>> confidence_bins([2.01, -3.0, 1.7, 1.0], [0.0445, 0.0027, 0.089, 0.32]).tolist()
    [2, -3, 1, 0]
    """
    pv = np.asarray(p, dtype=float)
    level = np.select([pv <= 0.01, pv <= 0.05, pv <= 0.10], [3, 2, 1], default=0)
    bins: np.ndarray = (np.sign(np.asarray(z, dtype=float)) * level).astype(np.int64)
    return bins


@dataclass(frozen=True, slots=True)
class GiStarResult(ResultMixin):
    """Getis-Ord Gi* for every area, arrays aligned with ``y``.

    Attributes
    ----------
    n : int
    g : numpy.ndarray
        ``G*_i = Σ_j w_ij y_j / Σ_j y_j``.
    expected, variance : numpy.ndarray
        ``E[G*_i]`` and ``Var[G*_i]`` under the normal approximation.
    z : numpy.ndarray
        z-scores (= ``esda.G_Local(...).Zs``); 0 when ``y`` has no variation.
    p : numpy.ndarray
        Two-sided p ``2·Φ(−|z|)`` (twice esda's one-sided ``p_norm``).
    p_adjusted : numpy.ndarray
        BH-adjusted p (equal to ``p`` when ``fdr=False``).
    bins : numpy.ndarray of int
        −3…+3 from ``p_adjusted`` (or ``p`` when uncorrected).
    labels : tuple of str
        :data:`BIN_LABELS` text per area.
    cardinality : numpy.ndarray of int
        ``W_i``, neighbours plus self.
    fdr_applied : bool
    no_variation : bool
        All ``y`` equal: z set to 0, p to 1.
    few_areas : bool
        Fewer than 30 areas; the normal approximation is weak.
    islands : tuple of int
        Row indices with no neighbours (their Gi* is their own share only); attach them
        before calling (§5.1).
    legend : str
        States whether FDR correction was applied.
    testable : numpy.ndarray of bool
        Units with a defined z (variance > 0); BH runs over these only.
    not_testable : tuple of str or None
        Per unit, why it could not be tested (``None`` when tested).
    scores : str
        ``"values"`` (Gi* of ``y`` itself, as esda) or ``"ranks"`` (Gi* of the ranks of ``y``).
    reason : str or None
        Why no unit was tested (e.g. too sparse), else ``None``.
    method : str
    """

    n: int
    g: np.ndarray
    expected: np.ndarray
    variance: np.ndarray
    z: np.ndarray
    p: np.ndarray
    p_adjusted: np.ndarray
    bins: np.ndarray
    labels: tuple[str, ...]
    cardinality: np.ndarray
    fdr_applied: bool
    no_variation: bool
    few_areas: bool
    islands: tuple[int, ...]
    legend: str
    testable: np.ndarray
    not_testable: tuple[str | None, ...]
    scores: str
    reason: str | None
    method: str = _GI_METHOD

    @property
    def n_testable(self) -> int:
        """How many units were tested (the size of the BH family)."""
        return int(np.count_nonzero(self.testable))


def _as_adjacency(adjacency: Any, n: int) -> sparse.csr_array:
    if isinstance(adjacency, (list, tuple)):
        adjacency = adjacency_from_neighbours(adjacency)
    matrix = sparse.csr_array(adjacency)
    if matrix.shape != (n, n):
        raise ValueError(f"adjacency is {matrix.shape}, expected ({n}, {n})")
    if matrix.diagonal().any():
        raise ValueError("adjacency must not contain self-loops; Gi* adds the self-weight")
    matrix.eliminate_zeros()
    if not np.all(matrix.data == 1):
        raise ValueError("adjacency must be binary (0/1)")
    return matrix


def getis_ord_gi_star(
    y: Any,
    adjacency: Any,
    *,
    fdr: bool = True,
    scores: str = "values",
    min_nonzero_share: float = 0.0,
) -> GiStarResult:
    """Getis-Ord Gi* with binary weights and self-weight 1, as ``esda.G_Local`` (§5.2).

    Parameters
    ----------
    y : array_like of float
        Value per area (default: counts for the period; zeros are valid and kept).
    adjacency : scipy.sparse matrix/array or sequence of neighbour lists
        Binary ``n × n`` adjacency without self-loops (e.g. queen contiguity with islands
        attached), or ``neighbours[i]`` lists of indices. Build it once and reuse it.
    fdr : bool, default True
        Apply Benjamini–Hochberg to the two-sided p-values before binning; False gives the
        "uncorrected" option (|z| cut-offs 1.645/1.960/2.576).
    scores : {"values", "ranks"}, default "values"
        ``"values"`` computes Gi* of ``y`` (esda's statistic). ``"ranks"`` computes it of the
        average ranks of ``y``: crime counts are skewed and overdispersed, and one large count
        makes its neighbours "hot" under the normal approximation; ranks keep the false-alarm
        rate at its nominal level (docs/calibration.md).
    min_nonzero_share : float, default 0.0
        Refuse (no unit tested, ``reason`` set) when fewer than this share of the units have a
        non-zero value; the measures use :data:`MIN_NONZERO_SHARE`.

    Returns
    -------
    GiStarResult
        Units whose variance is zero (a unit that borders every other unit, or a one-unit map)
        are "not testable" with a reason: z and p are ``nan``, bin 0, and they are left out of
        the Benjamini–Hochberg family.

    Notes
    -----
    With ``w_ii = 1`` and ``W_i = Σ_j w_ij``: ``G*_i = Σ_j w_ij y_j / Σ y``,
    ``E = W_i/n``, ``Var = W_i(n − W_i)/(n − 1) · s²/(n² ȳ²)`` with ``s²`` the population
    variance of ``y``; ``z = (G* − E)/√Var`` (Ord & Getis 1995). Computed with one sparse
    matrix-vector product, so it is cheap to call for many categories or periods.

    Examples
    --------
    >>> grid = [[1, 3], [0, 2, 4], [1, 5], [0, 4, 6], [1, 3, 5, 7], [2, 4, 8],
    ...         [3, 7], [4, 6, 8], [5, 7]]
    >>> r = getis_ord_gi_star([2, 3, 1, 4, 12, 9, 1, 10, 14], grid)
    >>> round(float(r.z[8]), 6), int(r.bins[8]), r.few_areas
    (2.009258, 0, True)
    >>> int(getis_ord_gi_star([2, 3, 1, 4, 12, 9, 1, 10, 14], grid, fdr=False).bins[8])
    2
    >>> getis_ord_gi_star([3, 5], [[1], [0]]).not_testable[0][:22]
    'borders every other LS'
    """
    if scores not in ("values", "ranks"):
        raise ValueError("scores must be 'values' or 'ranks'")
    raw = np.asarray(y, dtype=float).reshape(-1)
    n = raw.size
    matrix = _as_adjacency(adjacency, n)
    values = _ranks(raw) if scores == "ranks" else raw
    cardinality = np.diff(matrix.indptr) + 1  # neighbours plus the self-weight
    lag = matrix @ values + values
    total = values.sum()
    mean = total / n if n else np.nan
    variance_y = (values**2).mean() - mean**2 if n else np.nan
    islands = tuple(int(i) for i in np.flatnonzero(cardinality == 1))
    # A constant y (including all zero) has no spatial pattern: z undefined in esda.
    no_variation = bool(np.all(raw == raw[0])) if n else True
    with np.errstate(divide="ignore", invalid="ignore"):
        g = lag / total
        expected = cardinality / n
        var_g = cardinality * (n - cardinality) / (n - 1) / n**2 * variance_y / mean**2
        z = (g - expected) / np.sqrt(var_g)
    # A unit whose neighbourhood is the whole map (W_i = n) has variance 0: nothing to test.
    degenerate = cardinality >= n
    reasons: list[str | None] = [DEGENERATE_REASON if d else None for d in degenerate]
    reason = None
    nonzero_share = float(np.count_nonzero(raw)) / n if n else 0.0
    if no_variation:
        z = np.where(degenerate, np.nan, 0.0)
        p = np.where(degenerate, np.nan, 1.0)
        testable = np.zeros(n, dtype=bool)
        reason = "every unit has the same count, so there is no pattern to test"
    elif nonzero_share < min_nonzero_share:
        reason = (
            f"too few crimes: only {nonzero_share:.0%} of the areas have any (at least "
            f"{min_nonzero_share:.0%} needed for a reliable hot-spot test)"
        )
        testable = np.zeros(n, dtype=bool)
        z = np.full(n, np.nan)
        p = np.full(n, np.nan)
    else:
        testable = ~degenerate & np.isfinite(z)
        z = np.where(testable, z, np.nan)
        p = np.full(n, np.nan)
        p[testable] = two_sided_p(z[testable])
    if reason is not None:
        reasons = [r or reason for r in reasons]
    adjusted = np.full(n, np.nan)
    if fdr:
        adjusted[testable] = bh_adjust(p[testable])
    else:
        adjusted[testable] = p[testable]
    if no_variation:
        adjusted = p.copy()
    bins = np.zeros(n, dtype=np.int64)
    bins[testable] = confidence_bins(z[testable], adjusted[testable])
    labels = tuple(
        BIN_LABELS[int(b)]
        if t or no_variation and not d
        else (NOT_TESTABLE_LABEL if d else NOT_TESTED_LABEL)
        for b, t, d in zip(bins, testable, degenerate, strict=True)
    )
    return GiStarResult(
        n, g, expected, var_g, z, p, adjusted, bins, labels, cardinality.astype(np.int64), fdr,
        no_variation, n < FEW_AREAS, islands, LEGEND_FDR if fdr else LEGEND_UNCORRECTED,
        testable, tuple(reasons), scores, reason,
        _RANK_METHOD if scores == "ranks" else _GI_METHOD,
    )  # fmt: skip


def _ranks(values: np.ndarray) -> np.ndarray:
    from scipy.stats import rankdata

    return rankdata(values).astype(float) if values.size else values
