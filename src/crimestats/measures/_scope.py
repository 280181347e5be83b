"""Shared plumbing of the measures: periods, coverage (missing months), the area cube, population.

Private module. The pattern every measure follows:

1. :func:`build_scope` resolves a :class:`~crimestats.query.Query` (area, period, categories),
   reads the catalogue (no scan) and decides which months are missing (§1.5).
2. :func:`area_cube` is the one Ibis expression that touches row-level data for the area: the
   area's rows grouped by month, recording force, category, LSOA and last outcome. Everything
   else is a roll-up of it (:func:`rollup`), so the engine does the heavy aggregation and Python
   only ever sees small tables.
3. The statistics are computed by :mod:`crimestats.methods` on those small tables.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeAlias

import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from crimestats.areas import Area, principal_forces, resolve_area
from crimestats.categories import ALL_SLUGS, resolve_categories
from crimestats.engines import Engine
from crimestats.months import add_months, month_label, month_range, month_ranges
from crimestats.provenance import Provenance, archive_sources
from crimestats.query import Query, checked_query

CUBE_KEYS = ("month", "force", "crime_type", "lsoa21_code", "last_outcome", "has_crime_id")
MISSING_SHARE = 0.2  # §1.5: below 20 % of the median of the previous 12 months is missing


def missing_months(partitions: pa.Table, force: str, months: tuple[date, ...]) -> dict[date, str]:
    """Months of ``force`` that are missing, with the reason (§1.5).

    A force-month is missing when it is absent from the catalogue, holds no rows, or holds
    fewer than 20 % of the median of the force's previous 12 monthly totals.
    """
    rows = partitions.filter(pc.equal(partitions["force"], force))
    totals = dict(zip(rows["month"].to_pylist(), rows["rows"].to_pylist(), strict=True))
    missing: dict[date, str] = {}
    for month in months:
        total = totals.get(month)
        if total is None:
            missing[month] = "not in the store"
            continue
        if total == 0:
            missing[month] = "no rows"
            continue
        previous = [totals[m] for m in month_range(add_months(month, -12), add_months(month, -1))
                    if totals.get(m)]  # fmt: skip
        if previous and total < MISSING_SHARE * statistics.median(previous):
            missing[month] = f"{total:,} rows, under 20 % of the median of the previous 12 months"
    return missing


@dataclass(frozen=True, slots=True)
class Scope:
    """What a measure is about, decided before any row is read.

    Attributes
    ----------
    engine : Engine
    area : Area
    first, last : date
        The period (first of month, inclusive).
    categories : tuple of str
    forces : tuple of str or None
        Recording forces to read (``None``: every force in the store).
    principal : tuple of str
        Forces whose force area holds the area; their missing months are the area's gaps.
    months : tuple of date
        Every month of the period.
    missing : dict
        Missing month → reason (for any principal force).
    """

    engine: Engine
    area: Area
    first: date
    last: date
    categories: tuple[str, ...]
    forces: tuple[str, ...] | None
    principal: tuple[str, ...]
    months: tuple[date, ...]
    missing: dict[date, str] = field(default_factory=dict)
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def months_used(self) -> tuple[date, ...]:
        """Months of the period that are not missing."""
        return tuple(m for m in self.months if m not in self.missing)

    @property
    def months_missing(self) -> tuple[date, ...]:
        """Missing months of the period, in order."""
        return tuple(m for m in self.months if m in self.missing)

    def forces_read(self) -> tuple[str, ...]:
        """Forces with data in the period (every one is read when ``forces`` is ``None``)."""
        parts = self.engine.partitions("street")
        inside = pc.and_(
            pc.greater_equal(parts["month"], pa.scalar(self.first, pa.date32())),
            pc.less_equal(parts["month"], pa.scalar(self.last, pa.date32())),
        )
        found = tuple(sorted(set(parts.filter(inside)["force"].to_pylist())))
        return found or self.principal

    def provenance(
        self, method: str, computed_at: datetime | None, **parameters: Any
    ) -> Provenance:
        """A provenance for a result of this scope."""
        notes = []
        if self.missing:
            by_reason: dict[str, list[date]] = {}
            for m, why in sorted(self.missing.items()):
                by_reason.setdefault(why, []).append(m)
            notes.append(
                "missing months are shown as gaps and left out of totals and tests: "
                + "; ".join(f"{month_ranges(ms)} ({why})" for why, ms in by_reason.items())
            )
        return Provenance(
            data_months=(self.first, self.last),
            months_used=self.months_used,
            months_missing=self.months_missing,
            forces=self.forces if self.forces is not None else self.forces_read(),
            method=method,
            parameters={
                "area": self.area.code,
                "area_label": self.area.label,
                "area_kind": self.area.kind,
                "categories": self.categories,
                **parameters,
            },
            catalogue_version=self.engine.catalogue_version(),
            computed_at=computed_at,
            engine=self.engine.name,
            notes=tuple(notes),
            archives=self.archives(),
        )

    def archives(self) -> tuple[str, ...]:
        """The police.uk archives (with their archive month) the used months came from."""
        store = getattr(self.engine, "store", None)
        entries_of = getattr(store, "entries", None)
        if entries_of is None:
            return ()
        entries = self.engine.cached("catalogue-entries:street", lambda: entries_of("street"))
        return archive_sources(entries, self.forces or self.forces_read(), self.months_used)


NO_MONTHS = "no month of the period has data (every month is missing)"


def no_months_rate(result: Any) -> Any:
    """A rate result with every figure set to ``None`` and the reason: a gap, not a zero."""
    from dataclasses import replace as _replace

    return _replace(
        result, rate=None, lower=None, upper=None, annualised_rate=None, annualised_lower=None,
        annualised_upper=None, reason=NO_MONTHS,
    )  # fmt: skip


def latest_month(engine: Engine, forces: tuple[str, ...] | None = None) -> date:
    """Latest month held in the catalogue (for the given forces)."""
    parts = engine.partitions("street")
    if forces:
        parts = parts.filter(pc.is_in(parts["force"], pa.array(list(forces), pa.string())))
    if parts.num_rows == 0:
        raise ValueError("the store holds no street data: run `saferplaces data import` first")
    latest: date = pc.max(parts["month"]).as_py()
    return latest


def build_scope(engine: Engine, query: Query, *, default_months: int = 12) -> Scope:
    """Resolve area, period and categories and decide the missing months (no data scan).

    ``query.last`` defaults to the latest month held for the area's forces and ``query.first``
    to ``query.months`` (else ``default_months``) months before it.
    """
    query = checked_query(query)
    resolved = resolve_area(engine, query.area)
    categories = query.categories
    slugs = ALL_SLUGS if categories == "all" else resolve_categories(categories)
    force_list = None if query.forces is None else tuple(sorted(set(query.forces)))
    principal = principal_forces(engine, resolved)
    if force_list is not None:
        principal = tuple(f for f in principal if f in force_list) or force_list
    end = query.last if query.last is not None else latest_month(engine, principal or None)
    months = query.period_months(default_months)
    if months < 1:
        raise ValueError("months must be at least 1")
    start = query.first if query.first is not None else add_months(end, -(months - 1))
    if start > end:
        raise ValueError(
            f"the period starts ({month_label(start)}) after it ends ({month_label(end)})"
        )
    period = month_range(start, end)
    parts = engine.partitions("street")
    missing: dict[date, str] = {}
    for force in principal:
        for month, why in missing_months(parts, force, period).items():
            missing.setdefault(month, f"{force}: {why}")
    return Scope(engine, resolved, start, end, slugs, force_list, principal, period, missing)


def area_rows(scope: Scope, first: date | None = None, last: date | None = None) -> ir.Table:
    """The area's street rows in the period (all categories), read from the needed files only."""
    start, end = first or scope.first, last or scope.last
    key = ("area_rows", start, end)
    if key not in scope.memo:  # the expression only: building it for 60+ codes is not free
        table = scope.engine.street((start, end), scope.forces)
        codes = list(scope.area.lsoa_codes)
        scope.memo[key] = table.filter(
            table.lsoa21_code.isin(codes), table.month.between(start, end)
        )
    return scope.memo[key]


