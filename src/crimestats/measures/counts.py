"""Counts: by month (gaps for missing months), by category, by LSOA and ward, by recording force.

Methods reference §1.2 (unlocated rows), §1.5 (missing months) and data README §5 (an area's
count is by location, whichever force recorded it, and no row is counted twice).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from crimestats.areas import Area, lsoa_lookup
from crimestats.categories import SLUG_TO_NAME
from crimestats.engines import Engine
from crimestats.measures._scope import (
    NO_MONTHS,
    Cube,
    Scope,
    build_scope,
    fetch_cube,
    force_facts,
    rolled,
    sum_where,
)
from crimestats.provenance import Provenance
from crimestats.query import Query

__all__ = ["CountsResult", "MonthlyByCategory", "counts", "counts_from_cube", "monthly_by_category"]

METHOD = (
    "counts of police.uk street rows by the 2021 LSOA of the (snapped) map point; missing "
    "force-months are gaps, never zeros (methods reference §1.2, §1.5)"
)


@dataclass(frozen=True, slots=True)
class CountsResult:
    """How many crimes, where, when and recorded by whom.

    Attributes
    ----------
    area : Area
    categories : tuple of str
    total : int or None
        Rows in the months used (missing months excluded); ``None`` when every month of the
        period is missing (a gap, not a zero).
    complete : bool
        No month of the period is missing.
    by_month : pyarrow.Table
        ``month, count, status``: ``count`` is null (a gap) for a missing month.
    by_category : pyarrow.Table
        ``crime_type, category, count, share``.
    by_lsoa : pyarrow.Table
        ``lsoa21_code, lsoa21_name, ward_code, ward_name, count, share``; every LSOA of the
        area, zeros included.
    by_ward : pyarrow.Table
        ``ward_code, ward_name, count, share``.
    by_force : pyarrow.Table
        ``force, count, share``: the recording force of the area's rows.
    unlocated : pyarrow.Table
        ``force, rows, unlocated_n, unlocated_share, outside_geography_n``: rows of the area's
        force(s) with no map point (not attributable to any LSOA) and rows whose LSOA is outside
        the loaded geography, for the same categories and months.
    unlocated_n : int
    unlocated_share : float or None
        Over the area's principal force(s).
    provenance : Provenance
    """

    area: Area
    categories: tuple[str, ...]
    total: int | None
    complete: bool
    by_month: pa.Table
    by_category: pa.Table
    by_lsoa: pa.Table
    by_ward: pa.Table
    by_force: pa.Table
    unlocated: pa.Table
    unlocated_n: int
    unlocated_share: float | None
    provenance: Provenance


def _share(values: pa.Array | pa.ChunkedArray, total: int) -> pa.Array:
    return (
        pc.divide(pc.cast(values, pa.float64()), float(total))
        if total
        else pa.nulls(len(values), pa.float64())
    )


def month_series(scope: Scope, monthly: pa.Table) -> pa.Table:
    """``month, count, status`` over every month of the period; missing months are null."""
    found = dict(zip(monthly["month"].to_pylist(), monthly["n"].to_pylist(), strict=True))
    counts = [None if m in scope.missing else int(found.get(m, 0)) for m in scope.months]
    status = [f"missing ({scope.missing[m]})" if m in scope.missing else "ok" for m in scope.months]
    return pa.table(
        {
            "month": pa.array(scope.months, pa.date32()),
            "count": pa.array(counts, pa.int64()),
            "status": pa.array(status, pa.string()),
        }
    )


def lsoa_table(engine: Engine, area: Area, by_lsoa: pa.Table) -> pa.Table:
    """Every LSOA of the area with names, ward and count (zeros included), sorted by code."""
    lookup = lsoa_lookup(engine)
    rows = lookup.filter(pc.is_in(lookup["lsoa21_code"], pa.array(list(area.lsoa_codes))))
    rows = rows.select(["lsoa21_code", "lsoa21_name", "ward_code", "ward_name"]).sort_by(
        "lsoa21_code"
    )
    found = dict(zip(by_lsoa["lsoa21_code"].to_pylist(), by_lsoa["n"].to_pylist(), strict=True))
    values = pa.array([int(found.get(c, 0)) for c in rows["lsoa21_code"].to_pylist()], pa.int64())
    total = int(pc.sum(values).as_py() or 0)
    return rows.append_column("count", values).append_column("share", _share(values, total))


def ward_table(lsoas: pa.Table) -> pa.Table:
    """Sum an LSOA table to wards."""
    wards = lsoas.group_by(["ward_code", "ward_name"]).aggregate([("count", "sum")])
    wards = wards.rename_columns(["ward_code", "ward_name", "count"]).sort_by("ward_code")
    total = int(pc.sum(wards["count"]).as_py() or 0)
    return wards.append_column("share", _share(wards["count"], total))


def unlocated_table(scope: Scope, forces: tuple[str, ...]) -> tuple[pa.Table, int, float | None]:
    """Force-level unlocated rows for the scope's categories and used months (§1.2)."""
    facts = force_facts(scope, forces)
    used = list(scope.months_used)
    records: list[dict[str, Any]] = []  # one Arrow row per force
    for force in forces:
        filters = {"force": force, "crime_type": scope.categories, "month": used}
        rows = sum_where(facts, "rows", **filters)
        unlocated = sum_where(facts, "unlocated", **filters)
        records.append(
            {
                "force": force,
                "rows": rows,
                "unlocated_n": unlocated,
                "unlocated_share": unlocated / rows if rows else None,
                "outside_geography_n": sum_where(facts, "outside", **filters),
            }
        )
    table = pa.Table.from_pylist(
        records,
        schema=pa.schema(
            [("force", pa.string()), ("rows", pa.int64()), ("unlocated_n", pa.int64()),
             ("unlocated_share", pa.float64()), ("outside_geography_n", pa.int64())]
        ),
    )  # fmt: skip
    principal = [r for r in records if r["force"] in scope.principal] or records
    n = sum(r["unlocated_n"] for r in principal)
    rows_total = sum(r["rows"] for r in principal)
    return table, n, (n / rows_total if rows_total else None)


