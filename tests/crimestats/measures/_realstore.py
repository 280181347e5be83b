"""Build the real-data store once per test process (shared by the measures, profile, CLI tests).

Imports the Leicestershire and Derbyshire street files of the shared data pack
(``$SAFERPLACES_SHARED_DATA`` or ``../shared/data``; a missing pack fails, see
``tests/shared_data.py``) with the project's
own importer into a temporary folder. A module-level cache (not a conftest fixture) lets test
modules in different folders share one build without a shared conftest.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from tests.shared_data import require_shared_data, shared_data_dir

SHARED = shared_data_dir()
ZIPS = (
    "leicestershire-2018.zip",
    "leicestershire-2019.zip",
    "leicestershire-2020.zip",
    "leicestershire-2021.zip",
    "leicestershire-2022.zip",
    "leicestershire-2024.zip",
    "leicestershire-2025.zip",
    "derbyshire-2024.zip",
    "derbyshire-2025.zip",
)


@cache
def real_data_dir() -> Path:
    """A data folder with the geography and the street files imported (built once)."""
    require_shared_data("police-uk", "ons", "boundaries")
    from crimestats.geography.build import load_geography
    from crimestats.ingest.importer import import_paths

    folder = Path(tempfile.mkdtemp(prefix="measures-store-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    load_geography(SHARED, folder)
    import_paths([SHARED / "police-uk" / name for name in ZIPS], folder)
    return folder