def area_cube(scope: Scope, categories: tuple[str, ...] | None = None) -> ir.Table:
    """The area's rows grouped by month, force, category, LSOA and last outcome (column ``n``)."""
    rows = area_rows(scope)
    if categories is not None:
        rows = rows.filter(rows.crime_type.isin(list(categories)))
    rows = rows.mutate(has_crime_id=rows.crime_id.notnull())
    return rows.group_by(list(CUBE_KEYS)).aggregate(n=rows.count())


Cube: TypeAlias = ir.Table | pa.Table
"""An area cube: the Ibis expression, or the same table fetched once into Arrow."""

CUBE_SCHEMA = pa.schema(
    [("month", pa.date32()), ("force", pa.string()), ("crime_type", pa.string()),
     ("lsoa21_code", pa.string()), ("last_outcome", pa.string()), ("has_crime_id", pa.bool_()),
     ("n", pa.int64())]
)  # fmt: skip


def rollup(cube: ir.Table, keys: list[str], categories: tuple[str, ...] | None = None) -> ir.Table:
    """Sum the cube's ``n`` by ``keys`` over the chosen categories (an Ibis expression)."""
    chosen = cube if categories is None else cube.filter(cube.crime_type.isin(list(categories)))
    return chosen.group_by(keys).aggregate(n=chosen.n.sum())


