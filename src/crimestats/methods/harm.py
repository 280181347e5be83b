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
from crimestats.methods.rates import SMALL_NUMBER_THRESHOLD

__all__ = [
    "DEFAULT_WEIGHTS_VERSION",
    "HarmResult",
    "HarmWeights",
    "QuadrantResult",
    "harm_quadrants",
    "harm_totals",
    "harm_weights",
    "weights_versions",
]

DEFAULT_WEIGHTS_VERSION = "cchi-v1.1"
PROACTIVE: tuple[str, ...] = GROUPS["proactive"]
QUADRANTS = ("priority", "hidden harm", "volume", "low count, low harm")


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
    return json.loads(text)


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
    total : float
        ``Σ_k h_k x_k`` over included categories.
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

    total: float
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
