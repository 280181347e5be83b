"""Outcomes: the last outcome of the area's crimes, by category and group (methods reference §7).

Uses the street file's ``Last outcome category`` (the latest outcome as at publication). ASB has
no outcomes and is left out; the share is over crimes with a Crime ID.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from crimestats.areas import Area
from crimestats.categories import ASB, SLUG_TO_NAME
from crimestats.engines import Engine
from crimestats.measures._scope import Cube, Scope, build_scope, fetch_cube, rolled
from crimestats.methods.outcomes import OutcomeShareResult, outcome_group, outcome_shares
from crimestats.provenance import Provenance
from crimestats.query import Query

__all__ = ["OutcomesMeasure", "outcomes", "outcomes_from_cube"]


@dataclass(frozen=True, slots=True)
class OutcomesMeasure:
    """Distribution of last outcomes and the positive outcome share.

    Attributes
    ----------
    area : Area
    categories : tuple of str
        Crime categories included (never ASB).
    overall : OutcomeShareResult
        Group counts, unmapped strings, positive share of all crimes and "among crimes with a
        final outcome", each with a Clopper–Pearson interval.
    by_category : pyarrow.Table
        ``crime_type, category, total, positive, share, lower, upper, finalised,
        share_finalised, lower_finalised, upper_finalised``.
    by_group : pyarrow.Table
        ``group, count, share`` over all crimes.
    by_outcome : pyarrow.Table
        ``last_outcome, group, count`` (blank outcome shown as null).
    provenance : Provenance
    """

    area: Area
    categories: tuple[str, ...]
    overall: OutcomeShareResult
    by_category: pa.Table
    by_group: pa.Table
    by_outcome: pa.Table
    provenance: Provenance


def outcomes_from_cube(
    scope: Scope, cube: Cube, computed_at: datetime | None = None
) -> OutcomesMeasure:
    """Outcomes measure from an area cube."""
    cats = tuple(c for c in scope.categories if c != ASB)
    table = rolled(scope, cube, ["crime_type", "last_outcome"], cats, with_crime_id=True)
    slugs, values, ns = (
        table["crime_type"].to_pylist(), table["last_outcome"].to_pylist(), table["n"].to_pylist(),
    )  # fmt: skip
    overall_counts: dict[str | None, int] = {}
    per_cat: dict[str, dict[str | None, int]] = {c: {} for c in cats}
    for slug, value, n in zip(slugs, values, ns, strict=True):
        overall_counts[value] = overall_counts.get(value, 0) + int(n)
        per_cat[slug][value] = per_cat[slug].get(value, 0) + int(n)
    overall = outcome_shares(overall_counts)
    rows = []
    for slug in cats:
        r = outcome_shares(per_cat[slug])
        rows.append(
            {
                "crime_type": slug, "category": SLUG_TO_NAME.get(slug, slug), "total": r.total,
                "positive": r.positive, "share": r.share, "lower": r.lower, "upper": r.upper,
                "finalised": r.finalised, "share_finalised": r.share_finalised,
                "lower_finalised": r.lower_finalised, "upper_finalised": r.upper_finalised,
            }
        )  # fmt: skip
    by_category = pa.Table.from_pylist(rows)
    groups = overall.group_counts
    by_group = pa.table(
        {
            "group": list(groups),
            "count": pa.array(list(groups.values()), pa.int64()),
            "share": pa.array(
                [v / overall.total if overall.total else None for v in groups.values()],
                pa.float64(),
            ),
        }
    )
    outcome_rows = sorted(overall_counts.items(), key=lambda kv: (-kv[1], kv[0] or ""))
    by_outcome = pa.table(
        {
            "last_outcome": pa.array([k for k, _ in outcome_rows], pa.string()),
            "group": [outcome_group(k) for k, _ in outcome_rows],
            "count": pa.array([v for _, v in outcome_rows], pa.int64()),
        }
    )
    provenance = scope.provenance(overall.method, computed_at).with_notes(*overall.notes)
    return OutcomesMeasure(scope.area, cats, overall, by_category, by_group, by_outcome, provenance)


def outcomes(
    engine: Engine,
    query: Query,
    *,
    computed_at: datetime | None = None,
) -> OutcomesMeasure:
    """Last outcomes of the area's crimes by category and group, with the positive share (§7).

    Parameters
    ----------
    engine, query, computed_at
        As :func:`crimestats.measures.counts` (ASB is always left out).

    Returns
    -------
    OutcomesMeasure

    Notes
    -----
    Positive = ``charged_or_court`` ∪ ``out_of_court``; share with a Clopper–Pearson interval
    (:func:`crimestats.methods.outcomes.outcome_shares`). Outcomes accrue over time: compare
    periods only at the same age (§7.2).
    """
    scope = build_scope(engine, query, default_months=12)
    return outcomes_from_cube(scope, fetch_cube(scope, scope.categories), computed_at)
