"""The store: reader API, catalogue swaps, and atomicity when an import fails."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from crimestats.ingest import import_paths
from crimestats.store import Catalogue, Store
from crimestats.store.writer import catalogue_path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "policeuk"
GOOD = FIXTURES / "good"
STREET_2025 = GOOD / "2025-01-testforce-street.csv"


def _files(data_dir: Path) -> set[Path]:
    return set((data_dir / "store").rglob("*.parquet"))


def test_empty_store_has_typed_empty_views(tmp_path: Path) -> None:
    store = Store(tmp_path)
    con = store.connect()
    assert con.sql("SELECT count(*) FROM street").fetchall() == [(0,)]
    columns = [row[0] for row in con.sql("DESCRIBE street").fetchall()]
    assert columns[:3] == ["force", "month", "crime_id"]
    assert columns[-1] == "source_line"
    types = dict(con.sql("SELECT column_name, column_type FROM (DESCRIBE stop_search)").fetchall())
    assert types["datetime"] == "TIMESTAMP"
    assert types["outcome_linked"] == "BOOLEAN"
    assert con.sql("SELECT count(*) FROM lsoa").fetchall() == [(0,)]
    assert store.catalogue_version() == 0
    assert store.entries() == []


def test_partitions_files_and_views(tmp_path: Path) -> None:
    import_paths([GOOD], tmp_path)
    store = Store(tmp_path)
    parts = store.partitions("street")
    assert [(p.force, p.month, p.rows) for p in parts] == [
        ("testforce", date(2019, 12, 1), 4),
        ("testforce", date(2025, 1, 1), 5),
    ]
    assert all(p.path.exists() and "force=testforce" in str(p.path) for p in parts)
    assert store.files("street", months=(date(2025, 1, 1), date(2025, 12, 31))) == [
        str(parts[1].path)
    ]
    assert store.files("street", forces=["other"]) == []
    assert len(store.files("stop_search")) == 1
    con = store.connect()
    assert con.sql("SELECT count(*) FROM street").fetchall() == [(9,)]
    assert con.sql("SELECT count(*) FROM outcomes").fetchall() == [(2,)]
    with pytest.raises(ValueError, match="unknown kind"):
        store.partitions("crimes")


def test_parquet_rows_sorted_by_lsoa_then_type(tmp_path: Path) -> None:
    import_paths([STREET_2025], tmp_path)
    con = Store(tmp_path).connect()
    rows = con.sql("SELECT lsoa21_code, crime_type FROM street").fetchall()
    keys = [(code is None, code or "", crime_type) for code, crime_type in rows]
    assert keys == sorted(keys)  # lsoa21_code (nulls last), then crime type


def test_failure_after_parquet_write_leaves_store_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_paths([STREET_2025], tmp_path)
    store = Store(tmp_path)
    before_entries, before_files = store.entries(), _files(tmp_path)
    before_version = store.catalogue_version()

    def broken_swap(self: Catalogue, entries: object) -> None:
        # The new Parquet file exists at this point: the failure is between write and swap.
        assert len(_files(tmp_path)) == len(before_files) + 1
        raise RuntimeError("disk full (injected)")

    monkeypatch.setattr(Catalogue, "swap_many", broken_swap)
    summary = import_paths([STREET_2025], tmp_path, reimport=True)
    assert summary.exit_code == 1
    assert "injected" in summary.files[0].error
    assert store.entries() == before_entries
    assert _files(tmp_path) == before_files  # no orphan left behind
    assert store.catalogue_version() == before_version


def test_interrupted_import_files_are_swept(tmp_path: Path) -> None:
    import_paths([STREET_2025], tmp_path)
    orphan = tmp_path / "store" / "street" / "force=testforce" / "month=2025-01" / "dead.parquet"
    orphan.write_bytes(b"left by a killed process")
    import_paths([GOOD / "2019-12-testforce-street.csv"], tmp_path)
    assert not orphan.exists()
    assert len(Store(tmp_path).partitions("street")) == 2


def test_catalogue_is_wal_and_records_provenance(tmp_path: Path) -> None:
    import_paths([STREET_2025], tmp_path)
    with Catalogue(catalogue_path(tmp_path)) as catalogue:
        mode = catalogue._con.execute("PRAGMA journal_mode").fetchone()[0]
        (entry,) = catalogue.entries("street")
    assert mode == "wal"
    assert len(entry.source_sha256) == 64
    assert entry.imported_at.endswith("+00:00")
    assert entry.source_file == "2025-01-testforce-street.csv"
    assert (entry.rows, entry.unlocated_rows, entry.repeated_crime_id_rows) == (5, 1, 1)


def test_reader_keeps_working_while_a_swap_happens(tmp_path: Path) -> None:
    import_paths([STREET_2025], tmp_path)
    store = Store(tmp_path)
    version = store.catalogue_version()
    con = store.connect()
    import_paths([GOOD / "2019-12-testforce-street.csv"], tmp_path)
    # The other month was added, not swapped: the open connection still reads its files.
    assert con.sql("SELECT count(*) FROM street").fetchall() == [(5,)]
    assert store.catalogue_version() == version + 1
    assert store.connect().sql("SELECT count(*) FROM street").fetchall() == [(9,)]


def test_catalogue_of_an_older_version_is_read_and_upgraded(tmp_path: Path) -> None:
    import_paths([STREET_2025], tmp_path)
    path = catalogue_path(tmp_path)
    con = sqlite3.connect(path)
    con.execute("ALTER TABLE partitions DROP COLUMN geography_sha256")
    con.execute("ALTER TABLE partitions DROP COLUMN importer_version")
    con.commit()
    con.close()
    (entry,) = Store(tmp_path).entries("street")  # a reader copes with the old columns
    assert entry.rows == 5
    assert entry.importer_version == 0
    # Rows an older version wrote are never taken as unchanged: the month is converted again.
    summary = import_paths([STREET_2025], tmp_path)
    assert summary.files[0].status == "imported"
    (entry,) = Store(tmp_path).entries("street")
    assert entry.importer_version > 0
    assert import_paths([STREET_2025], tmp_path).files[0].status == "unchanged"


def test_swap_many_is_one_transaction(tmp_path: Path) -> None:
    import_paths([STREET_2025], tmp_path)
    with Catalogue(catalogue_path(tmp_path)) as catalogue:
        (old,) = catalogue.entries("street")
        version = catalogue.version()
        new = dataclasses.replace(old, path="street/x.parquet", rows=7)
        other = dataclasses.replace(old, month="2025-02", path="street/y.parquet")
        assert catalogue.swap_many([new, other]) == [old.path, None]
        assert catalogue.version() == version + 1  # both swapped in one transaction
        assert [e.path for e in catalogue.entries("street")] == [
            "street/x.parquet",
            "street/y.parquet",
        ]
