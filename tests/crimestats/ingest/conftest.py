"""Fixtures for import tests: the shared real data (a failure when absent) and imported stores."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.shared_data import require_shared_data

from crimestats.geography import load_geography
from crimestats.ingest import ImportSummary, import_paths

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "policeuk"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return require_shared_data("police-uk", "ons", "boundaries")


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
