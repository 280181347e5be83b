"""The data folder and the embedded database are private to the account that runs the service.

The folder holds the SQLite database (personal data: staff accounts, the audit log), the secret
key, the cache and the crime store, so it is created ``0700`` and the database file ``0600``
(docs/security.md). A folder or file that already exists and belongs to us is tightened to the
same modes; one that belongs to someone else (a shared, read-only data folder) is left alone.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DIR_MODE = 0o700
FILE_MODE = 0o600


def _tighten(path: Path, mode: int) -> None:
    try:
        if path.stat().st_uid == os.geteuid() and path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except OSError:
        pass  # not ours to change (for example a read-only shared folder)


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) with mode 0700, or tighten it if it is ours."""
    if not path.exists():
        # mkdir's mode is filtered by the umask; chmod afterwards makes it exact.
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        path.chmod(DIR_MODE)
    else:
        _tighten(path, DIR_MODE)
    return path


def ensure_private_sqlite(database: dict[str, Any]) -> None:
    """Create the SQLite database file 0600 before SQLite does (with the umask's 0644).

    SQLite gives its journal and WAL files the mode of the database file, so they follow.
    """
    if not str(database.get("ENGINE", "")).endswith("sqlite3"):
        return
    name = str(database.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    ensure_private_dir(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
        path.chmod(FILE_MODE)
    else:
        _tighten(path, FILE_MODE)