def counts_from_cube(scope: Scope, cube: Cube, computed_at: datetime | None = None) -> CountsResult:
    """Counts for a scope from its area cube (lets the profile reuse one materialised cube)."""
    engine = scope.engine
    cats = scope.categories
    monthly = rolled(scope, cube, ["month"])
    by_category = rolled(scope, cube, ["crime_type"])
    by_lsoa_raw = rolled(scope, cube, ["lsoa21_code"])
    by_force = rolled(scope, cube, ["force"])
    total = int(pc.sum(by_category["n"]).as_py() or 0)
    by_category = pa.table(
        {
            "crime_type": by_category["crime_type"],
            "category": pa.array(
                [SLUG_TO_NAME.get(s, s) for s in by_category["crime_type"].to_pylist()]
            ),
            "count": by_category["n"],
            "share": _share(by_category["n"], total),
        }
    )
    by_force = pa.table(
        {"force": by_force["force"], "count": by_force["n"], "share": _share(by_force["n"], total)}
    )
    lsoas = lsoa_table(engine, scope.area, by_lsoa_raw)
    forces = tuple(sorted(set(scope.principal) | set(by_force["force"].to_pylist())))
    unlocated, unlocated_n, unlocated_share = unlocated_table(scope, forces)
    provenance = scope.provenance(METHOD, computed_at)
    if not scope.months_used:
        provenance = provenance.with_notes(NO_MONTHS)
    recorded = tuple(by_force["force"].to_pylist())
    provenance = replace(provenance, forces=recorded or provenance.forces)
    return CountsResult(
        scope.area, cats, total if scope.months_used else None, not scope.missing,
        month_series(scope, monthly), by_category, lsoas, ward_table(lsoas), by_force,
        unlocated, unlocated_n, unlocated_share, provenance,
    )  # fmt: skip


