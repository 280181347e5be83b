"""Backend selection: the same Ibis measures on DuckDB (default) or on Spark (PySpark).

An :class:`Engine` wraps one Ibis backend over one store. It selects the Parquet files a query
needs from the store's catalogue (force and month), so a measure over one partnership and three
years never scans the rest of the country, and it caches the few small things every measure needs
(the catalogue's partitions, the LSOA lookup) for the life of the engine. Measures take an
``Engine`` and build Ibis expressions; only :meth:`Engine.fetch` runs them.

This is the one module of ``crimestats`` (with the store) that opens connections; the caller owns
the engine and closes it (ADR 0007).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from crimestats.ingest.schemas import STREET_SCHEMA

__all__ = ["ENGINES", "Engine", "StoreLike", "open_engine"]

ENGINES: tuple[str, ...] = ("duckdb", "spark")

GEOGRAPHY_TABLES: tuple[str, ...] = (
    "lsoa",
    "population",
    "lsoa11_to_21",
    "lsoa_neighbours",
    "lsoa_geometry",
)

_names = itertools.count()


class StoreLike(Protocol):
    """What the measures need from :class:`crimestats.store.Store` (its agreed reader API)."""

    data_dir: Path

    def partitions(self, kind: str) -> Any: ...  # noqa: D102

    def files(  # noqa: D102
        self,
        kind: str,
        months: tuple[date, date] | None = None,
        forces: Iterable[str] | None = None,
    ) -> list[str]: ...

    def connect(self) -> Any: ...  # noqa: D102

    def catalogue_version(self) -> str: ...  # noqa: D102


def _partition_rows(raw: Any) -> pa.Table:
    """Normalise ``Store.partitions(kind)`` (rows of force, month, path, rows) to Arrow."""
    if isinstance(raw, pa.Table):
        table = raw
    else:
        records = []
        for item in raw:
            if isinstance(item, dict):
                records.append(item)
            elif hasattr(item, "_asdict"):
                records.append(item._asdict())
            else:
                records.append(
                    {k: getattr(item, k) for k in ("force", "month", "path", "rows")}
                    if hasattr(item, "force")
                    else dict(zip(("force", "month", "path", "rows"), item, strict=False))
                )
        table = pa.Table.from_pylist(
            [{k: r[k] for k in ("force", "month", "rows")} for r in records],
            schema=pa.schema(
                [("force", pa.string()), ("month", pa.date32()), ("rows", pa.int64())]
            ),
        )
    cols = ["force", "month", "rows"]
    table = table.select(cols).cast(
        pa.schema([("force", pa.string()), ("month", pa.date32()), ("rows", pa.int64())])
    )
    # Several files may make one force-month; the unit of analysis is the force-month.
    grouped = table.group_by(["force", "month"]).aggregate([("rows", "sum")])
    return grouped.rename_columns(["force", "month", "rows"]).sort_by(
        [("force", "ascending"), ("month", "ascending")]
    )


class Engine:
    """One Ibis backend over one store (DuckDB by default, or Spark).

    Parameters
    ----------
    store : StoreLike
        The Parquet store (``crimestats.store.Store``).
    backend : ibis backend
        ``ibis.duckdb`` or ``ibis.pyspark`` backend.
    name : {"duckdb", "spark"}
    session : pyspark.sql.SparkSession, optional
        For Spark, the session the backend wraps (used to read lists of files).

    Notes
    -----
    Build one with :func:`open_engine`. The engine caches the catalogue partitions and small
    geography lookups; create a new engine after an import to see the new months.
    """

    def __init__(self, store: StoreLike, backend: Any, name: str, session: Any = None) -> None:
        self.store = store
        self.backend = backend
        self.name = name
        self.session = session
        self._tables: dict[Any, ir.Table] = {}
        self._cache: dict[str, Any] = {}

    # -- catalogue -------------------------------------------------------------------------
    def partitions(self, kind: str = "street") -> pa.Table:
        """Force-month totals from the catalogue: ``force, month, rows`` (no data scan)."""
        key = f"partitions:{kind}"
        if key not in self._cache:
            self._cache[key] = _partition_rows(self.store.partitions(kind))
        return self._cache[key]

    def catalogue_version(self) -> str:
        """The store's catalogue version (changes with every import)."""
        if "catalogue_version" not in self._cache:
            self._cache["catalogue_version"] = str(self.store.catalogue_version())
        return self._cache["catalogue_version"]

    def cached(self, key: str, build: Any) -> Any:
        """Return ``build()`` once per engine under ``key`` (small lookups only)."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    # -- tables ----------------------------------------------------------------------------
    def street(
        self, months: tuple[date, date] | None = None, forces: Iterable[str] | None = None
    ) -> ir.Table:
        """Street rows of the chosen months and recording forces, read from their own files."""
        force_key = None if forces is None else tuple(sorted(forces))
        key = ("street", months, force_key)
        if key not in self._tables:
            files = self.store.files(
                "street", months=months, forces=None if force_key is None else list(force_key)
            )
            self._tables[key] = self._read_files(sorted(str(f) for f in files), STREET_SCHEMA)
        return self._tables[key]

    def geography(self, name: str) -> ir.Table:
        """A geography table of the store (``lsoa``, ``population``, ``lsoa_neighbours`` …)."""
        if name not in GEOGRAPHY_TABLES:
            raise ValueError(f"unknown geography table {name!r}; one of {GEOGRAPHY_TABLES}")
        key = ("geography", name)
        if key not in self._tables:
            path = Path(self.store.data_dir) / "geography" / f"{name}.parquet"
            if self.name == "duckdb" and name in self._duckdb_tables():
                self._tables[key] = self.backend.table(name)
            elif path.exists():
                self._tables[key] = self._read_files([str(path)], None)
            else:
                raise ValueError(
                    f"the store has no {name!r} geography table: run "
                    "`saferplaces data geography --from DIR` first"
                )
        return self._tables[key]

    def _duckdb_tables(self) -> set[str]:
        # Not backend.list_tables(): ibis 12 calls a cursor method DuckDB 2.0 removed (ADR 0007).
        rows = self.backend.con.sql("SELECT table_name FROM information_schema.tables").fetchall()
        return {row[0] for row in rows}

    def _read_files(self, files: list[str], schema: pa.Schema | None) -> ir.Table:
        if not files:
            if schema is None:
                raise ValueError("no files to read")
            return ibis.memtable(schema.empty_table())
        if self.name == "spark":
            frame = self.session.read.parquet(*files)
            view = f"cs_parquet_{next(_names)}"
            frame.createOrReplaceTempView(view)
            return self.backend.table(view)
        return self.backend.read_parquet(
            files, table_name=f"cs_parquet_{next(_names)}", hive_partitioning=False
        )

    # -- execution -------------------------------------------------------------------------
    def fetch(self, expr: ir.Expr) -> pa.Table:
        """Run an expression and return a small Arrow table (the only place queries run)."""
        table = self.backend.to_pyarrow(expr)
        if isinstance(table, pa.ChunkedArray | pa.Array):
            return pa.table({"value": table})
        return table

    def materialise(self, expr: ir.Table) -> ir.Table:
        """Compute ``expr`` once inside the engine and return a table to query repeatedly."""
        name = f"cs_cube_{next(_names)}"
        if self.name == "spark":
            frame = self.session.sql(str(ibis.to_sql(expr, dialect="pyspark")))
            frame.cache().createOrReplaceTempView(name)
            return self.backend.table(name)
        return self.backend.create_table(name, expr, temp=True)

    def close(self) -> None:
        """Release cached views (the caller owns the backend and closes it)."""
        self._tables.clear()
        self._cache.clear()


def open_engine(store: StoreLike, engine: str = "duckdb", *, spark_session: Any = None) -> Engine:
    """Open an :class:`Engine` over a store on DuckDB (default) or Spark.

    Parameters
    ----------
    store : StoreLike
        The Parquet store.
    engine : {"duckdb", "spark"}, default "duckdb"
    spark_session : pyspark.sql.SparkSession, optional
        Required for ``engine="spark"``: the caller builds and owns the session (local mode or a
        cluster), so ``crimestats`` never starts a JVM by itself.

    Returns
    -------
    Engine

    Raises
    ------
    ValueError
        Unknown engine, or Spark without a session.
    """
    if engine == "duckdb":
        return Engine(store, ibis.duckdb.from_connection(store.connect()), "duckdb")
    if engine == "spark":
        if spark_session is None:
            raise ValueError("engine 'spark' needs a SparkSession (spark_session=...)")
        return Engine(store, ibis.pyspark.connect(spark_session), "spark", spark_session)
    raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