def used_only(cube: ir.Table, scope: Scope) -> ir.Table:
    """Drop the missing months from a cube (they are gaps, never zeros)."""
    if not scope.missing:
        return cube
    return cube.filter(~cube.month.isin(sorted(scope.missing)))


def fetch_cube(scope: Scope, categories: tuple[str, ...] | None = None) -> pa.Table:
    """Run :func:`area_cube` once and return it as Arrow (every roll-up is then in memory).

    The cube holds one row per month × force × category × LSOA × outcome present in the area,
    a few tens of thousands of rows for a partnership over three years, so rolling it up in
    Arrow is much cheaper than compiling one SQL query per breakdown.
    """
    table = scope.engine.fetch(area_cube(scope, categories))
    return table.select(CUBE_SCHEMA.names).cast(CUBE_SCHEMA)


def _arrow_rollup(
    cube: pa.Table,
    keys: list[str],
    categories: tuple[str, ...],
    period: tuple[date, date],
    missing: tuple[date, ...],
    with_crime_id: bool,
) -> pa.Table:
    mask = pc.and_(
        pc.is_in(cube["crime_type"], pa.array(list(categories), pa.string())),
        pc.and_(
            pc.greater_equal(cube["month"], pa.scalar(period[0], pa.date32())),
            pc.less_equal(cube["month"], pa.scalar(period[1], pa.date32())),
        ),
    )
    if missing:
        mask = pc.and_(mask, pc.invert(pc.is_in(cube["month"], pa.array(missing, pa.date32()))))
    if with_crime_id:
        mask = pc.and_(mask, cube["has_crime_id"])
    chosen = cube.filter(mask)
    if not keys:
        return pa.table({"n": pa.array([int(pc.sum(chosen["n"]).as_py() or 0)], pa.int64())})
    grouped = chosen.group_by(keys, use_threads=False).aggregate([("n", "sum")])
    grouped = grouped.rename_columns([*keys, "n"]).select([*keys, "n"])
    grouped = grouped.set_column(len(keys), "n", pc.cast(pc.fill_null(grouped["n"], 0), pa.int64()))
    return grouped.sort_by([(k, "ascending") for k in keys])


