"""The measures on Spark (PySpark, local mode) give DuckDB's results (DESIGN §3, ADR 0007).

One real-data store (North West Leicestershire's force, Leicestershire, for 2022, 2024 and 2025,
plus Derbyshire 2025: 2011- and 2021-coded files, missing months, a second recording force) is
queried through both engines: the whole CSP profile, then each measure with options the profile
does not use. Counts, codes and labels must be equal exactly and floats to 1e-9; provenance
must match except for its ``engine``. One Spark session serves the module. A Spark failure
(no Java, a construct Spark cannot run) fails these tests: nothing here skips on Spark.
"""

from __future__ import annotations

import dataclasses
import math
import shutil
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from crimestats import measures
from crimestats.engines import GEOGRAPHY_TABLES, Engine, _java_home, open_engine
from crimestats.measures._scope import build_scope, fetch_cube
from crimestats.profile import csp_profile
from crimestats.provenance import Provenance
from crimestats.query import Query, parse_period
from crimestats.store import Store
from tests.crimestats.measures._realstore import SHARED
from tests.shared_data import require_shared_data

pytestmark = pytest.mark.spark

NWL = "E07000134"  # North West Leicestershire (LAD), CSP E22000170
ZIPS = (
    "leicestershire-2022.zip",
    "leicestershire-2024.zip",
    "leicestershire-2025.zip",
    "derbyshire-2025.zip",
)
AT = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
REL, ABS = 1e-9, 1e-9


# -- comparing results ---------------------------------------------------------------------------
def differences(a: Any, b: Any, path: str = "result") -> list[str]:
    """Every place where two results differ (floats to 1e-9, all else exactly)."""
    found: list[str] = []
    _diff(a, b, path, found)
    return found


def _floats_equal(x: float, y: float) -> bool:
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    return math.isclose(x, y, rel_tol=REL, abs_tol=ABS)


def _diff(a: Any, b: Any, path: str, found: list[str]) -> None:
    if isinstance(a, Provenance) and isinstance(b, Provenance):
        a, b = dataclasses.replace(a, engine="-"), dataclasses.replace(b, engine="-")
    numbers = (int, float, np.integer, np.floating)
    if type(a) is not type(b) and not (isinstance(a, numbers) and isinstance(b, numbers)):
        found.append(f"{path}: {type(a).__name__} {a!r:.80} != {type(b).__name__} {b!r:.80}")
    elif dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            _diff(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}", found)
    elif isinstance(a, pa.Table):
        if a.schema != b.schema:
            found.append(f"{path}: schema\n{a.schema}\n!=\n{b.schema}")
        elif a.num_rows != b.num_rows:
            found.append(f"{path}: {a.num_rows} rows != {b.num_rows} rows")
        else:
            for name in a.column_names:
                _diff(a[name].to_pylist(), b[name].to_pylist(), f"{path}[{name}]", found)
    elif isinstance(a, np.ndarray):
        if a.shape != b.shape:
            found.append(f"{path}: shape {a.shape} != {b.shape}")
        else:
            _diff(a.tolist(), b.tolist(), path, found)
    elif hasattr(a, "toarray"):  # scipy sparse (adjacency)
        _diff(a.toarray(), b.toarray(), path, found)
    elif isinstance(a, Mapping):
        if set(a) != set(b):
            found.append(f"{path}: keys {sorted(map(str, a))} != {sorted(map(str, b))}")
        else:
            for key in a:
                _diff(a[key], b[key], f"{path}[{key!r}]", found)
    elif isinstance(a, list | tuple):
        if len(a) != len(b):
            found.append(f"{path}: {len(a)} items != {len(b)} items")
        else:
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                _diff(x, y, f"{path}[{i}]", found)
    elif isinstance(a, float | np.floating) or isinstance(b, float | np.floating):
        if not _floats_equal(float(a), float(b)):
            found.append(f"{path}: {a!r} != {b!r}")
    elif a != b:
        found.append(f"{path}: {a!r:.200} != {b!r:.200}")


def assert_same(a: Any, b: Any, what: str) -> None:
    """Fail with the first differences, by path, when DuckDB's and Spark's results differ."""
    found = differences(a, b, what)
    assert not found, f"{len(found)} differences between DuckDB and Spark:\n" + "\n".join(
        found[:30]
    )


