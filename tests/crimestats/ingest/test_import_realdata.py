"""Counts from the shared real files (data README §4), checked through the store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.crimestats.reference import NWL_2025_BY_TYPE as NWL_2025
from tests.crimestats.reference import NWL_2025_DERBYSHIRE_ROWS, NWL_2025_ROWS

from crimestats.ingest import ImportSummary, import_paths
from crimestats.store import Store

pytestmark = pytest.mark.realdata


NWL_SQL = """
SELECT s.crime_type, count(*) AS n
FROM street s JOIN lsoa l USING (lsoa21_code)
WHERE l.lad_code = 'E07000134' AND s.month BETWEEN DATE '2025-01-01' AND DATE '2025-12-01'
  {extra}
GROUP BY s.crime_type
"""


def test_leicestershire_2025_row_count(store_2025: tuple[Path, ImportSummary]) -> None:
    data_dir, summary = store_2025
    assert summary.exit_code == 0
    assert summary.rows_rejected == 0
    store = Store(data_dir)
    rows = sum(p.rows for p in store.partitions("street") if p.force == "leicestershire")
    assert rows == 106_149
    count = store.connect().sql("SELECT count(*) FROM street WHERE force = 'leicestershire'")
    assert count.fetchall() == [(106_149,)]


def test_north_west_leicestershire_2025_by_type(store_2025: tuple[Path, ImportSummary]) -> None:
    con = Store(store_2025[0]).connect()
    rows = dict(con.sql(NWL_SQL.format(extra="AND s.force = 'leicestershire'")).fetchall())
    assert rows == NWL_2025
    assert sum(rows.values()) == NWL_2025_ROWS
    blank_ids = con.sql(
        "SELECT count(*) FROM street s JOIN lsoa l USING (lsoa21_code) "
        "WHERE l.lad_code = 'E07000134' AND s.force = 'leicestershire' AND s.crime_id IS NULL"
    ).fetchall()
    assert blank_ids == [(1_274,)]


def test_files_are_sorted_for_zone_maps(store_2025: tuple[Path, ImportSummary]) -> None:
    import pyarrow.parquet as pq

    part = Store(store_2025[0]).partitions("street")[0]
    table = pq.read_table(part.path, columns=["lsoa21_code", "crime_type"])
    keys = [(c is None, c or "", t) for c, t in zip(*table.to_pydict().values(), strict=True)]
    assert keys == sorted(keys)
    assert pq.ParquetFile(part.path).metadata.row_group(0).column(0).compression == "ZSTD"


def test_north_west_leicestershire_with_derbyshire(store_2025: tuple[Path, ImportSummary]) -> None:
    con = Store(store_2025[0]).connect()
    total = sum(dict(con.sql(NWL_SQL.format(extra="")).fetchall()).values())
    assert total == NWL_2025_ROWS + NWL_2025_DERBYSHIRE_ROWS  # recorded by each force


def test_quirks_are_counted(store_2025: tuple[Path, ImportSummary]) -> None:
    _, summary = store_2025
    assert summary.unlocated_rows > 0  # "No Location" rows, kept
    assert summary.outside_geography_rows > 0  # Birmingham rows, Derbyshire-only LSOAs
    assert summary.repeated_crime_id_rows > 0  # Derbyshire repeats IDs within a month
    repeated = {
        (f.force, f.repeated_crime_id_rows > 0) for f in summary.files if f.kind == "street"
    }
    assert ("leicestershire", True) not in repeated  # README §3: no Leicestershire repeats


def test_samples_stop_search_and_outcomes(store_2025: tuple[Path, ImportSummary]) -> None:
    con = Store(store_2025[0]).connect()
    assert con.sql(
        "SELECT count(*), count(*) - count(latitude), count(lsoa21_code) FROM stop_search"
    ).fetchall() == [(297, 1, 295)]  # one row without a point, one near Peterborough
    assert con.sql("SELECT count(*), count(DISTINCT force) FROM outcomes").fetchall() == [(585, 1)]
    no_location = con.sql("SELECT count(*) FROM outcomes WHERE lsoa_code IS NULL").fetchall()
    assert no_location == [(52,)]
    line_179 = con.sql(
        "SELECT datetime, latitude FROM stop_search WHERE source_line = 179"
    ).fetchall()
    assert str(line_179[0][0]) == "2018-10-23 09:38:00"
    assert line_179[0][1] is None


def test_reimport_leaves_counts_unchanged(
    shared_data: Path, store_2025: tuple[Path, ImportSummary], tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(store_2025[0], data_dir)
    store = Store(data_dir)
    before = {(p.force, p.month): p.rows for p in store.partitions("street")}
    import_paths([shared_data / "police-uk" / "leicestershire-2025.zip"], data_dir)
    after = {(p.force, p.month): p.rows for p in store.partitions("street")}
    assert after == before
    total = store.connect().sql("SELECT count(*) FROM street").fetchall()[0][0]
    assert total == sum(before.values()) == 106_149 + 102_621


def test_split_2011_lsoa_lands_in_one_of_its_parts(
    shared_data: Path, geography_dir: Path, tmp_path: Path
) -> None:
    shutil.copytree(geography_dir / "geography", tmp_path / "geography")
    import_paths([shared_data / "police-uk" / "leicestershire-2020.zip"], tmp_path)
    con = Store(tmp_path).connect()
    parts = dict(
        con.sql(
            "SELECT lsoa21_code, count(*) FROM street WHERE lsoa_code = 'E01025925' GROUP BY 1"
        ).fetchall()
    )
    assert set(parts) == {"E01035098", "E01035099"}  # both parts used, nothing else
    merged = con.sql(
        "SELECT DISTINCT lsoa21_code FROM street WHERE lsoa_code IN ('E01013647', 'E01032875')"
    ).fetchall()
    assert merged == [("E01034020",)]
    unchanged = con.sql(
        "SELECT count(*) FROM street WHERE lsoa_code = 'E01025913' AND lsoa21_code <> lsoa_code"
    ).fetchall()
    assert unchanged == [(0,)]


def test_all_72_street_files(shared_data: Path, geography_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(geography_dir / "geography", tmp_path / "geography")
    zips = [z for z in sorted((shared_data / "police-uk").glob("*.zip")) if "samples" not in z.name]
    summary = import_paths(zips, tmp_path)
    street = [f for f in summary.files if f.kind == "street"]
    assert len(street) == 72
    assert summary.files_failed == 0
    assert summary.rows_by_kind == {"street": 622_901}
    by_force = {}
    for p in Store(tmp_path).partitions("street"):
        by_force[p.force] = by_force.get(p.force, 0) + p.rows
    assert by_force == {"leicestershire": 485_443, "derbyshire": 137_458}
