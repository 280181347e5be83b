"""A missing data pack fails the real-data tests unless the contributor opts out (issue #12)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared_data import REPO, require_shared_data, shared_data_dir


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAFERPLACES_ALLOW_MISSING_DATA", raising=False)


def test_missing_data_fails_with_the_place_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFERPLACES_SHARED_DATA", str(tmp_path / "absent"))
    with pytest.raises(pytest.fail.Exception) as failed:
        require_shared_data("police-uk", "ons")
    message = str(failed.value)
    assert str(tmp_path / "absent") in message
    assert "missing: police-uk, ons" in message
    assert "SAFERPLACES_ALLOW_MISSING_DATA=1" in message


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_the_opt_out_skips_instead(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFERPLACES_SHARED_DATA", str(tmp_path))
    monkeypatch.setenv("SAFERPLACES_ALLOW_MISSING_DATA", value)
    with pytest.raises(pytest.skip.Exception, match="missing: boundaries"):
        require_shared_data("boundaries")


def test_the_environment_names_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "police-uk").mkdir()
    monkeypatch.setenv("SAFERPLACES_SHARED_DATA", str(tmp_path))
    assert shared_data_dir() == tmp_path.resolve() == require_shared_data()
    monkeypatch.delenv("SAFERPLACES_SHARED_DATA")
    assert shared_data_dir() == (REPO.parent / "shared" / "data").resolve()


def _run_real_data_module(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SAFERPLACES_")}
    environ |= {"SAFERPLACES_SHARED_DATA": str(tmp_path / "absent"), **env}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
         "tests/crimestats/ingest/test_import_realdata.py"],
        cwd=REPO, capture_output=True, text=True, env=environ, timeout=300,
    )  # fmt: skip


def test_a_run_without_the_data_is_red_not_green(tmp_path: Path) -> None:
    failed = _run_real_data_module(tmp_path)
    assert failed.returncode == 1, failed.stdout[-2000:]
    assert "real-data test needs the shared data pack at" in failed.stdout
    assert " skipped" not in failed.stdout.splitlines()[-1]
    skipped = _run_real_data_module(tmp_path, SAFERPLACES_ALLOW_MISSING_DATA="1")
    assert skipped.returncode == 0, skipped.stdout[-2000:]
    assert " skipped" in skipped.stdout.splitlines()[-1]