def test_differences_sees_a_changed_number() -> None:
    # The comparison itself must not be blind: a float past 1e-9 and a count off by one.
    a = pa.table({"n": [1, 2], "rate": [0.5, 1.0]})
    b = pa.table({"n": [1, 3], "rate": [0.5, 1.0 + 1e-6]})
    assert differences(a, b, "t") == ["t[n][1]: 2 != 3", "t[rate][1]: 1.0 != 1.000001"]
    assert differences(a, pa.table({"n": [1, 2], "rate": [0.5, 1.0 + 1e-12]})) == []


# -- the store and the two engines ---------------------------------------------------------------
@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Geography and four police.uk archives imported with the project's own importer."""
    require_shared_data("police-uk", "ons", "boundaries")
    from crimestats.geography.build import load_geography
    from crimestats.ingest.importer import import_paths

    folder = tmp_path_factory.mktemp("spark-store")
    load_geography(SHARED, folder)
    import_paths([SHARED / "police-uk" / name for name in ZIPS], folder)
    return Store(folder)


@pytest.fixture(scope="module")
def duckdb_engine(store: Store) -> Iterator[Engine]:
    """The default engine."""
    with open_engine(store) as engine:
        yield engine


@pytest.fixture(scope="module")
def spark_engine(store: Store) -> Iterator[Engine]:
    """A Spark engine that started its own local-mode session (stopped at the end)."""
    engine = open_engine(store, "spark")
    session = engine.session
    yield engine
    engine.close()
    assert engine.session is None
    assert session.sparkContext._jsc is None  # the session it started is stopped


# -- the engine ----------------------------------------------------------------------------------
def test_spark_engine_is_local_pyspark(spark_engine: Engine) -> None:
    conf = spark_engine.session.conf
    assert spark_engine.name == "spark"
    assert spark_engine.backend.name == "pyspark"
    assert spark_engine.owns_session
    assert spark_engine.session.sparkContext.master == "local[2]"
    assert conf.get("spark.sql.shuffle.partitions") == "4"
    assert conf.get("spark.ui.enabled") == "false"
    assert conf.get("spark.sql.session.timeZone") == "UTC"
    java_options = spark_engine.session.sparkContext.getConf().get("spark.driver.extraJavaOptions")
    assert "-XX:TieredStopAtLevel=1" in java_options
    assert "log4j2.configurationFile=" in java_options


def test_java_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="needs a Java runtime"):
        _java_home()


def test_java_home_is_found_from_java_on_the_path(monkeypatch: pytest.MonkeyPatch) -> None:
    java = shutil.which("java")
    assert java is not None, "Java must be installed for the Spark tests"
    monkeypatch.delenv("JAVA_HOME", raising=False)
    assert Path(_java_home(), "bin", "java").resolve() == Path(java).resolve()


def test_a_borrowed_session_is_left_running(store: Store, spark_engine: Engine) -> None:
    borrowed = open_engine(store, "spark", spark_session=spark_engine.session)
    assert not borrowed.owns_session
    borrowed.close()
    assert spark_engine.session.sql("SELECT 1 AS one").collect()[0].one == 1


@pytest.mark.parametrize("name", GEOGRAPHY_TABLES)
def test_geography_tables_are_equal(name: str, duckdb_engine: Engine, spark_engine: Engine) -> None:
    tables = [e.fetch(e.geography(name)) for e in (duckdb_engine, spark_engine)]
    keys = [(c, "ascending") for c in tables[0].column_names if c != "geojson"]
    assert tables[0].num_rows > 0
    assert_same(*(t.sort_by(keys) for t in tables), name)


def test_street_rows_are_equal(duckdb_engine: Engine, spark_engine: Engine) -> None:
    months = (date(2025, 1, 1), date(2025, 12, 1))

    def summary(engine: Engine) -> pa.Table:
        t = engine.street(months)
        expr = t.group_by(["force", "month"]).aggregate(
            rows=t.count(),
            crime_ids=t.crime_id.nunique(),
            lsoa21=t.lsoa21_code.notnull().cast("int64").sum(),
            lines=t.source_line.sum(),
            lon=t.longitude.sum(),
        )
        return engine.fetch(expr).sort_by([("force", "ascending"), ("month", "ascending")])

    duck, spark = summary(duckdb_engine), summary(spark_engine)
    assert duck.num_rows == 24  # Leicestershire and Derbyshire 2025
    assert_same(duck, spark, "street")


