"""Write a force-month partition and swap it into the catalogue atomically.

Order of work (ADR 0002): write the new Parquet file under a fresh name, swap the catalogue row in
one SQLite transaction, then delete the file it replaced. If anything fails before the commit the
new file is deleted and the store is exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from crimestats.months import month_label
from crimestats.store.catalogue import Catalogue, CatalogueEntry

try:  # POSIX advisory lock; Windows installs run without it (one writer is still the rule)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


_NO_DICTIONARY = frozenset({"crime_id", "longitude", "latitude", "datetime", "source_line"})
_NO_STATISTICS = frozenset({"crime_id", "location", "lsoa_name", "last_outcome"})
# Crime IDs (64 hex digits, or blank) and line numbers (rising within each LSOA and category)
# have no repeats for a dictionary. Lengths apart from the text, and line numbers as deltas, are
# smaller and cheaper to compress than the plain encoding: on the 72 street files of the data
# pack, 27.0 MB instead of 29.1 MB and a tenth less time to write. Same values, read by DuckDB,
# pyarrow and Spark (3.3 and later) alike.
_ENCODINGS = {"crime_id": "DELTA_LENGTH_BYTE_ARRAY", "source_line": "DELTA_BINARY_PACKED"}


def store_dir(data_dir: Path) -> Path:
    """The store folder inside a data folder."""
    return data_dir / "store"


def catalogue_path(data_dir: Path) -> Path:
    """The catalogue file inside a data folder."""
    return store_dir(data_dir) / "catalogue.sqlite"


def partition_folder(data_dir: Path, kind: str, force: str, month: date) -> Path:
    """``store/<kind>/force=<force>/month=<YYYY-MM>`` (hive-style, readable by Spark too)."""
    return store_dir(data_dir) / kind / f"force={force}" / f"month={month_label(month)}"


def write_partition_file(
    data_dir: Path, kind: str, force: str, month: date, table: pa.Table
) -> Path:
    """Write ``table`` as a new zstd Parquet file for one partition and return its path.

    The file gets a fresh UUID name, so it never overwrites the file readers are using. A partial
    file left by a failed write is removed before the error propagates.
    """
    folder = partition_folder(data_dir, kind, force, month)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4()}.parquet"
    try:
        # zstd level 1 gives the same size as the default level on these files, faster. On the
        # 72 street files of the data pack (29 MB so), lz4 and snappy write a fifth faster but
        # make 50 MB, zstd's negative levels 48-59 MB (the hex Crime IDs need zstd's entropy
        # coding), no compression 60 MB. Columns that are nearly all distinct (Crime ID hashes,
        # points, line numbers) skip the dictionary attempt: smaller files for less work.
        # Min/max statistics are kept for the columns queries filter on (file skipping), not for
        # free text, where they cost time and help no query.
        dictionary = [n for n in table.column_names if n not in _NO_DICTIONARY]
        statistics = [n for n in table.column_names if n not in _NO_STATISTICS]
        encodings = {n: e for n, e in _ENCODINGS.items() if n in table.column_names}
        pq.write_table(
            table,
            path,
            compression="zstd",
            compression_level=1,
            row_group_size=1_000_000,
            use_dictionary=dictionary,
            write_statistics=statistics,
            column_encoding=encodings,
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def commit_partition(data_dir: Path, catalogue: Catalogue, entry: CatalogueEntry) -> None:
    """Swap ``entry`` into the catalogue, then delete the file it replaced.

    If the swap fails, the new file named by ``entry.path`` is deleted and the error re-raised,
    leaving the catalogue and the files as they were.
    """
    root = store_dir(data_dir)
    new_file = root / entry.path
    try:
        old = catalogue.swap(entry)
    except BaseException:
        new_file.unlink(missing_ok=True)
        raise
    if old is not None and old != entry.path:
        (root / old).unlink(missing_ok=True)


def commit_partitions(data_dir: Path, catalogue: Catalogue, entries: list[CatalogueEntry]) -> None:
    """Swap several partitions in with one catalogue transaction, then delete what they replaced.

    All or none: if the transaction fails, every new file named by ``entries`` is deleted and the
    error re-raised, leaving the catalogue and the files as they were.
    """
    root = store_dir(data_dir)
    try:
        replaced = catalogue.swap_many(entries)
    except BaseException:
        for entry in entries:
            (root / entry.path).unlink(missing_ok=True)
        raise
    current = {entry.path for entry in entries}
    for old in replaced:
        if old is not None and old not in current:
            (root / old).unlink(missing_ok=True)


def sweep_orphans(data_dir: Path, catalogue: Catalogue) -> list[Path]:
    """Delete Parquet files under the store that no catalogue row points at.

    Such files can only be left by a process killed between writing and swapping. Call this only
    while holding :func:`import_lock`, so another import's new files are never taken for orphans.
    """
    root = store_dir(data_dir)
    current = {entry.path for entry in catalogue.entries()}
    removed = []
    for path in root.glob("*/force=*/month=*/*.parquet"):
        if path.relative_to(root).as_posix() not in current:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


@contextlib.contextmanager
def import_lock(data_dir: Path) -> Iterator[None]:
    """Hold the data folder's import lock: one writer at a time, readers never wait."""
    root = store_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".import.lock", "a+") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def relative_to_store(data_dir: Path, path: Path) -> str:
    """The catalogue form of a partition path (relative, with forward slashes)."""
    return Path(os.path.relpath(path, store_dir(data_dir))).as_posix()
