"""Where the real-data tests find the shared data pack, and what happens when it is missing.

The pack (police.uk archives, ONS lookups, boundaries; never committed) is
``$SAFERPLACES_SHARED_DATA`` when set (``make`` exports it), else ``../shared/data`` beside the
checkout. When it is missing, a real-data test **fails** with a message saying where it looked:
a run without the data must not look green (CI and ``make test`` always have it). A contributor
without the pack sets ``SAFERPLACES_ALLOW_MISSING_DATA=1`` to skip those tests instead
(docs/testing.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA_ENV = "SAFERPLACES_SHARED_DATA"
ALLOW_MISSING_ENV = "SAFERPLACES_ALLOW_MISSING_DATA"


def shared_data_dir() -> Path:
    """``$SAFERPLACES_SHARED_DATA`` if set, else ``../shared/data`` beside the checkout."""
    value = os.environ.get(SHARED_DATA_ENV, "").strip()
    return Path(value).resolve() if value else (REPO.parent / "shared" / "data").resolve()


def missing_data_allowed() -> bool:
    """True when ``SAFERPLACES_ALLOW_MISSING_DATA`` is set to 1/true/yes."""
    return os.environ.get(ALLOW_MISSING_ENV, "").strip().lower() in {"1", "true", "yes"}


def require_shared_data(*parts: str, folder: Path | None = None) -> Path:
    """The shared data folder, after checking that ``parts`` (sub-folders or files) exist in it.

    ``folder`` overrides the environment (for tests that clear it for the commands they run).
    Fails the calling test (or skips it when ``SAFERPLACES_ALLOW_MISSING_DATA=1``) with a message
    naming the folder, what is missing and how to fix it.
    """
    folder = shared_data_dir() if folder is None else folder
    missing = [part for part in parts or ("police-uk",) if not (folder / part).exists()]
    if missing:
        message = (
            f"real-data test needs the shared data pack at {folder} (missing: "
            f"{', '.join(missing)}); set {SHARED_DATA_ENV} to the folder that holds it, or set "
            f"{ALLOW_MISSING_ENV}=1 to skip the real-data tests (see docs/testing.md)"
        )
        if missing_data_allowed():
            pytest.skip(message)
        pytest.fail(message, pytrace=False)
    return folder
