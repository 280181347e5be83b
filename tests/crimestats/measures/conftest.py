"""Fixtures for the measures tests: the real-data store and one DuckDB engine over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crimestats.engines import Engine, open_engine
from crimestats.store import Store
from tests.crimestats.measures._realstore import real_data_dir


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real-data folder (built once per session)."""
    return real_data_dir()


@pytest.fixture(scope="session")
def engine(data_dir: Path) -> Iterator[Engine]:
    """A DuckDB engine over the real-data store."""
    opened = open_engine(Store(data_dir))
    yield opened
    opened.close()