def rolled(
    scope: Scope,
    cube: Cube,
    keys: list[str],
    categories: tuple[str, ...] | None = None,
    *,
    with_crime_id: bool = False,
) -> pa.Table:
    """Sum the cube's ``n`` by ``keys`` over the used months, sorted by ``keys``, memoised.

    Only the scope's months are summed, so one cube covering a longer period can serve several
    scopes (the profile's period, its change periods and its control-chart baseline).
    Several questions need the same roll-up (the monthly series feeds counts, change, trend,
    seasonality and the control chart); the memo, shared by scopes derived with
    ``dataclasses.replace``, runs each distinct roll-up once per profile. An Arrow cube (see
    :func:`fetch_cube`) is rolled up in memory; an Ibis cube by one engine query per roll-up.
    ``with_crime_id`` keeps only rows with a Crime ID (crimes, never ASB).
    """
    chosen = scope.categories if categories is None else categories
    missing = tuple(sorted(scope.missing))
    period = (scope.first, scope.last)
    ident = ("arrow", id(cube)) if isinstance(cube, pa.Table) else cube.op()
    key = (ident, tuple(keys), tuple(chosen), period, missing, with_crime_id)
    if key not in scope.memo:
        if isinstance(cube, pa.Table):
            scope.memo.setdefault(("cube", id(cube)), cube)  # keep it alive: its id is the key
            scope.memo[key] = _arrow_rollup(
                cube, keys, tuple(chosen), period, missing, with_crime_id
            )
        else:
            base = used_only(cube, scope)
            base = base.filter(base.month.between(scope.first, scope.last))
            if with_crime_id:
                base = base.filter(base.has_crime_id)
            expr = rollup(base, keys, chosen)
            scope.memo[key] = fetch_sorted(scope.engine, expr, keys)
    return scope.memo[key]


def fetch_sorted(engine: Engine, expr: ir.Table, keys: list[str]) -> pa.Table:
    """Run a roll-up and return it sorted by ``keys`` with ``n`` as int64."""
    table = engine.fetch(expr)
    if "n" in table.column_names:
        table = table.set_column(
            table.column_names.index("n"), "n", pc.cast(pc.fill_null(table["n"], 0), pa.int64())
        )
    return table.sort_by([(k, "ascending") for k in keys]) if keys else table


def force_facts(scope: Scope, forces: tuple[str, ...]) -> pa.Table:
    """Per force, month and category: all rows, unlocated rows, rows outside the geography.

    One scan of the named forces' files for the period (never the whole store). Feeds the
    force-level unlocated share (§1.2), the force-area comparators (§2.4) and data quality.
    """
    schema = pa.schema(
        [("force", pa.string()), ("month", pa.date32()), ("crime_type", pa.string()),
         ("rows", pa.int64()), ("unlocated", pa.int64()), ("outside", pa.int64())]
    )  # fmt: skip
    if not forces:
        return schema.empty_table()
    key = f"force_facts:{scope.first}:{scope.last}:{','.join(sorted(forces))}"

    def build() -> pa.Table:
        t = scope.engine.street((scope.first, scope.last), sorted(forces))
        t = t.filter(t.month.between(scope.first, scope.last))
        no_lsoa = t.lsoa_code.isnull()
        outside = t.lsoa_code.notnull() & t.lsoa21_code.isnull()
        expr = t.group_by(["force", "month", "crime_type"]).aggregate(
            rows=t.count(),
            unlocated=no_lsoa.cast("int64").sum(),
            outside=outside.cast("int64").sum(),
        )
        table = scope.engine.fetch(expr)
        return (
            table.select(schema.names)
            .cast(schema)
            .sort_by([("force", "ascending"), ("month", "ascending"), ("crime_type", "ascending")])
        )

    return scope.engine.cached(key, build)


def sum_where(table: pa.Table, column: str, **equal_or_in: Any) -> int:
    """Sum ``column`` over rows matching ``name=value`` or ``name=[values]`` filters."""
    mask = None
    for name, value in equal_or_in.items():
        if isinstance(value, list | tuple | set | frozenset):
            cond = pc.is_in(table[name], pa.array(list(value), table.schema.field(name).type))
        else:
            cond = pc.equal(table[name], value)
        mask = cond if mask is None else pc.and_(mask, cond)
    chosen = table if mask is None else table.filter(mask)
    total = pc.sum(chosen[column]).as_py() if chosen.num_rows else 0
    return int(total or 0)
