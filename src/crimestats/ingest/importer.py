"""Import police.uk CSVs into the store, one atomic force-month per file.

Each file is read, validated and written to a new Parquet file by a small thread pool (pyarrow
releases the GIL, so two threads use both cores of a small server); the main thread then swaps
the finished files into the catalogue, several per SQLite transaction. A file that fails leaves
its force-month as it was. A file whose bytes (sha256) are those of the stored force-month, made
with the same geography and import rules, is not converted again: it is reported as unchanged.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from crimestats.geography.resolver import LsoaResolver
from crimestats.ingest.csvread import line_texts, read_police_csv
from crimestats.ingest.errors import InputFileError
from crimestats.ingest.names import PoliceFileName, parse_file_name
from crimestats.ingest.schemas import REJECT_REASONS
from crimestats.ingest.sources import Source, discover_sources
from crimestats.ingest.summary import MAX_EXAMPLE_LINES, FileResult, ImportSummary
from crimestats.ingest.transform import Transformed, transform
from crimestats.store.catalogue import Catalogue, CatalogueEntry
from crimestats.store.writer import (
    catalogue_path,
    commit_partitions,
    import_lock,
    relative_to_store,
    sweep_orphans,
    write_partition_file,
)

IMPORTER_VERSION = 1
"""Bump when a change to the import rules changes the stored rows, so stored months are redone."""

ProgressCallback = Callable[[int, int, str, int], None]
"""Called after each file as ``progress(done, total, file, rows_accepted)``."""


@dataclass(frozen=True, slots=True)
class _Prepared:
    source: Source
    result: FileResult
    transformed: Transformed | None = None
    new_path: Path | None = None
    sha256: str = ""
    rejects: pa.Table | None = None


_Key = tuple[str, str, str]  # (kind, force, month label)


def _utc_now() -> datetime:
    # The default clock of import_paths (callers and tests pass their own): it stamps when a
    # file entered the store. Analyses never read the clock.
    return datetime.now(UTC)  # noqa: TID251


class _Worker:
    """Reads, checks and writes one file; a DuckDB connection per thread for stop and search."""

    def __init__(
        self, data_dir: Path, resolver: LsoaResolver, unchanged: dict[_Key, CatalogueEntry]
    ):
        self.data_dir = data_dir
        self.resolver = resolver
        self.unchanged = unchanged  # stored entries a file may match (see _skippable)
        self.local = threading.local()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        if not hasattr(self.local, "cursor"):
            self.local.cursor = duckdb.connect(config={"threads": 1})
        cursor: duckdb.DuckDBPyConnection = self.local.cursor
        return cursor

    def __call__(self, source: Source) -> _Prepared:
        try:
            try:
                name = parse_file_name(source.source_file)
            except ValueError as error:
                raise InputFileError(source.display, None, str(error)) from None
            data = source.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            stored = self.unchanged.get((name.kind, name.force, name.month_label))
            if stored is not None and stored.source_sha256 == sha:
                return _Prepared(source, _unchanged_result(source, stored), sha256=sha)
            parsed = read_police_csv(
                data, name.kind, source.display, blank_as_null=name.kind != "stop_search"
            )
            cursor = self._cursor() if name.kind == "stop_search" else None
            done = transform(parsed.table, name, source.source_file, self.resolver, cursor)
        except InputFileError as error:
            return _Prepared(
                source, FileResult(source.display, source.source_file, "failed", error=str(error))
            )
        lines = [*parsed.bad_lines, *done.rejected_lines.tolist()]
        reasons = ["wrong-field-count"] * len(parsed.bad_lines) + done.rejected_reasons
        if not done.accepted.num_rows:
            # Nothing to store: a failed file (exit 1), never a silent gap in the months.
            failure = InputFileError(source.display, None, _nothing_stored(name, reasons))
            return _Prepared(
                source,
                FileResult(
                    source.display,
                    source.source_file,
                    "failed",
                    name.kind,
                    name.force,
                    name.month_label,
                    rows_rejected=len(lines),
                    error=str(failure),
                ),
                sha256=sha,
            )
        rejects = None
        if lines:
            rejects = pa.table(
                {
                    "file": [source.display] * len(lines),
                    "line": pa.array(lines, pa.int64()),
                    "reason": reasons,
                    "raw": line_texts(data, lines),
                }
            ).sort_by("line")
        result = FileResult(
            file=source.display,
            source_file=source.source_file,
            status="imported",
            kind=name.kind,
            force=name.force,
            month=name.month_label,
            rows_accepted=done.accepted.num_rows,
            rows_rejected=len(lines),
            unlocated_rows=done.unlocated_rows,
            outside_geography_rows=done.outside_geography_rows,
            repeated_crime_id_rows=done.repeated_crime_id_rows,
        )
        new_path = write_partition_file(
            self.data_dir, name.kind, name.force, name.month, done.accepted
        )
        # Only the counts are needed from here on: let the rows go, so the import holds one or
        # two files in memory at a time, not the whole dataset.
        done = dataclasses.replace(done, accepted=done.accepted.schema.empty_table())
        return _Prepared(source, result, done, new_path, sha, rejects)


def _nothing_stored(name: PoliceFileName, reasons: list[str]) -> str:
    """Why a file stored no rows, in one line: every row refused (by reason), or no rows at all."""
    where = f"{name.kind} {name.force} {name.month_label} is left as it was"
    if not reasons:
        return f"no data rows (only the header), so nothing was stored; {where}"
    counts = Counter(reasons).most_common()
    detail = "; ".join(f"{reason} {count:,}: {REJECT_REASONS[reason]}" for reason, count in counts)
    hint = ""
    if counts[0][0] == "month-mismatch":
        hint = f" (is the file mislabelled? its name says {name.month_label})"
    return (
        f"no rows accepted: all {len(reasons):,} rows were rejected ({detail}){hint}, so nothing "
        f"was stored; {where}"
    )


def _unchanged_result(source: Source, stored: CatalogueEntry) -> FileResult:
    """What the stored force-month holds, for a file identical to the one it was made from."""
    return FileResult(
        file=source.display,
        source_file=source.source_file,
        status="unchanged",
        kind=stored.kind,
        force=stored.force,
        month=stored.month,
        rows_accepted=stored.rows,
        rows_rejected=stored.rejected_rows,
        unlocated_rows=stored.unlocated_rows,
        outside_geography_rows=stored.outside_geography_rows,
        repeated_crime_id_rows=stored.repeated_crime_id_rows,
    )


def _skippable(
    catalogue: Catalogue, sources: list[Source], resolver: LsoaResolver
) -> dict[_Key, CatalogueEntry]:
    """Stored force-months that a file of this import may leave as they are.

    A file is unchanged when its sha256 equals the stored one (checked by the worker) and the
    stored rows were made from the same path with the same geography and import rules. A
    force-month named twice in one import is always imported, so the last file given wins.
    """
    given: Counter[_Key] = Counter()
    paths: dict[_Key, str] = {}
    for source in sources:
        try:
            name = parse_file_name(source.source_file)
        except ValueError:
            continue
        key = (name.kind, name.force, name.month_label)
        given[key] += 1
        paths[key] = source.source_file
    skippable = {}
    for entry in catalogue.entries():
        key = (entry.kind, entry.force, entry.month)
        if (
            given.get(key) == 1
            and entry.source_file == paths[key]
            and entry.geography_sha256 == resolver.fingerprint
            and entry.importer_version == IMPORTER_VERSION
        ):
            skippable[key] = entry
    return skippable


def import_paths(
    paths: list[Path],
    data_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    workers: int = 2,
    clock: Callable[[], datetime] = _utc_now,
    reimport: bool = False,
) -> ImportSummary:
    """Import data.police.uk files, month folders, archive trees and zip archives.

    Parameters
    ----------
    paths : list of Path
        CSV files, folders (searched recursively) and ``.zip`` archives in the police.uk layout
        ``YYYY-MM/YYYY-MM-<force>-<street|outcomes|stop-and-search>.csv``.
    data_dir : Path
        The data folder. Partitions go to ``data_dir/store``; refused rows to
        ``data_dir/rejects/<import-id>.csv``. The geography in ``data_dir/geography`` is used to
        map LSOAs to 2021 codes (load it first with ``load_geography``).
    progress : callable, optional
        ``progress(done, total, file, rows_accepted)`` after each file.
    workers : int
        Threads reading and converting files in parallel.
    clock : callable
        Returns the current UTC time (for ``imported_at`` and the import id).
    reimport : bool
        Convert and replace every file, even one that is unchanged since it was stored.

    Returns
    -------
    ImportSummary
        Per-file results and totals. ``exit_code`` is 1 when any file failed as a whole.

    Raises
    ------
    FileNotFoundError
        If a path does not exist (nothing is imported).

    Notes
    -----
    Each file replaces its (kind, force, month) partition as a whole: the new Parquet file is
    written, the catalogue row swapped in one SQLite transaction, and the old file deleted. So a
    re-import never double counts and a reader sees the old month or the new one, never half.
    """
    started = time.perf_counter()
    now = clock()
    import_id = f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    sources, skipped = discover_sources(paths)
    warnings = [f"skipped (not a police.uk CSV name): {item}" for item in skipped]
    resolver = LsoaResolver.from_data_dir(data_dir)
    if not resolver.loaded:
        warnings.append(
            "no geography loaded in this data folder: lsoa21_code is set only for files that use "
            "2021 LSOA codes, and stop-and-search rows get none; run `saferplaces data geography` "
            "and import again to map 2011 codes"
        )
    prepared: list[_Prepared] = []
    with import_lock(data_dir), Catalogue(catalogue_path(data_dir)) as catalogue:
        sweep_orphans(data_dir, catalogue)
        unchanged = {} if reimport else _skippable(catalogue, sources, resolver)
        worker = _Worker(data_dir, resolver, unchanged)
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures: list[Future[_Prepared]] = [pool.submit(worker, s) for s in sources]
            try:
                batch: list[_Prepared] = []
                for index, future in enumerate(futures):
                    batch.append(future.result())
                    # Swap in everything that is ready with one transaction, not one per file.
                    if index + 1 < len(futures) and futures[index + 1].done():
                        continue
                    done = _commit(data_dir, catalogue, batch, import_id, now, resolver)
                    batch = []
                    prepared.extend(done)  # before any callback: these are in the store now
                    for number, item in enumerate(done, start=len(prepared) - len(done) + 1):
                        if progress is not None:
                            progress(
                                number, len(futures), item.result.file, item.result.rows_accepted
                            )
            except BaseException:
                _discard_uncommitted(pool, futures, len(prepared))
                raise
    return _summarise(prepared, data_dir, import_id, warnings, resolver, started)


def _discard_uncommitted(
    pool: ThreadPoolExecutor, futures: list[Future[_Prepared]], committed: int
) -> None:
    # An interrupted run: stop queued files, wait for running ones, and delete the Parquet
    # files they wrote but that were never swapped in, so the store is left as it was.
    for future in futures[committed:]:
        future.cancel()
    pool.shutdown(wait=True)
    for future in futures[committed:]:
        if future.done() and not future.cancelled() and future.exception() is None:
            path = future.result().new_path
            if path is not None:
                path.unlink(missing_ok=True)


def _commit(
    data_dir: Path,
    catalogue: Catalogue,
    batch: list[_Prepared],
    import_id: str,
    now: datetime,
    resolver: LsoaResolver,
) -> list[_Prepared]:
    """Swap the written files of ``batch`` into the catalogue in one transaction.

    If the transaction fails, none of them is swapped in, their new files are deleted and each
    is reported as failed; the store is as it was for all of them.
    """
    entries = []
    for item in batch:
        if item.new_path is None or item.transformed is None:
            continue
        result, done = item.result, item.transformed
        entries.append(
            CatalogueEntry(
                kind=result.kind or "",
                force=result.force or "",
                month=result.month or "",
                path=relative_to_store(data_dir, item.new_path),
                rows=result.rows_accepted,
                source_file=result.source_file,
                source_sha256=item.sha256,
                imported_at=now.isoformat(timespec="seconds"),
                archive=item.source.archive,
                import_id=import_id,
                rejected_rows=result.rows_rejected,
                unlocated_rows=done.unlocated_rows,
                outside_geography_rows=done.outside_geography_rows,
                repeated_crime_id_rows=done.repeated_crime_id_rows,
                lsoa2011_rows=done.lsoa2011_rows,
                geography_sha256=resolver.fingerprint,
                importer_version=IMPORTER_VERSION,
            )
        )
    try:
        commit_partitions(data_dir, catalogue, entries)
    except Exception as error:  # the store is unchanged for these files; report and go on
        out = []
        for item in batch:
            if item.new_path is None or item.transformed is None:
                out.append(item)
                continue
            result = item.result
            failed = FileResult(
                result.file,
                result.source_file,
                "failed",
                result.kind,
                result.force,
                result.month,
                error=f"{result.file}: could not update the catalogue: {error}",
            )
            out.append(_Prepared(item.source, failed, None, None, item.sha256, None))
        return out
    return batch


def _summarise(
    prepared: list[_Prepared],
    data_dir: Path,
    import_id: str,
    warnings: list[str],
    resolver: LsoaResolver,
    started: float,
) -> ImportSummary:
    imported = [p for p in prepared if p.result.status == "imported"]
    rejects = [p.rejects for p in prepared if p.rejects is not None and p.result.status != "failed"]
    reasons: Counter[str] = Counter()
    examples: dict[str, list[dict[str, object]]] = {}
    rejects_file = None
    if rejects:
        table = pa.concat_tables(rejects)
        for file, line, reason in zip(
            table["file"].to_pylist(),
            table["line"].to_pylist(),
            table["reason"].to_pylist(),
            strict=True,
        ):
            reasons[reason] += 1
            if len(examples.setdefault(reason, [])) < MAX_EXAMPLE_LINES:
                examples[reason].append({"file": file, "line": line})
        folder = data_dir / "rejects"
        folder.mkdir(parents=True, exist_ok=True)
        rejects_file = folder / f"{import_id}.csv"
        pacsv.write_csv(table, rejects_file)
        warnings.append(
            f"{sum(reasons.values())} rows were rejected and not stored; see {rejects_file}"
        )
    seen: Counter[tuple[str, str, str]] = Counter(
        (p.result.kind or "", p.result.force or "", p.result.month or "") for p in imported
    )
    for (kind, force, month), count in sorted(seen.items()):
        if count > 1:
            warnings.append(f"{kind} {force} {month} was given {count} times; the last one is kept")
    for p in prepared:
        if p.transformed is not None and p.transformed.outside_month_rows:
            warnings.append(
                f"{p.result.file}: {p.transformed.outside_month_rows} rows are dated outside "
                "the month in the file name (kept)"
            )
    nearest = sum(p.transformed.split_nearest_rows for p in imported if p.transformed)
    if nearest:
        warnings.append(
            f"{nearest} rows of split 2011 LSOAs lay just outside every 2021 part (generalised "
            "boundaries) and were given the nearest part"
        )
    unmapped = sum(p.transformed.unmapped_rows for p in imported if p.transformed)
    if unmapped:
        warnings.append(f"{unmapped} located rows have no lsoa21_code (no geography loaded)")
    by_kind: Counter[str] = Counter()
    for p in imported:
        by_kind[p.result.kind or ""] += p.result.rows_accepted
    files = tuple(p.result for p in prepared)
    return ImportSummary(
        import_id=import_id,
        data_dir=str(data_dir),
        files=files,
        rows_accepted=sum(f.rows_accepted for f in files if f.status == "imported"),
        rows_rejected=sum(reasons.values()),
        rejected_by_reason=dict(sorted(reasons.items())),
        rejected_examples=examples,
        months=sorted({p.result.month for p in imported if p.result.month}),
        forces=sorted({p.result.force for p in imported if p.result.force}),
        rows_by_kind=dict(sorted(by_kind.items())),
        unlocated_rows=sum(f.unlocated_rows for f in files if f.status == "imported"),
        outside_geography_rows=sum(
            f.outside_geography_rows for f in files if f.status == "imported"
        ),
        repeated_crime_id_rows=sum(
            f.repeated_crime_id_rows for f in files if f.status == "imported"
        ),
        lsoa2011_rows=sum(p.transformed.lsoa2011_rows for p in imported if p.transformed),
        geography_loaded=resolver.loaded,
        warnings=warnings,
        rejects_file=None if rejects_file is None else str(rejects_file),
        seconds=time.perf_counter() - started,
    )
