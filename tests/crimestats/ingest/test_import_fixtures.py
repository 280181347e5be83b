"""Importing hand-made fixtures (no real data, no geography): rejects, fatal errors, replacement."""

from __future__ import annotations

import csv
import dataclasses
import shutil
import zipfile
from pathlib import Path

import pytest

from crimestats.ingest import import_paths
from crimestats.store import Catalogue, Store
from crimestats.store.writer import catalogue_path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "policeuk"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"


def test_good_folder_imports_every_kind_and_skips_other_files(tmp_path: Path) -> None:
    summary = import_paths([GOOD], tmp_path)
    assert summary.exit_code == 0
    assert summary.rows_by_kind == {"outcomes": 2, "stop_search": 2, "street": 9}
    assert summary.rows_rejected == 1  # the stop-and-search row dated "yesterday"
    assert summary.rejected_by_reason == {"bad-date": 1}
    assert summary.months == ["2018-10", "2019-12", "2025-01"]
    assert summary.forces == ["testforce"]
    assert summary.unlocated_rows == 3  # street No Location, outcome No location, search
    assert summary.repeated_crime_id_rows == 1
    assert any("README.txt" in w for w in summary.warnings)
    assert any("no geography loaded" in w for w in summary.warnings)


def test_quoted_commas_blank_ids_and_no_geography_rule(tmp_path: Path) -> None:
    import_paths([GOOD / "2025-01-testforce-street.csv"], tmp_path)
    con = Store(tmp_path).connect()
    rows = con.sql(
        "SELECT crime_id, location, lsoa21_code, crime_type, source_line FROM street "
        "ORDER BY source_line"
    ).fetchall()
    assert rows[1][0] is None
    assert rows[1][3] == "anti-social-behaviour"
    assert rows[3][1] == "On or near Asda, Testtown"
    # Without geography a file holding no 2021-only code cannot be told apart from 2011: not mapped.
    assert all(r[2] is None for r in rows)
    assert [r[4] for r in rows] == [2, 3, 4, 5, 6]


def test_row_level_problems_are_rejected_with_lines_and_file_still_imports(tmp_path: Path) -> None:
    summary = import_paths([BAD / "2025-02-testforce-street.csv"], tmp_path)
    assert summary.exit_code == 0
    assert summary.rows_accepted == 2
    assert summary.rejected_by_reason == {
        "bad-coordinates": 2,
        "month-mismatch": 1,
        "unknown-crime-type": 1,
        "wrong-field-count": 1,
    }
    lines = {r: [e["line"] for e in ex] for r, ex in summary.rejected_examples.items()}
    assert lines == {
        "bad-coordinates": [3, 4],
        "unknown-crime-type": [5],
        "month-mismatch": [6],
        "wrong-field-count": [7],
    }
    with open(summary.rejects_file, newline="", encoding="utf-8") as handle:
        rejects = list(csv.DictReader(handle))
    assert [r["line"] for r in rejects] == ["3", "4", "5", "6", "7"]
    assert rejects[0]["raw"].startswith("c2,2025-02,")
    assert rejects[0]["file"].endswith("2025-02-testforce-street.csv")
    assert any("rejected" in w for w in summary.warnings)


def test_wrong_header_fails_the_file_and_leaves_the_month_alone(tmp_path: Path) -> None:
    summary = import_paths([BAD / "2025-03-testforce-street.csv"], tmp_path)
    assert summary.exit_code == 1
    (result,) = summary.files
    assert result.status == "failed"
    assert "line 1: wrong header" in result.error
    assert "expected 'Reported by', found 'Reported By'" in result.error
    assert Store(tmp_path).partitions("street") == []


def test_binary_file_with_a_police_name_fails_clearly(tmp_path: Path) -> None:
    fake = tmp_path / "in" / "2025-05-testforce-street.csv"
    fake.parent.mkdir()
    with zipfile.ZipFile(fake, "w") as archive:  # a zip renamed to .csv
        archive.writestr("x.txt", "hello")
    summary = import_paths([fake], tmp_path / "data")
    assert summary.exit_code == 1
    assert "not a CSV text file" in summary.files[0].error


def test_explicit_file_with_a_non_police_name_fails(tmp_path: Path) -> None:
    other = tmp_path / "crimes.csv"
    shutil.copy(GOOD / "2025-01-testforce-street.csv", other)
    summary = import_paths([other], tmp_path / "data")
    assert summary.files[0].status == "failed"
    assert "does not follow YYYY-MM-<force>-<kind>.csv" in summary.files[0].error


def test_newline_in_field_and_blank_line_keep_line_numbers(tmp_path: Path) -> None:
    import_paths([BAD / "2025-04-testforce-street.csv"], tmp_path)
    con = Store(tmp_path).connect()
    lines = con.sql("SELECT crime_id, source_line FROM street ORDER BY source_line").fetchall()
    assert lines == [("e1", 2), ("e2", 4), ("e3", 6)]


def test_reimport_of_the_same_file_is_skipped(tmp_path: Path) -> None:
    source = GOOD / "2025-01-testforce-street.csv"
    import_paths([source], tmp_path)
    store = Store(tmp_path)
    first, version = store.partitions("street"), store.catalogue_version()
    summary = import_paths([source], tmp_path)
    (result,) = summary.files
    assert (result.status, result.rows_accepted, result.repeated_crime_id_rows) == (
        "unchanged",
        5,
        1,
    )
    assert summary.exit_code == 0
    assert summary.rows_accepted == 0
    assert (summary.files_unchanged, summary.rows_unchanged) == (1, 5)
    data = summary.to_dict()
    assert data["files_unchanged"] == 1
    assert data["files"][0]["status"] == "unchanged"
    assert store.partitions("street") == first  # same file, nothing rewritten
    assert store.catalogue_version() == version
    assert store.connect().sql("SELECT count(*) FROM street").fetchall() == [(5,)]


