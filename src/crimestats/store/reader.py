"""Read the store: which partitions are current, and a DuckDB connection over them.

Readers never lock: they read the catalogue (SQLite in WAL mode) once, then open only the
Parquet files it names. :meth:`Store.catalogue_version` tells a long-lived reader when to refresh.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from crimestats.store.catalogue import Catalogue, CatalogueEntry
from crimestats.store.schema import KINDS, SCHEMAS, parse_month
from crimestats.store.writer import catalogue_path, store_dir

_SQL_TYPES = {
    pa.string(): "VARCHAR",
    pa.date32(): "DATE",
    pa.float64(): "DOUBLE",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.bool_(): "BOOLEAN",
    pa.timestamp("us"): "TIMESTAMP",
}

_T, _D, _I, _B = "VARCHAR", "DOUBLE", "INTEGER", "BIGINT"
GEOGRAPHY_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "lsoa": (
        ("lsoa21_code", _T),
        ("lsoa21_name", _T),
        ("lad_code", _T),
        ("lad_name", _T),
        ("ward_code", _T),
        ("ward_name", _T),
        ("csp_code", _T),
        ("csp_name", _T),
        ("pfa_code", _T),
        ("pfa_name", _T),
        ("imd_rank", _D),
        ("imd_decile", _I),
    ),
    "population": (("lsoa21_code", _T), ("year", _I), ("population", _B), ("source", _T)),
    "lsoa11_to_21": (("lsoa11_code", _T), ("lsoa21_code", _T), ("change_code", _T)),
    "lsoa_neighbours": (("lsoa21_code", _T), ("neighbour_code", _T)),
    "lsoa_islands": (("lsoa21_code", _T), ("attached_to", _T), ("distance_m", _D)),
    "lsoa_geometry": (
        ("lsoa21_code", _T),
        ("geojson", _T),
        ("centroid_lon", _D),
        ("centroid_lat", _D),
    ),
}


@dataclass(frozen=True, slots=True)
class Partition:
    """One current force-month of one kind of record."""

    force: str
    month: date
    path: Path
    rows: int


def select_files(
    partitions: Iterable[Partition],
    months: tuple[date, date] | None = None,
    forces: Iterable[str] | None = None,
) -> list[str]:
    """Paths of the partitions in ``months`` (inclusive, any day of a month) and ``forces``."""
    wanted = None if forces is None else set(forces)
    if months is not None:
        first, last = (m.replace(day=1) for m in months)
    return [
        str(part.path)
        for part in partitions
        if (wanted is None or part.force in wanted)
        and (months is None or first <= part.month <= last)
    ]


def _empty_select(columns: tuple[tuple[str, str], ...]) -> str:
    fields = ", ".join(f"CAST(NULL AS {sql_type}) AS {name}" for name, sql_type in columns)
    return f"SELECT {fields} WHERE false"


def _sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


class Store:
    """The Parquet store and geography in a data folder.

    Parameters
    ----------
    data_dir : Path
        The data folder (``store/`` and ``geography/`` inside it).

    Examples
    --------
    >>> import tempfile
    >>> store = Store(Path(tempfile.mkdtemp()))
    >>> store.partitions("street"), store.catalogue_version()
    ([], 0)
    >>> store.connect().sql("SELECT count(*) FROM street").fetchall()
    [(0,)]
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)

    def entries(self, kind: str | None = None) -> list[CatalogueEntry]:
        """Catalogue rows with the import facts per partition (rows rejected, unlocated …)."""
        path = catalogue_path(self.data_dir)
        if not path.exists():
            return []
        with Catalogue(path, readonly=True) as catalogue:
            return catalogue.entries(kind)

    def partitions(self, kind: str) -> list[Partition]:
        """Current partitions of ``kind`` (``street``, ``outcomes`` or ``stop_search``)."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; use one of {KINDS}")
        # Resolve the folder once: the catalogue's paths are relative to it and hold no links,
        # and resolving each of a national store's ~5,000 paths cost more than the query.
        root = store_dir(self.data_dir).resolve()
        return [
            Partition(e.force, parse_month(e.month), root / e.path, e.rows)
            for e in self.entries(kind)
        ]

    def files(
        self,
        kind: str,
        months: tuple[date, date] | None = None,
        forces: list[str] | None = None,
    ) -> list[str]:
        """Parquet files of the current partitions, optionally limited to months and forces.

        Parameters
        ----------
        kind : str
        months : (first, last), optional
            Inclusive; any day in a month selects that month.
        forces : list of str, optional
            Force slugs such as ``leicestershire``.
        """
        return select_files(self.partitions(kind), months, forces)

    def catalogue_version(self) -> int:
        """Increases on every partition swap; compare it to know when to reconnect."""
        path = catalogue_path(self.data_dir)
        if not path.exists():
            return 0
        with Catalogue(path, readonly=True) as catalogue:
            return catalogue.version()

    def geography_loaded(self) -> bool:
        """True when ``saferplaces data geography`` has been run for this data folder."""
        return (self.data_dir / "geography" / "lsoa.parquet").exists()

    def connect(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection with views over the current store and the geography.

        Views ``street``, ``outcomes`` and ``stop_search`` read the current Parquet files (an
        empty view with the right columns when none). Tables ``lsoa``, ``population``,
        ``lsoa11_to_21``, ``lsoa_neighbours`` and ``lsoa_islands`` are copied into memory, so a
        geography reload cannot break an open connection; ``lsoa_geometry`` is a view.
        """
        con = duckdb.connect()
        for kind in KINDS:
            files = self.files(kind)
            if files:
                select = f"SELECT * FROM read_parquet({_sql_list(files)}, hive_partitioning=false)"
            else:
                columns = tuple((f.name, _SQL_TYPES[f.type]) for f in SCHEMAS[kind])
                select = _empty_select(columns)
            con.execute(f"CREATE VIEW {kind} AS {select}")
        folder = self.data_dir / "geography"
        for name, columns in GEOGRAPHY_COLUMNS.items():
            path = folder / f"{name}.parquet"
            if path.exists():
                select = f"SELECT * FROM read_parquet({_sql_list([str(path.resolve())])})"
            else:
                select = _empty_select(columns)
            relation = "VIEW" if name == "lsoa_geometry" else "TABLE"
            con.execute(f"CREATE {relation} {name} AS {select}")
        return con