# -- the measures --------------------------------------------------------------------------------
def test_area_cube_is_equal(duckdb_engine: Engine, spark_engine: Engine) -> None:
    # The one query over row-level data: month × force × category × LSOA × outcome counts.
    cubes = []
    for engine in (duckdb_engine, spark_engine):
        scope = build_scope(engine, Query.from_strings(NWL, months=36, categories="all"))
        cube = fetch_cube(scope)
        cubes.append(cube.sort_by([(c, "ascending") for c in cube.column_names]))
    assert cubes[0].num_rows > 1000
    assert_same(*cubes, "cube")


def test_csp_profile_is_equal(duckdb_engine: Engine, spark_engine: Engine) -> None:
    duck = csp_profile(duckdb_engine, Query.from_strings(NWL, months=36), computed_at=AT)
    spark = csp_profile(spark_engine, Query.from_strings(NWL, months=36), computed_at=AT)
    assert spark.provenance.engine == "spark"
    assert duck.provenance.engine == "duckdb"
    assert duck.counts.total > 5000
    assert duck.provenance.months_missing  # 2023 is not in the store: gaps on both engines
    assert duck.hotspots.map_points.num_rows == 10
    assert_same(duck, spark, "profile")


Measure = Callable[[Engine], Any]

MEASURES: dict[str, Measure] = {
    "counts-ward-asb": lambda e: measures.counts(
        e,
        Query.from_strings("E05010090", first="2024-01", last="2025-12", categories="asb"),
        computed_at=AT,
    ),
    "counts-lsoa-list-one-force": lambda e: measures.counts(
        e,
        Query.from_strings(
            "lsoas:E01025913,E01025914,E01025915", months=12, forces=["leicestershire"]
        ),
        computed_at=AT,
    ),  # fmt: skip
    "rates-violence": lambda e: measures.rates(
        e, Query.from_strings(NWL, months=12, categories="violence"), computed_at=AT
    ),
    "compare-force": lambda e: measures.compare(
        e, Query.from_strings(NWL, comparator="force", months=12), computed_at=AT
    ),
    "compare-peers": lambda e: measures.compare(
        e,
        Query.from_strings(NWL, comparator="peers:E07000129,E07000131", months=12),
        computed_at=AT,
    ),
    "change-2022-2025": lambda e: measures.change(
        e,
        Query.from_strings(NWL),
        period_1=parse_period("2022-01", "2022-12"),
        period_2=parse_period("2025-01", "2025-12"),
        computed_at=AT,
    ),
    "trend": lambda e: measures.trend(e, Query.from_strings(NWL, months=48), computed_at=AT),
    "seasonal": lambda e: measures.seasonal(e, Query.from_strings(NWL, months=48), computed_at=AT),
    "control": lambda e: measures.control(e, Query.from_strings(NWL, months=12), computed_at=AT),
    "hotspots-burglary": lambda e: measures.hotspots(
        e,
        Query.from_strings(NWL, months=12, categories="burglary"),
        top=5,
        fdr=False,
        computed_at=AT,
    ),
    "harm-proactive": lambda e: measures.harm(
        e, Query.from_strings(NWL, months=24), include_proactive=True, computed_at=AT
    ),
    "outcomes": lambda e: measures.outcomes(e, Query.from_strings(NWL, months=24), computed_at=AT),
    "quality-leicester": lambda e: measures.quality(
        e, Query.from_strings("E06000016", months=48), computed_at=AT
    ),
}


@pytest.mark.parametrize("name", sorted(MEASURES))
def test_measure_is_equal(name: str, duckdb_engine: Engine, spark_engine: Engine) -> None:
    duck = MEASURES[name](duckdb_engine)
    spark = MEASURES[name](spark_engine)
    assert spark.provenance.engine == "spark"
    assert_same(duck, spark, name)
