"""Backend selection: the same Ibis measures on DuckDB (default) or on Spark (PySpark).

An :class:`Engine` wraps one Ibis backend over one store. It selects the Parquet files a query
needs from the store's catalogue (force and month), so a measure over one partnership and three
years never scans the rest of the country, and it caches the few small things every measure needs
(the catalogue's partitions, the LSOA lookup) for the life of the engine. Measures take an
``Engine`` and build Ibis expressions; only :meth:`Engine.fetch` runs them.

This is the one module of ``crimestats`` (with the store) that opens connections; the caller owns
the engine and closes it (ADR 0007). For Spark, :func:`open_engine` starts a local-mode session
(:func:`get_spark_session`) unless the caller passes its own, e.g. one that ``spark-submit``
built on a cluster; an engine stops only a session it started.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from crimestats.store.reader import select_files
from crimestats.store.schema import STREET_SCHEMA

__all__ = ["ENGINES", "SPARK_LOCAL_CONF", "Engine", "StoreLike", "get_spark_session", "open_engine"]

ENGINES: tuple[str, ...] = ("duckdb", "spark")

GEOGRAPHY_TABLES: tuple[str, ...] = (
    "lsoa",
    "population",
    "lsoa11_to_21",
    "lsoa_neighbours",
    "lsoa_geometry",
)

_names = itertools.count()

T = TypeVar("T")

# Local mode on one machine: two cores, few shuffle partitions (the data reaching a shuffle is a
# few thousand grouped rows), no web UI or progress bars, Arrow for results, file listing on the
# driver (a store read names its files; a listing job per read costs seconds locally), and the
# JVM's client compiler only: a short-lived driver running many small queries starts in about
# half the time without the optimising compiler's warm-up.
SPARK_LOCAL_CONF: dict[str, str] = {
    "spark.master": "local[2]",
    "spark.app.name": "crimestats",
    "spark.driver.memory": "1g",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "2",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.sources.parallelPartitionDiscovery.threshold": "100000",
}

_LOCAL_ONLY = ("spark.driver.host", "spark.driver.bindAddress", "spark.driver.extraJavaOptions")

# What every session needs, local or cluster: set at run time on a session we are given.
_SPARK_RUNTIME_CONF: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}

# Spark's own log (log4j 2) at ERROR: without it every start prints its profile, the host's
# address and a native-library warning. Used unless the caller sets a log4j configuration.
_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
"""