def counts(
    engine: Engine,
    query: Query,
    *,
    computed_at: datetime | None = None,
) -> CountsResult:
    """Count crimes in an area by month, category, LSOA, ward and recording force.

    Parameters
    ----------
    engine : Engine
        From :func:`crimestats.engines.open_engine`.
    query : Query
        Area, period (default the 12 months ending at the latest month held), categories
        (default all crime, ASB excluded) and recording forces; see
        :class:`crimestats.query.Query`.
    computed_at : datetime, optional
        Stamped into the provenance (the caller's clock).

    Returns
    -------
    CountsResult

    Notes
    -----
    One engine query builds the area cube (rows grouped by month, force, category, LSOA and
    outcome); the breakdowns are roll-ups of it. A force-month absent from the catalogue, empty,
    or under 20 % of the median of the force's previous 12 months is missing (§1.5): a gap in
    ``by_month`` and left out of every other table.
    """
    scope = build_scope(engine, query, default_months=12)
    return counts_from_cube(scope, fetch_cube(scope, scope.categories), computed_at)


@dataclass(frozen=True, slots=True)
class MonthlyByCategory:
    """Monthly counts of every category asked for, missing months as gaps (``None``).

    One area cube serves every category, so a caller that needs the monthly series of several
    category groups in one area (a plan's indicators) reads the store once, not once a group.

    Attributes
    ----------
    area : Area
    categories : tuple of str
        The slugs counted.
    months : tuple of date
        Every month of the period, in order.
    missing : tuple of date
        The months that are gaps (§1.5).
    by_category : dict of str to list of int or None
        For each slug, its count in each month of ``months`` (``None`` for a missing month).
    provenance : Provenance
    """

    area: Area
    categories: tuple[str, ...]
    months: tuple[date, ...]
    missing: tuple[date, ...]
    by_category: dict[str, list[int | None]]
    provenance: Provenance

    def series(self, categories: tuple[str, ...]) -> list[int | None]:
        """The monthly total of ``categories`` (slugs of :attr:`categories`), gaps kept."""
        unknown = [c for c in categories if c not in self.by_category]
        if unknown:
            raise ValueError(f"categories not counted: {unknown!r}")
        gaps = set(self.missing)
        return [
            None if month in gaps else sum(int(self.by_category[c][i] or 0) for c in categories)
            for i, month in enumerate(self.months)
        ]


def monthly_by_category(
    engine: Engine,
    query: Query,
    *,
    computed_at: datetime | None = None,
) -> MonthlyByCategory:
    """Count crimes in an area by month and category, in one read of the store.

    Parameters
    ----------
    engine, query, computed_at
        As :func:`counts` (``query.categories`` default: all crime, ASB excluded; ``"all"``
        every category).

    Returns
    -------
    MonthlyByCategory
        ``series(resolve_categories(x))`` equals ``counts(engine, replace(query,
        categories=x)).by_month["count"]`` for any ``x`` inside the query's categories.
    """
    scope = build_scope(engine, query, default_months=12)
    cube = fetch_cube(scope, scope.categories)
    table = rolled(scope, cube, ["month", "crime_type"]).to_pylist()
    index = {month: i for i, month in enumerate(scope.months)}
    by_category: dict[str, list[int | None]] = {
        slug: [None if m in scope.missing else 0 for m in scope.months] for slug in scope.categories
    }
    for row in table:
        position = index.get(row["month"])
        slug = str(row["crime_type"])
        if (
            position is not None
            and slug in by_category
            and scope.months[position] not in scope.missing
        ):
            by_category[slug][position] = int(row["n"])
    provenance = scope.provenance(METHOD, computed_at)
    return MonthlyByCategory(
        scope.area, scope.categories, tuple(scope.months), tuple(sorted(scope.missing)),
        by_category, provenance,
    )  # fmt: skip
