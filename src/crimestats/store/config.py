"""The one place in ``crimestats`` that reads environment variables.

Library functions take folders as arguments; the CLI (or a notebook) calls these helpers once to
find them, so nothing deeper down depends on the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DATA_DIR_ENV = "SAFERPLACES_DATA_DIR"
SHARED_DATA_ENV = "SAFERPLACES_SHARED_DATA"
DEFAULT_DATA_DIR = Path("var")


def resolve_data_dir(explicit: Path | None, environ: Mapping[str, str] | None = None) -> Path:
    """The data folder: ``explicit`` if given, else ``$SAFERPLACES_DATA_DIR``, else ``./var``.

    Examples
    --------
    >>> resolve_data_dir(None, {"SAFERPLACES_DATA_DIR": "/srv/data"})
    PosixPath('/srv/data')
    >>> resolve_data_dir(None, {})
    PosixPath('var')
    """
    if explicit is not None:
        return explicit
    env = os.environ if environ is None else environ
    value = env.get(DATA_DIR_ENV, "").strip()
    return Path(value) if value else DEFAULT_DATA_DIR


def shared_data_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The folder named by ``$SAFERPLACES_SHARED_DATA`` (ONS files and boundaries), if set.

    Examples
    --------
    >>> shared_data_dir({}) is None
    True
    """
    env = os.environ if environ is None else environ
    value = env.get(SHARED_DATA_ENV, "").strip()
    return Path(value) if value else None