JAVA_MISSING = (
    "engine 'spark' needs a Java runtime (17 or 21) for PySpark: install one (Debian: "
    "apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
)


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
    owns_session : bool, default False
        Stop ``session`` on :meth:`close` (true when :func:`open_engine` started it).

    Notes
    -----
    Build one with :func:`open_engine`. The engine caches the catalogue partitions and small
    geography lookups; create a new engine after an import to see the new months. An engine is
    a context manager: ``with open_engine(store, "spark") as engine: ...`` closes it.
    """

    def __init__(
        self,
        store: StoreLike,
        backend: Any,
        name: str,
        session: Any = None,
        *,
        owns_session: bool = False,
    ) -> None:
        self.store = store
        self.backend = backend
        self.name = name
        self.session = session
        self.owns_session = owns_session
        self._tables: dict[Any, ir.Table] = {}
        self._cache: dict[str, Any] = {}

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- catalogue -------------------------------------------------------------------------
    def partitions(self, kind: str = "street") -> pa.Table:
        """Force-month totals from the catalogue: ``force, month, rows`` (no data scan)."""
        key = f"partitions:{kind}"
        if key not in self._cache:
            self._cache[key] = _partition_rows(self._listing(kind))
        table: pa.Table = self._cache[key]
        return table

    def catalogue_version(self) -> str:
        """The store's catalogue version (changes with every import)."""
        if "catalogue_version" not in self._cache:
            self._cache["catalogue_version"] = str(self.store.catalogue_version())
        version: str = self._cache["catalogue_version"]
        return version

    def cached(self, key: str, build: Callable[[], T]) -> T:
        """Return ``build()`` once per engine under ``key`` (small lookups only)."""
        if key not in self._cache:
            self._cache[key] = build()
        # One key is always built by the same function, so the value has that function's type.
        return cast(T, self._cache[key])

    # -- tables ----------------------------------------------------------------------------
    def street(
        self, months: tuple[date, date] | None = None, forces: Iterable[str] | None = None
    ) -> ir.Table:
        """Street rows of the chosen months and recording forces, read from their own files."""
        force_key = None if forces is None else tuple(sorted(forces))
        key = ("street", months, force_key)
        if key not in self._tables:
            self._tables[key] = self._read_files(
                self._files("street", months, force_key), STREET_SCHEMA
            )
        return self._tables[key]

    def street_partitions(self, chosen: Iterable[tuple[str, date]]) -> ir.Table:
        """Street rows of exactly the given (force, month) partitions, in one table."""
        wanted = {(force, month.replace(day=1)) for force, month in chosen}
        files = sorted(str(p.path) for p in self._listing("street") if (p.force, p.month) in wanted)
        return self._read_files(files, STREET_SCHEMA)

    def _listing(self, kind: str) -> list[Any]:
        """The catalogue's current partitions, read once per engine.

        A national profile asks for ~50 force/month selections; reading the catalogue (5,000+
        rows) for each one cost more than the queries themselves.
        """
        return self.cached(f"listing:{kind}", lambda: list(self.store.partitions(kind)))

    def _files(
        self, kind: str, months: tuple[date, date] | None, forces: tuple[str, ...] | None
    ) -> list[str]:
        """The catalogue's files for months and forces (the store's own selection rule)."""
        return sorted(select_files(self._listing(kind), months, forces))

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
            reader = self.session.read
            if schema is not None:
                # The store's own schema: no footer inference, and an old file missing a newer
                # column reads as nulls instead of changing the table's columns.
                reader = reader.schema(_spark_schema(schema))
            frame = reader.parquet(*files)
            view = f"cs_parquet_{next(_names)}"
            frame.createOrReplaceTempView(view)
            return self.backend.table(view)
        return self.backend.read_parquet(
            files, table_name=f"cs_parquet_{next(_names)}", hive_partitioning=False
        )

    # -- execution -------------------------------------------------------------------------
    def fetch(self, expr: ir.Expr) -> pa.Table:
        """Run an expression and return a small Arrow table (the only place queries run)."""
        spark = self.name == "spark"
        table = self._spark_fetch(expr) if spark else self.backend.to_pyarrow(expr)
        if isinstance(table, pa.ChunkedArray | pa.Array):
            return pa.table({"value": table})
        return table

    def materialise(self, expr: ir.Table) -> ir.Table:
        """Compute ``expr`` once inside the engine and return a table to query repeatedly."""
        name = f"cs_cube_{next(_names)}"
        if self.name == "spark":
            self._spark_frame(expr).cache().createOrReplaceTempView(name)
            return self.backend.table(name)
        return self.backend.create_table(name, expr, temp=True)

    def _spark_frame(self, expr: ir.Expr) -> Any:
        """The Spark DataFrame of an expression (in-memory tables and UDFs registered first)."""
        # Ibis registers memtables and UDFs in this hook before its own execute; we run the
        # compiled SQL ourselves (below), so we call it too.
        self.backend._run_pre_execute_hooks(expr)
        return self.session.sql(self.backend.compile(expr))

    def _spark_fetch(self, expr: ir.Expr) -> Any:
        """Collect through Arrow (``DataFrame.toArrow``), not Ibis' pandas round trip.

        Ibis' PySpark ``to_pyarrow`` goes Spark → pandas → Arrow, which turns integer columns
        with nulls into floats and costs a conversion per query; ``toArrow`` keeps Spark's
        types, and the result is cast to the expression's Ibis schema as on DuckDB.
        """
        from ibis.formats.pyarrow import PyArrowData

        table_expr = expr.as_table()
        arrow = self._spark_frame(table_expr).toArrow()
        schema = table_expr.schema()
        arrow = arrow.rename_columns(list(schema.names))
        return expr.__pyarrow_result__(PyArrowData.convert_table(arrow, schema))

    def close(self) -> None:
        """Release cached views; stop the Spark session if this engine started it."""
        self._tables.clear()
        self._cache.clear()
        if self.owns_session and self.session is not None:
            self.session.stop()
            self.session = None
            self.owns_session = False


def _spark_schema(schema: pa.Schema) -> Any:
    """A Spark ``StructType`` for an Arrow schema (through Ibis' type mappers)."""
    import ibis.expr.schema as sch
    from ibis.backends.pyspark.datatypes import PySparkSchema

    return PySparkSchema.from_ibis(sch.Schema.from_pyarrow(schema))


def _java_home() -> str:
    """``JAVA_HOME``, found from ``java`` on the PATH when unset; a clear error without Java."""
    home = os.environ.get("JAVA_HOME")
    if home and Path(home, "bin", "java").exists():
        return home
    java = shutil.which("java")
    if java is None:
        raise RuntimeError(JAVA_MISSING)
    # /usr/bin/java → /etc/alternatives/java → /usr/lib/jvm/<jdk>/bin/java
    return str(Path(java).resolve().parent.parent)


