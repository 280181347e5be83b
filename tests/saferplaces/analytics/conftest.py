"""Fixtures for the analytics tests: point the web app at a small store, with a clean cache."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from saferplaces.analytics.engine import engines_close
from tests.saferplaces.analytics._stores import real_data_dir, synthetic_data_dir


@pytest.fixture
def use_data_dir(settings: Any) -> Iterator[Callable[[Path], Path]]:
    """``use_data_dir(path)`` makes ``settings.DATA_DIR`` that folder, with an empty cache."""

    def use(path: Path) -> Path:
        settings.DATA_DIR = path
        return path

    # Cached results are keyed by the data folder, its catalogue version and the area, so tests
    # on the same store may share them; each test starts from an empty cache all the same.
    cache.clear()
    yield use
    cache.clear()


@pytest.fixture
def real_store(use_data_dir: Callable[[Path], Path]) -> Path:
    return use_data_dir(real_data_dir())


@pytest.fixture
def synthetic_store(use_data_dir: Callable[[Path], Path]) -> Path:
    return use_data_dir(synthetic_data_dir())


@pytest.fixture
def empty_store(use_data_dir: Callable[[Path], Path], tmp_path: Path) -> Path:
    return use_data_dir(tmp_path / "no-data-yet")


@pytest.fixture(scope="session", autouse=True)
def _close_engines_at_the_end() -> Iterator[None]:
    # The web app keeps one engine per data folder for the life of the process; close them
    # before the temporary stores are removed.
    yield
    engines_close()
