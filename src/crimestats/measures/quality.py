"""Data quality: what the store holds for an area's forces, and what it cannot be trusted for.

Months and forces present, missing months (§1.5), rows without a map point (§1.2), rows outside
the loaded geography, repeated Crime IDs within a force-month, and the LSOA vintage (§1.6).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pyarrow as pa

from crimestats.areas import Area, force_label
from crimestats.engines import Engine
from crimestats.measures._scope import (
    Cube,
    Scope,
    area_rows,
    build_scope,
    fetch_cube,
    force_facts,
    missing_months,
    rolled,
    sum_where,
)
from crimestats.months import month_ranges
from crimestats.provenance import Provenance
from crimestats.query import Query, checked_query

__all__ = ["QualityResult", "quality", "quality_from_cube"]

VINTAGE_NOTE = (
    "files before the switch to 2021 boundaries carry 2011 LSOA codes; they were recoded to "
    "2021 LSOAs (one-to-one for unchanged and merged LSOAs, by map point for splits), so "
    "figures that cross the switch are an approximation (see the methods page)"
)


@dataclass(frozen=True, slots=True)
class QualityResult:
    """Data-quality facts for an area and period.

    Attributes
    ----------
    area : Area
    forces : tuple of str
        Forces looked at: the area's principal force(s) and every force recording rows in it.
    months : pyarrow.Table
        ``force, month, rows, status, unlocated, outside_geography``: one row per force and
        month of the period (the counts are null, never 0, when the month is not in the store).
    months_missing : tuple of date
        Months missing for a principal force (gaps in every series).
    unlocated_n : int
        Rows of the principal force(s) with no map point, all categories.
    unlocated_share : float or None
    outside_geography_n : int
        Rows of the principal force(s) whose LSOA is outside the loaded geography.
    area_rows_by_force : pyarrow.Table
        ``force, rows``: the area's rows by recording force.
    repeated_crime_ids : pyarrow.Table
        ``force, month, crime_ids, rows``: Crime IDs seen more than once in a force-month among
        the area's rows (ASB excluded: its blank IDs are never deduplicated).
    notes : tuple of str
    provenance : Provenance
    """

    area: Area
    forces: tuple[str, ...]
    months: pa.Table
    months_missing: tuple[Any, ...]
    unlocated_n: int
    unlocated_share: float | None
    outside_geography_n: int
    area_rows_by_force: pa.Table
    repeated_crime_ids: pa.Table
    notes: tuple[str, ...]
    provenance: Provenance


def _repeated_ids(scope: Scope) -> pa.Table:
    rows = area_rows(scope)
    rows = rows.filter(rows.crime_id.notnull())
    ids = rows.group_by(["force", "month", "crime_id"]).aggregate(n=rows.count())
    ids = ids.filter(ids.n > 1)
    expr = ids.group_by(["force", "month"]).aggregate(crime_ids=ids.count(), rows=ids.n.sum())
    table = scope.engine.fetch(expr)
    schema = pa.schema(
        [
            ("force", pa.string()),
            ("month", pa.date32()),
            ("crime_ids", pa.int64()),
            ("rows", pa.int64()),
        ]
    )
    return (
        table.select(schema.names)
        .cast(schema)
        .sort_by([("force", "ascending"), ("month", "ascending")])
    )


def quality_from_cube(
    scope: Scope, cube: Cube, computed_at: datetime | None = None
) -> QualityResult:
    """Quality facts from an area cube (all categories) plus the force-level facts."""
    engine = scope.engine
    by_force = rolled(scope, cube, ["force"])
    recorders = tuple(by_force["force"].to_pylist())
    forces = tuple(sorted(set(scope.principal) | set(recorders)))
    facts = force_facts(scope, forces)
    parts = engine.partitions("street")
    monthly = facts.group_by(["force", "month"]).aggregate(
        [("rows", "sum"), ("unlocated", "sum"), ("outside", "sum")]
    )
    found = {
        (f, m): (r, u, o)
        for f, m, r, u, o in zip(
            *(
                monthly[c].to_pylist()
                for c in ("force", "month", "rows_sum", "unlocated_sum", "outside_sum")
            ),
            strict=True,
        )
    }
    records = []
    for force in forces:
        gaps = missing_months(parts, force, scope.months)
        for month in scope.months:
            rows, unlocated, outside = found.get((force, month), (0, 0, 0))
            in_store = gaps.get(month) != "not in the store"
            records.append(
                {
                    "force": force,
                    "month": month,
                    "rows": rows if in_store else None,
                    "status": f"missing ({gaps[month]})" if month in gaps else "ok",
                    "unlocated": unlocated if in_store else None,
                    "outside_geography": outside if in_store else None,
                }
            )
    months = pa.Table.from_pylist(
        records,
        schema=pa.schema(
            [("force", pa.string()), ("month", pa.date32()), ("rows", pa.int64()),
             ("status", pa.string()), ("unlocated", pa.int64()), ("outside_geography", pa.int64())]
        ),
    )  # fmt: skip
    principal = list(scope.principal) or list(forces)
    total = sum_where(facts, "rows", force=principal)
    unlocated = sum_where(facts, "unlocated", force=principal)
    outside = sum_where(facts, "outside", force=principal)
    repeated = _repeated_ids(scope)
    notes = [VINTAGE_NOTE]
    others = [f for f in recorders if f not in scope.principal]
    if others:
        notes.append(
            f"crimes recorded by {', '.join(force_label(f) for f in others)} inside the area are "
            "counted (by location); "
            "that force's missing months do not make gaps here, so its share may be incomplete"
        )
    if scope.missing:
        notes.append("missing months: " + month_ranges(scope.months_missing))
    if repeated.num_rows:
        notes.append(
            "some crime reference numbers appear more than once in a month of a force's data; "
            "each record is counted once, as published, not merged"
        )
    area_by_force = pa.table({"force": by_force["force"], "rows": by_force["n"]})
    provenance = scope.provenance(
        "data-quality checks (methods reference §1.2, §1.5, §1.6)", computed_at
    ).with_notes(*notes)
    return QualityResult(
        scope.area, forces, months, scope.months_missing, unlocated,
        unlocated / total if total else None, outside, area_by_force, repeated, tuple(notes),
        provenance,
    )  # fmt: skip


def quality(
    engine: Engine,
    query: Query,
    *,
    computed_at: datetime | None = None,
) -> QualityResult:
    """Data-quality report for an area's forces and period.

    Parameters
    ----------
    engine, query, computed_at
        As :func:`crimestats.measures.counts`; the period defaults to 36 months. Data quality
        covers every category, so ``query.categories`` must be left as ``None``.

    Returns
    -------
    QualityResult
    """
    query = checked_query(query)
    if query.categories is not None:
        raise ValueError("data quality covers every category: leave the categories unset")
    scope = build_scope(engine, replace(query, categories="all"), default_months=36)
    return quality_from_cube(scope, fetch_cube(scope), computed_at)