def _log4j2_option() -> str:
    """A JVM option pointing log4j at :data:`_LOG4J2` (written once to the temp folder)."""
    path = Path(tempfile.gettempdir()) / "crimestats-spark-log4j2.properties"
    if not path.exists() or path.read_text("utf-8") != _LOG4J2:
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(_LOG4J2, "utf-8")
        partial.replace(path)
    return f"-Dlog4j2.configurationFile={path.as_uri()}"


def get_spark_session(
    master: str | None = None, conf: Mapping[str, str] | None = None
) -> tuple[Any, bool]:
    """The active Spark session, or a new local-mode one; and whether this call started it.

    Parameters
    ----------
    master : str, optional
        Spark master URL for a new session (default ``local[2]``, :data:`SPARK_LOCAL_CONF`).
    conf : mapping, optional
        Extra or overriding Spark settings for a new session (e.g. ``spark.driver.memory``).

    Returns
    -------
    (SparkSession, bool)
        The session, and True when it was started here (its owner should stop it).

    Raises
    ------
    RuntimeError
        Java or PySpark is missing.

    Notes
    -----
    An already active session (a notebook's), or the session of a script run by
    ``spark-submit``, is reused as it is: only the time zone (UTC) and Arrow collection are set
    on it, and it is not this call's to stop.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - pyspark is a dependency
        raise RuntimeError("engine 'spark' needs PySpark: pip install pyspark") from exc
    active = SparkSession.getActiveSession()
    if active is None and os.environ.get("PYSPARK_GATEWAY_PORT"):
        # Under spark-submit (or the pyspark shell) the JVM is already running with the
        # submitter's master and settings: take its session, leave it to the submitter.
        active = SparkSession.builder.getOrCreate()
    if active is not None:
        for key, value in _SPARK_RUNTIME_CONF.items():
            active.conf.set(key, value)
        return active, False
    java_home = os.environ["JAVA_HOME"] = _java_home()
    settings = {**SPARK_LOCAL_CONF, **(conf or {})}
    if master is not None:
        settings["spark.master"] = master
    if settings["spark.master"].startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    else:
        # A cluster's executors must reach the driver: keep Spark's own choice of address, and
        # the JVM's own compilers for a driver that may live long.
        for key in _LOCAL_ONLY:
            if conf is None or key not in conf:
                settings.pop(key, None)
    options = settings.get("spark.driver.extraJavaOptions", "")
    if "log4j2.configurationFile" not in options:
        settings["spark.driver.extraJavaOptions"] = f"{options} {_log4j2_option()}".strip()
    logging.getLogger("py4j").setLevel(logging.WARNING)  # its INFO lines on every call
    builder = SparkSession.builder
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:
        raise RuntimeError(
            f"could not start Spark with the Java runtime at {java_home} (PySpark 4 needs "
            f"Java 17 or 21; set JAVA_HOME to one): {exc}"
        ) from exc
    session.sparkContext.setLogLevel("ERROR")
    return session, True


def open_engine(
    store: StoreLike,
    engine: str = "duckdb",
    *,
    spark_session: Any = None,
    spark_master: str | None = None,
    spark_conf: Mapping[str, str] | None = None,
) -> Engine:
    """Open an :class:`Engine` over a store on DuckDB (default) or Spark.

    Parameters
    ----------
    store : StoreLike
        The Parquet store.
    engine : {"duckdb", "spark"}, default "duckdb"
    spark_session : pyspark.sql.SparkSession, optional
        For ``engine="spark"``: a session the caller owns (a cluster's, or a shared one); the
        engine never stops it. Without one, the active session is used, or a local-mode one is
        started (``local[2]``, see :func:`get_spark_session`) and stopped by :meth:`Engine.close`.
    spark_master : str, optional
        Master URL when a session is started here (default ``local[2]``).
    spark_conf : mapping, optional
        Extra Spark settings when a session is started here.

    Returns
    -------
    Engine

    Raises
    ------
    ValueError
        Unknown engine.
    RuntimeError
        ``engine="spark"`` without Java or PySpark.
    """
    if engine == "duckdb":
        return Engine(store, ibis.duckdb.from_connection(store.connect()), "duckdb")
    if engine == "spark":
        owns = False
        session = spark_session
        if session is None:
            session, owns = get_spark_session(spark_master, spark_conf)
        else:
            for key, value in _SPARK_RUNTIME_CONF.items():
                session.conf.set(key, value)
        return Engine(store, ibis.pyspark.connect(session), "spark", session, owns_session=owns)
    raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
