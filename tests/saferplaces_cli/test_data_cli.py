"""`saferplaces data …` through typer's CliRunner: exit codes, messages, JSON, fetch offline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from tests.shared_data import require_shared_data, shared_data_dir
from typer.testing import CliRunner

from saferplaces_cli.main import app

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "policeuk"
runner = CliRunner()
# Read before the autouse fixture below clears the environment for the commands under test.
SHARED = shared_data_dir()


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAFERPLACES_DATA_DIR", raising=False)
    monkeypatch.delenv("SAFERPLACES_SHARED_DATA", raising=False)


@pytest.mark.parametrize("command", ["import", "geography", "fetch", "fetch-ons", "status"])
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, ["data", command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
    assert len(result.output) > 200


def test_every_command_is_documented() -> None:
    docs = (REPO / "docs" / "data-import.md").read_text(encoding="utf-8")
    for command in ["import", "geography", "fetch", "fetch-ons", "status"]:
        assert f"saferplaces data {command}" in docs


def test_import_json_summary(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["data", "import", str(FIXTURES / "good"), "--data-dir", str(tmp_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["files_imported"] == 4
    assert summary["files_failed"] == 0
    assert summary["rows_by_kind"] == {"outcomes": 2, "stop_search": 2, "street": 9}
    assert summary["rejected_by_reason"] == {"bad-date": 1}
    assert summary["months"] == ["2018-10", "2019-12", "2025-01"]
    assert {"unlocated_rows", "repeated_crime_id_rows", "warnings"} <= set(summary)


def test_second_import_reports_unchanged_files_skipped(tmp_path: Path) -> None:
    args = ["data", "import", str(FIXTURES / "good"), "--data-dir", str(tmp_path)]
    assert runner.invoke(app, args).exit_code == 0
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["files_unchanged"] == 4
    assert summary["files_imported"] == 0
    assert summary["rows_unchanged"] == 13
    assert summary["rows_accepted"] == 0
    assert {f["status"] for f in summary["files"]} == {"unchanged"}
    text = runner.invoke(app, args)
    assert text.exit_code == 0
    assert "Unchanged, skipped: 4 files" in text.stdout
    again = json.loads(runner.invoke(app, [*args, "--json", "--reimport"]).stdout)
    assert again["files_imported"] == 4
    assert again["rows_accepted"] == 13


def test_data_dir_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFERPLACES_DATA_DIR", str(tmp_path / "envdata"))
    result = runner.invoke(
        app, ["data", "import", str(FIXTURES / "good" / "2025-01-testforce-street.csv")]
    )
    assert result.exit_code == 0
    assert (tmp_path / "envdata" / "store" / "catalogue.sqlite").exists()


def test_rejected_rows_exit_zero_with_warning(tmp_path: Path) -> None:
    bad_rows = FIXTURES / "bad" / "2025-02-testforce-street.csv"
    result = runner.invoke(app, ["data", "import", str(bad_rows), "--data-dir", str(tmp_path)])
    assert result.exit_code == 0
    assert "5 rows were rejected" in result.output
    assert "bad-coordinates" in result.output
    assert "2025-02-testforce-street.csv:3" in result.output


def test_wrong_header_exits_one_naming_file_line_and_headers(tmp_path: Path) -> None:
    bad = FIXTURES / "bad" / "2025-03-testforce-street.csv"
    result = runner.invoke(app, ["data", "import", str(bad), "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "2025-03-testforce-street.csv: line 1: wrong header" in output
    assert "found 'Reported By'" in output


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "import", str(tmp_path / "nope.zip")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_fetch_bad_month_is_a_usage_error(tmp_path: Path) -> None:
    args = ["data", "fetch", "--force", "x", "--from", "2025-13", "--to", "2025-12"]
    result = runner.invoke(app, [*args, "--data-dir", str(tmp_path)])
    assert result.exit_code == 2


def test_fetch_extracts_one_force_from_a_local_archive(tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    source = (FIXTURES / "good" / "2025-01-testforce-street.csv").read_bytes()
    with zipfile.ZipFile(served / "2025-02.zip", "w") as archive:
        archive.writestr("2025-01/2025-01-testforce-street.csv", source)
        archive.writestr("2025-01/2025-01-otherforce-street.csv", source)
        archive.writestr(
            "2025-02/2025-02-testforce-street.csv", source.replace(b"2025-01", b"2025-02")
        )
    data_dir = tmp_path / "data"
    args = ["data", "fetch", "--force", "testforce", "--from", "2025-01", "--to", "2025-02"]
    base = served.as_uri() + "/"
    result = runner.invoke(
        app, [*args, "--data-dir", str(data_dir), "--base-url", base, "--import", "--json"]
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (data_dir / "downloads").rglob("*.csv"))
    assert files == ["2025-01-testforce-street.csv", "2025-02-testforce-street.csv"]
    status = runner.invoke(app, ["data", "status", "--data-dir", str(data_dir), "--json"])
    partitions = json.loads(status.stdout)["partitions"]
    assert [(p["month"], p["rows"]) for p in partitions] == [("2025-01", 5), ("2025-02", 5)]


def test_fetch_ons_with_a_manifest(tmp_path: Path) -> None:
    served = tmp_path / "lookup.csv"
    served.write_text("LAD19CD,CSP19CD\nE07000134,E22000170\n", encoding="utf-8")
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"lad19_csp19_pfa19.csv": served.as_uri()}), encoding="utf-8")
    result = runner.invoke(
        app, ["data", "fetch-ons", "--manifest", str(manifest), "--data-dir", str(tmp_path / "d")]
    )
    assert result.exit_code == 0, result.output
    copied = tmp_path / "d" / "downloads" / "ons-data" / "ons" / "lad19_csp19_pfa19.csv"
    assert copied.read_text(encoding="utf-8").startswith("LAD19CD")


def test_geography_without_source_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["data", "geography", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2


@pytest.mark.realdata
def test_import_loads_geography_from_option(tmp_path: Path) -> None:
    shared = require_shared_data("police-uk", "ons", "boundaries", folder=SHARED)
    sample = shared / "police-uk" / "samples-2018-10.zip"
    result = runner.invoke(
        app,
        [
            "data",
            "import",
            str(sample),
            "--data-dir",
            str(tmp_path),
            "--geography",
            str(shared),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["geography_loaded"] is True
    assert summary["rows_by_kind"] == {"outcomes": 585, "stop_search": 297}


@pytest.mark.realdata
def test_geography_twice_is_unchanged(tmp_path: Path) -> None:
    shared = require_shared_data("ons", "boundaries", folder=SHARED)
    args = ["data", "geography", "--from", str(shared), "--data-dir", str(tmp_path), "--json"]
    first = json.loads(runner.invoke(app, args).stdout)
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    summary = json.loads(second.stdout)
    assert first["unchanged"] is False
    assert summary["unchanged"] is True
    assert summary["lsoas"] == first["lsoas"] == 634
    reloaded = json.loads(runner.invoke(app, [*args, "--reload"]).stdout)
    assert reloaded["unchanged"] is False


def test_a_file_that_stores_nothing_exits_one_with_one_line(tmp_path: Path) -> None:
    mislabelled = tmp_path / "2025-02-testforce-street.csv"
    mislabelled.write_bytes((FIXTURES / "good" / "2025-01-testforce-street.csv").read_bytes())
    args = ["data", "import", str(mislabelled), "--data-dir", str(tmp_path / "data")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: {mislabelled}: no rows accepted: all 5 rows were rejected (month-mismatch 5: "
        "the Month column disagrees with the month in the file name) (is the file mislabelled? "
        "its name says 2025-02), so nothing was stored; street testforce 2025-02 is left as it was"
    ]
    summary = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert summary["exit_code"] == 1
    assert summary["files_failed"] == 1


def _long_folder(tmp_path: Path) -> Path:
    """A folder whose path is over 150 characters, like a checkout in a deep temp folder."""
    folder = tmp_path / ("a-very-long-checkout-folder-name-" * 3) / ("and-deeper-still-" * 3)
    folder.mkdir(parents=True)
    assert len(str(folder)) > 150
    return folder


def test_long_paths_stay_whole_on_one_line(tmp_path: Path) -> None:
    folder = _long_folder(tmp_path)
    for name in ("2025-02-testforce-street.csv", "2025-03-testforce-street.csv"):
        shutil.copy(FIXTURES / "bad" / name, folder / name)
    result = runner.invoke(app, ["data", "import", str(folder), "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    header = f"Error: {folder / '2025-03-testforce-street.csv'}: line 1: wrong header: expected"
    assert any(line.startswith(header) and "found 'Reported By'" in line for line in lines), lines
    rejected = f"{folder / '2025-02-testforce-street.csv'}:3"
    assert any(line.startswith("Rejected") and rejected in line for line in lines), lines
    missing = folder / "nope.zip"
    usage = runner.invoke(app, ["data", "import", str(missing)])
    assert usage.exit_code == 2
    assert any(
        line.startswith("Error:") and line.endswith(f"no such file or folder: {missing}")
        for line in usage.output.splitlines()
    ), usage.output


def test_narrow_columns_and_a_pipe_do_not_wrap_messages(tmp_path: Path) -> None:
    # A real process writing to pipes (not a terminal) with COLUMNS=40, as in CI logs.
    folder = _long_folder(tmp_path)
    bad = folder / "2025-03-testforce-street.csv"
    shutil.copy(FIXTURES / "bad" / bad.name, bad)
    done = subprocess.run(
        [sys.executable, "-m", "saferplaces_cli.main", "data", "import", str(bad)],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
            "COLUMNS": "40",
            "SAFERPLACES_DATA_DIR": str(tmp_path / "d"),
        },
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert f"Error: {bad}: line 1: wrong header: expected 'Crime ID," in done.stderr.splitlines()[0]
    assert done.stdout.splitlines()[0].startswith("Imported 0 of 1 files: 0 rows accepted, 0 rej")