def test_reimport_option_replaces_an_unchanged_file(tmp_path: Path) -> None:
    source = GOOD / "2025-01-testforce-street.csv"
    import_paths([source], tmp_path)
    store = Store(tmp_path)
    first, version = store.partitions("street"), store.catalogue_version()
    summary = import_paths([source], tmp_path, reimport=True)
    second = store.partitions("street")
    assert summary.files[0].status == "imported"
    assert [p.rows for p in second] == [p.rows for p in first] == [5]
    assert second[0].path != first[0].path
    assert not first[0].path.exists()
    assert store.catalogue_version() == version + 1
    parquet_files = list((tmp_path / "store" / "street").rglob("*.parquet"))
    assert parquet_files == [second[0].path]


def test_republished_month_replaces_the_force_month(tmp_path: Path) -> None:
    month = tmp_path / "in" / "2025-01"
    month.mkdir(parents=True)
    shutil.copy(GOOD / "2025-01-testforce-street.csv", month)
    import_paths([month], tmp_path / "data")
    store = Store(tmp_path / "data")
    first = store.partitions("street")
    # police.uk republishes the month: one row dropped, two added (a changed sha256).
    lines = (GOOD / "2025-01-testforce-street.csv").read_text().splitlines()
    extra = lines[1].replace("aaa1", "bbb1") + "\n" + lines[1].replace("aaa1", "bbb2")
    (month / "2025-01-testforce-street.csv").write_text("\n".join(lines[:-1] + [extra]) + "\n")
    summary = import_paths([month.parent], tmp_path / "data")
    assert summary.files[0].status == "imported"
    assert summary.rows_accepted == 6
    second = store.partitions("street")
    assert [p.rows for p in second] == [6]
    assert second[0].path != first[0].path
    con = store.connect()
    assert con.sql("SELECT count(*) FROM street").fetchall() == [(6,)]  # replaced, not added
    ids = con.sql("SELECT crime_id FROM street WHERE crime_id LIKE 'bbb%' ORDER BY 1").fetchall()
    assert ids == [("bbb1",), ("bbb2",)]
    assert not first[0].path.exists()
    # And importing the republished file again is now the unchanged case.
    again = import_paths([month.parent], tmp_path / "data")
    assert again.files[0].status == "unchanged"
    assert store.partitions("street") == second


def test_loading_geography_afterwards_makes_the_month_import_again(tmp_path: Path) -> None:
    source = GOOD / "2025-01-testforce-street.csv"
    import_paths([source], tmp_path)
    # A different geography fingerprint (as after `data geography`): never "unchanged".
    with Catalogue(catalogue_path(tmp_path)) as catalogue:
        (entry,) = catalogue.entries("street")
        catalogue.swap(dataclasses.replace(entry, geography_sha256="another geography"))
    summary = import_paths([source], tmp_path)
    assert summary.files[0].status == "imported"
    assert Store(tmp_path).entries("street")[0].geography_sha256 == ""


def test_same_month_given_twice_is_never_skipped(tmp_path: Path) -> None:
    source = GOOD / "2025-01-testforce-street.csv"
    import_paths([source], tmp_path)
    month = tmp_path / "in" / "2025-01"
    month.mkdir(parents=True)
    shutil.copy(source, month)
    summary = import_paths([source, month], tmp_path)
    assert [f.status for f in summary.files] == ["imported", "imported"]
    assert Store(tmp_path).connect().sql("SELECT count(*) FROM street").fetchall() == [(5,)]


def test_zip_archive_member_paths_are_recorded(tmp_path: Path) -> None:
    archive_path = tmp_path / "2025-01.zip"
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(GOOD / "2025-01-testforce-street.csv", "2025-01/2025-01-testforce-street.csv")
    import_paths([archive_path], tmp_path / "data")
    (entry,) = Store(tmp_path / "data").entries("street")
    assert entry.source_file == "2025-01/2025-01-testforce-street.csv"
    assert entry.archive == "2025-01"
    assert entry.repeated_crime_id_rows == 1
    assert entry.unlocated_rows == 1


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        import_paths([tmp_path / "nope.zip"], tmp_path)


def test_a_mislabelled_file_that_stores_nothing_fails(tmp_path: Path) -> None:
    # Every row says 2025-01 but the name says 2025-02: nothing is accepted, so the file failed.
    source = (GOOD / "2025-01-testforce-street.csv").read_bytes()
    wrong = tmp_path / "in" / "2025-02-testforce-street.csv"
    wrong.parent.mkdir()
    wrong.write_bytes(source)
    header_only = tmp_path / "in" / "2025-03-testforce-street.csv"
    header_only.write_bytes(source.splitlines(keepends=True)[0])
    summary = import_paths([GOOD / "2025-01-testforce-street.csv", wrong, header_only], tmp_path)
    assert summary.exit_code == 1
    assert summary.files_failed == 2
    assert summary.files_imported == 1
    failed = {f.month: f for f in summary.files if f.status == "failed"}
    assert failed["2025-02"].error == (
        f"{wrong}: no rows accepted: all 5 rows were rejected (month-mismatch 5: the Month column "
        "disagrees with the month in the file name) (is the file mislabelled? its name says "
        "2025-02), so nothing was stored; street testforce 2025-02 is left as it was"
    )
    assert failed["2025-03"].error == (
        f"{header_only}: no data rows (only the header), so nothing was stored; street testforce "
        "2025-03 is left as it was"
    )
    assert all("\n" not in (f.error or "") for f in summary.files)
    assert [e.month for e in Store(tmp_path).entries()] == ["2025-01"]
