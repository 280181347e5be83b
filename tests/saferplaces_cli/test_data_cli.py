"""`saferplaces data …` through typer's CliRunner: exit codes, messages, JSON, fetch offline."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saferplaces_cli.main import app

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "policeuk"
runner = CliRunner()


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
    shared = (REPO / ".." / "shared" / "data").resolve()
    if not (shared / "boundaries").is_dir():
        pytest.skip(f"real data not found at {shared}")
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
    shared = (REPO / ".." / "shared" / "data").resolve()
    if not (shared / "boundaries").is_dir():
        pytest.skip(f"real data not found at {shared}")
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
