"""The store's catalogue: one SQLite row per current (kind, force, month) partition.

SQLite in WAL mode lets readers keep reading while one writer swaps a row, and a swap is one
transaction, so a reader sees the old Parquet file or the new one, never both (ADR 0002).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS partitions (
    kind TEXT NOT NULL,
    force TEXT NOT NULL,
    month TEXT NOT NULL,               -- YYYY-MM
    path TEXT NOT NULL,                -- relative to the store folder
    rows INTEGER NOT NULL,
    source_file TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL,         -- ISO 8601, UTC
    archive TEXT,
    import_id TEXT NOT NULL,
    rejected_rows INTEGER NOT NULL DEFAULT 0,
    unlocated_rows INTEGER NOT NULL DEFAULT 0,
    outside_geography_rows INTEGER NOT NULL DEFAULT 0,
    repeated_crime_id_rows INTEGER NOT NULL DEFAULT 0,
    lsoa2011_rows INTEGER NOT NULL DEFAULT 0,
    geography_sha256 TEXT NOT NULL DEFAULT '',  -- the geography the rows were mapped with
    importer_version INTEGER NOT NULL DEFAULT 0, -- the import rules the rows were made with
    PRIMARY KEY (kind, force, month)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('version', 0);
"""

# Columns added after the first release, so a catalogue written by an older version is upgraded in
# place when a writer opens it (older rows get the defaults, so they are never taken as unchanged).
_ADDED_COLUMNS = {
    "geography_sha256": "TEXT NOT NULL DEFAULT ''",
    "importer_version": "INTEGER NOT NULL DEFAULT 0",
}


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One current partition and what its import found (the data-quality facts per month)."""

    kind: str
    force: str
    month: str
    path: str
    rows: int
    source_file: str
    source_sha256: str
    imported_at: str
    archive: str | None
    import_id: str
    rejected_rows: int = 0
    unlocated_rows: int = 0
    outside_geography_rows: int = 0
    repeated_crime_id_rows: int = 0
    lsoa2011_rows: int = 0
    geography_sha256: str = ""
    importer_version: int = 0


_COLUMNS = tuple(CatalogueEntry.__dataclass_fields__)


class Catalogue:
    """Open (creating if needed) the catalogue at ``path``.

    Parameters
    ----------
    path : Path
        ``DATA_DIR/store/catalogue.sqlite``.
    readonly : bool
        Open without creating or changing anything (for readers).
    """

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        if readonly:
            uri = f"file:{path}?mode=ro"
            self._con = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._con = sqlite3.connect(path, isolation_level=None, timeout=30)
            self._con.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL sync cannot corrupt the catalogue; a power cut may lose only the
            # last swaps, whose Parquet files are then swept as orphans on the next import.
            self._con.execute("PRAGMA synchronous=NORMAL")
            self._con.executescript(_SCHEMA)
            present = {row[1] for row in self._con.execute("PRAGMA table_info(partitions)")}
            for column, definition in _ADDED_COLUMNS.items():
                if column not in present:
                    self._con.execute(f"ALTER TABLE partitions ADD COLUMN {column} {definition}")
        self._con.row_factory = sqlite3.Row

    def close(self) -> None:
        """Close the connection."""
        self._con.close()

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock at once, so two importers queue up cleanly.
        self._con.execute("BEGIN IMMEDIATE")
        try:
            yield self._con
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    def swap(self, entry: CatalogueEntry) -> str | None:
        """Make ``entry`` the current partition for its (kind, force, month), in one transaction.

        Returns
        -------
        str or None
            The path of the partition it replaced (the caller deletes that file), if any.
        """
        with self._transaction() as con:
            old = con.execute(
                "SELECT path FROM partitions WHERE kind = ? AND force = ? AND month = ?",
                (entry.kind, entry.force, entry.month),
            ).fetchone()
            columns, placeholders = ", ".join(_COLUMNS), ", ".join("?" for _ in _COLUMNS)
            con.execute(
                f"INSERT OR REPLACE INTO partitions ({columns}) VALUES ({placeholders})",
                tuple(asdict(entry).values()),
            )
            con.execute("UPDATE meta SET value = value + 1 WHERE key = 'version'")
        return None if old is None else str(old["path"])

    def swap_many(self, entries: list[CatalogueEntry]) -> list[str | None]:
        """:meth:`swap` several partitions in one transaction (all or none of them).

        Returns
        -------
        list of (str or None)
            Per entry, the path of the partition it replaced, if any.
        """
        replaced: list[str | None] = []
        if not entries:
            return replaced
        columns, placeholders = ", ".join(_COLUMNS), ", ".join("?" for _ in _COLUMNS)
        with self._transaction() as con:
            for entry in entries:
                old = con.execute(
                    "SELECT path FROM partitions WHERE kind = ? AND force = ? AND month = ?",
                    (entry.kind, entry.force, entry.month),
                ).fetchone()
                con.execute(
                    f"INSERT OR REPLACE INTO partitions ({columns}) VALUES ({placeholders})",
                    tuple(asdict(entry).values()),
                )
                replaced.append(None if old is None else str(old["path"]))
            con.execute("UPDATE meta SET value = value + 1 WHERE key = 'version'")
        return replaced

    def entries(self, kind: str | None = None) -> list[CatalogueEntry]:
        """Current partitions, ordered by kind, force and month."""
        # A reader may open a catalogue an older version wrote: read the columns it has.
        present = {row[1] for row in self._con.execute("PRAGMA table_info(partitions)")}
        sql = f"SELECT {', '.join(c for c in _COLUMNS if c in present)} FROM partitions"
        params: tuple[str, ...] = ()
        if kind is not None:
            sql += " WHERE kind = ?"
            params = (kind,)
        rows = self._con.execute(sql + " ORDER BY kind, force, month", params).fetchall()
        return [CatalogueEntry(**dict(row)) for row in rows]

    def version(self) -> int:
        """A counter that increases on every swap, so readers know when to refresh."""
        row = self._con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return int(row["value"]) if row else 0
