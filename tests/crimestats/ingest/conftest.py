"""Fixtures for import tests: the shared real data (skipped when absent) and imported stores."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from crimestats.geography import load_geography
from crimestats.ingest import ImportSummary, import_paths

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "policeuk"


def shared_data_path() -> Path:
    """The shared real-data folder: $SAFERPLACES_SHARED_DATA or ../shared/data beside the repo."""
    env = os.environ.get("SAFERPLACES_SHARED_DATA")
    return Path(env) if env else (REPO / ".." / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_path()
    if not (path / "police-uk").is_dir():
        pytest.skip(f"real data not found at {path} (set SAFERPLACES_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def geography_dir(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with only the geography loaded (copy it before importing into it)."""
    data_dir = tmp_path_factory.mktemp("geography-only")
    load_geography(shared_data, data_dir)
    return data_dir


@pytest.fixture(scope="session")
def store_2025(
    shared_data: Path, geography_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, ImportSummary]:
    """Leicestershire and Derbyshire 2025 plus the 2018-10 samples, imported once per session."""
    data_dir = tmp_path_factory.mktemp("store-2025")
    shutil.copytree(geography_dir / "geography", data_dir / "geography")
    zips = ["leicestershire-2025.zip", "derbyshire-2025.zip", "samples-2018-10.zip"]
    summary = import_paths([shared_data / "police-uk" / z for z in zips], data_dir)
    return data_dir, summary
