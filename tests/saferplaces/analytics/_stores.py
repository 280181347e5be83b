"""Small crime stores for the analytics tests, built once per test process.

A module-level cache (not a session fixture) so the view, selector and journey tests share one
build. Real data comes from the shared data pack (a missing pack fails the test, see
``tests/shared_data.py``); generated data needs nothing outside the repository.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from tests.shared_data import require_shared_data, shared_data_dir

SHARED = shared_data_dir()
# Leicestershire only, so the counts match the hand counts in the data README (§4); 2024 holds
# only four months, so the change against the previous 12 months cannot be tested.
REAL_ZIPS = ("leicestershire-2024.zip", "leicestershire-2025.zip")


def _folder(prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@cache
def real_data_dir() -> Path:
    """Geography plus Leicestershire street files for 2024 and 2025."""
    require_shared_data("police-uk", "ons", "boundaries")
    from crimestats.geography.build import load_geography
    from crimestats.ingest import import_paths

    folder = _folder("analytics-real-")
    load_geography(SHARED, folder)
    import_paths([SHARED / "police-uk" / name for name in REAL_ZIPS], folder)
    return folder


@cache
def synthetic_data_dir() -> Path:
    """The generated demo store (no real places, every force named synthetic-…)."""
    from crimestats import synthetic

    folder = _folder("analytics-synthetic-")
    generate = getattr(synthetic, "generate_demo_dataset", None)
    if generate is not None:
        generate(folder)
    else:
        synthetic.generate_store(folder, synthetic.DEMO)
    return folder
