"""One ``crimestats`` engine per web process, reopened when the store changes.

An engine caches the catalogue and the small geography tables, so reusing it makes every page
after the first fast. A new import raises the store's ``catalogue_version``; the next request
then opens a fresh engine and so sees the new months. DuckDB connections are not safe to share
between threads, so every use of the engine holds ``ENGINE_LOCK``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from crimestats.engines import Engine, open_engine
from crimestats.store import Store

ENGINE_LOCK = threading.RLock()
_open: dict[str, tuple[int, Engine]] = {}


@contextmanager
def engine_for(store: Store, version: int) -> Iterator[Engine]:
    """The process's engine over ``store`` at catalogue ``version``, held under the lock."""
    key = str(Path(store.data_dir).resolve())
    with ENGINE_LOCK:
        current = _open.get(key)
        if current is None or current[0] != version:
            if current is not None:
                current[1].close()
            current = (version, open_engine(store))
            _open[key] = current
        yield current[1]


def engines_close() -> None:
    """Close every open engine (tests; a process about to exit)."""
    with ENGINE_LOCK:
        for _version, engine in _open.values():
            engine.close()
        _open.clear()
