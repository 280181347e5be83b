"""``saferplaces_load_demo_data``: real data if present, else generated; safe to run again."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from saferplaces.analytics.data_loading import MARKER, REAL, SYNTHETIC, load_demo_data


class _Summary:
    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.warnings: list[str] = []

    def to_dict(self) -> dict[str, Any]:
        return {"rows_accepted": self.rows, "rows_rejected": 0, "exit_code": 0}


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    (folder / "police-uk").mkdir(parents=True)
    for name in ("leicestershire-2025.zip", "derbyshire-2025.zip", "city-of-london-2025.zip"):
        (folder / "police-uk" / name).write_bytes(name.encode())
    return folder


def _as(real: Callable[..., Any], fake: Callable[..., Any]) -> Callable[..., Any]:
    """``fake``, refusing any call the real function would refuse (so a fake cannot drift)."""

    def checked(*args: Any, **kwargs: Any) -> Any:
        inspect.signature(real).bind(*args, **kwargs)
        return fake(*args, **kwargs)

    return checked


@pytest.fixture
def fake_crimestats(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """Record the calls instead of importing (the importer has its own tests)."""
    from crimestats import ingest, synthetic
    from crimestats.geography import build

    calls: dict[str, list[Any]] = {"geography": [], "import": [], "generate": []}

    def load_geography(source: Path, data_dir: Path) -> _Summary:
        calls["geography"].append(source)
        (data_dir / "geography").mkdir(parents=True, exist_ok=True)
        (data_dir / "geography" / "lsoa.parquet").write_bytes(b"")
        return _Summary(0)

    def import_paths(paths: list[Path], data_dir: Path) -> _Summary:
        calls["import"].append([path.name for path in paths])
        return _Summary(1234)

    # raising=True (the default): renaming any of these in crimestats fails here, not silently.
    monkeypatch.setattr(build, "load_geography", _as(build.load_geography, load_geography))
    monkeypatch.setattr(ingest, "import_paths", _as(ingest.import_paths, import_paths))
    monkeypatch.setattr(
        synthetic,
        "generate_demo_dataset",
        _as(synthetic.generate_demo_dataset, lambda data_dir: calls["generate"].append(data_dir)),
    )
    return calls


def test_real_data_is_loaded_once_then_skipped(
    tmp_path: Path, shared: Path, fake_crimestats: dict[str, list[Any]]
) -> None:
    data_dir = tmp_path / "data"

    first = load_demo_data(data_dir=data_dir, shared_data=shared)
    second = load_demo_data(data_dir=data_dir, shared_data=shared)

    assert first.source == second.source == REAL
    assert str(shared) in first.headline
    assert "REAL" in first.headline
    assert not first.skipped
    assert second.skipped
    # Only the demo partnership's forces are imported, once; the geography is loaded once.
    assert fake_crimestats["import"] == [["derbyshire-2025.zip", "leicestershire-2025.zip"]]
    assert len(fake_crimestats["geography"]) == 1
    assert (data_dir / MARKER).is_file()
    assert "1,234 rows accepted" in " ".join(first.messages)
    assert "Already loaded" in " ".join(second.messages)


def test_a_changed_archive_is_imported_again(
    tmp_path: Path, shared: Path, fake_crimestats: dict[str, list[Any]]
) -> None:
    data_dir = tmp_path / "data"
    load_demo_data(data_dir=data_dir, shared_data=shared)

    (shared / "police-uk" / "leicestershire-2025.zip").write_bytes(b"republished by police.uk")
    report = load_demo_data(data_dir=data_dir, shared_data=shared)

    assert not report.skipped
    assert len(fake_crimestats["import"]) == 2
    assert len(fake_crimestats["geography"]) == 1


def test_without_shared_data_demo_data_is_generated_and_labelled(
    tmp_path: Path, fake_crimestats: dict[str, list[Any]]
) -> None:
    data_dir = tmp_path / "data"

    report = load_demo_data(data_dir=data_dir, shared_data=tmp_path / "absent")

    assert report.source == SYNTHETIC
    assert "GENERATED DEMO DATA" in report.headline
    assert "GENERATED DEMO DATA" in " ".join(report.messages)
    assert fake_crimestats["generate"] == [data_dir]
    assert fake_crimestats["import"] == []


def test_command_uses_the_data_folder_and_says_which_data(
    settings: Any, tmp_path: Path, shared: Path, fake_crimestats: dict[str, list[Any]], db: Any
) -> None:
    settings.DATA_DIR = tmp_path / "data"
    out = StringIO()

    call_command("saferplaces_load_demo_data", "--shared-data", str(shared), stdout=out)
    again = StringIO()
    call_command("saferplaces_load_demo_data", "--shared-data", str(shared), stdout=again)

    text = out.getvalue()
    assert f"REAL police.uk and ONS data from {shared}" in text
    assert f"Data folder: {tmp_path / 'data'}" in text
    assert "Already loaded" in again.getvalue()
    assert "figures prepared" in text
    assert len(fake_crimestats["import"]) == 1


def test_real_data_replaces_generated_data_loaded_before_it(
    tmp_path: Path, shared: Path, fake_crimestats: dict[str, list[Any]]
) -> None:
    # `make run` once without the shared data: generated data (store, geography, marker).
    data_dir = tmp_path / "data"
    load_demo_data(data_dir=data_dir, shared_data=tmp_path / "absent")
    for folder in ("store", "geography"):
        (data_dir / folder).mkdir(parents=True, exist_ok=True)
        (data_dir / folder / "generated.parquet").write_bytes(b"synthetic")

    report = load_demo_data(data_dir=data_dir, shared_data=shared)

    assert report.source == REAL
    assert "Replaced the generated demo data" in report.messages[0]
    assert not (data_dir / "store" / "generated.parquet").exists()
    assert not (data_dir / "geography" / "generated.parquet").exists()
    # The real geography is loaded (it was not before) and the real files imported.
    assert len(fake_crimestats["geography"]) == 1
    assert len(fake_crimestats["import"]) == 1
