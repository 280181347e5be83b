"""Import benchmark: our importer against the readers an analyst would otherwise use.

The peers are DuckDB ``read_csv`` (several configurations), pandas ``read_csv`` (its default
parser, ``engine="pyarrow"``, and ``dtype=str``, its slowest configuration, shown for
comparison with earlier reports) and Polars ``read_csv``; the fastest correct one is the
baseline (issue #12). The street CSVs are extracted from the zips once into the work folder.
Every contender then reads the same extracted files in a fresh process, and every result is
checked row for row per file against an independent count made with Python's ``csv`` module
(data README §5: a DuckDB ``read_csv`` with explicit options silently skipped the CRLF files).
Our importer is timed on the extracted files and on the zips themselves, and a one-thread run
of its stages shows where its time goes.
"""

from __future__ import annotations

import csv
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

from benchmarks._common import ChildRun, Series, run_child

STREET_COLUMNS = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)  # fmt: skip

#: DuckDB configurations tried for the ceiling. ``{files}`` is a SQL list of the CSV paths,
#: ``{glob}`` a glob over them, ``{columns}`` the 12 street columns as VARCHAR.
DUCKDB_CONFIGS: dict[str, str] = {
    "glob, auto-detect": "read_csv('{glob}', filename=true)",
    "file list, auto-detect": "read_csv({files}, filename=true)",
    "file list, all_varchar": "read_csv({files}, all_varchar=true, filename=true)",
    "file list, explicit columns + dialect (the README §5 trap)": (
        "read_csv({files}, columns={columns}, header=true, delim=',', quote='\"', "
        "escape='\"', filename=true)"
    ),
    "file list, explicit columns, auto_detect=false": (
        "read_csv({files}, columns={columns}, header=true, auto_detect=false, filename=true)"
    ),
    "per file, auto-detect, INSERT": "per-file",
}


OURS_CSV = "ours: import CSV files, fresh store"
OURS_ZIP = "ours: import the zips directly, fresh store"
OURS_REPLACE = "ours: re-import same files, forced (reimport=True: convert and replace all)"
OURS_SKIP = "ours: re-import unchanged files (skipped by checksum; no rows read)"

# --------------------------------------------------------------------------------------------
# Child tasks (run in a fresh process by benchmarks.child)
# --------------------------------------------------------------------------------------------


def _sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


def task_duckdb(files: list[str], glob: str, config: str) -> dict[str, Any]:
    """DuckDB ``read_csv`` of ``files`` into an in-memory table, then per-file row counts."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    template = DUCKDB_CONFIGS[config]
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in STREET_COLUMNS) + "}"
    started, cpu = time.perf_counter(), time.process_time()
    if template == "per-file":
        for i, path in enumerate(files):
            source = f"read_csv('{path}', filename=true)"
            verb = "CREATE TABLE street AS" if i == 0 else "INSERT INTO street BY NAME"
            con.execute(f"{verb} SELECT * FROM {source}")
    else:
        source = template.format(files=_sql_list(files), glob=glob, columns=columns)
        con.execute(f"CREATE TABLE street AS SELECT * FROM {source}")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    per_file = dict(con.execute("SELECT filename, count(*) FROM street GROUP BY 1").fetchall())
    n_columns = len(con.execute("SELECT * FROM street LIMIT 0").description) - 1
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "per_file": {Path(k).name: v for k, v in per_file.items()},
        "columns": n_columns,
    }


#: pandas ``read_csv`` keyword arguments per configuration (per file, then one ``concat``).
PANDAS_CONFIGS: dict[str, dict[str, Any]] = {
    "default": {},
    "engine='pyarrow'": {"engine": "pyarrow"},
    "dtype=str (its slowest configuration)": {"dtype": str},
}

#: Polars configurations: one multi-file ``read_csv`` (Polars reads the files in parallel), or
#: one ``read_csv`` per file and a ``concat``.
POLARS_CONFIGS = ("file list", "per file + concat")


def task_pandas(files: list[str], config: str = "default") -> dict[str, Any]:
    """pandas ``read_csv`` per file in configuration ``config``, then one ``concat``."""
    import pandas as pd

    options = PANDAS_CONFIGS[config]
    started, cpu = time.perf_counter(), time.process_time()
    frames = [pd.read_csv(path, **options) for path in files]
    frame = pd.concat(frames, ignore_index=True)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    per_file = {Path(path).name: len(f) for path, f in zip(files, frames, strict=True)}
    return {"seconds": seconds, "cpu_seconds": cpu, "per_file": per_file,
            "columns": frame.shape[1], "rows": len(frame)}  # fmt: skip


def task_polars(files: list[str], config: str) -> dict[str, Any]:
    """Polars ``read_csv`` of ``files`` (types inferred, as by default) into one DataFrame."""
    import polars as pl

    started, cpu = time.perf_counter(), time.process_time()
    if config == "file list":
        frame = pl.read_csv(files, include_file_paths="source")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        counts = frame.group_by("source").len().rows()
        per_file = {Path(name).name: n for name, n in counts}
        columns = frame.width - 1
    else:
        frames = [pl.read_csv(path) for path in files]
        frame = pl.concat(frames, how="vertical_relaxed")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        per_file = {Path(path).name: f.height for path, f in zip(files, frames, strict=True)}
        columns = frame.width
    return {"seconds": seconds, "cpu_seconds": cpu, "per_file": per_file, "columns": columns,
            "rows": frame.height}  # fmt: skip


def task_stages(paths: list[str], geography: str) -> dict[str, Any]:
    """Our importer's stages run one after another on one thread, timed in CPU seconds.

    The same functions the importer calls, on every street CSV of ``paths`` (zips): read and
    inflate the member, sha256 (the unchanged-file check), parse (pyarrow CSV), validate,
    convert and map LSOAs (transform), and write the zstd Parquet file. The sum over two is
    what two cores could do at best with these stages; the import's wall time shows how close
    it comes.
    """
    import hashlib
    import tempfile

    from crimestats.geography.resolver import LsoaResolver
    from crimestats.ingest.csvread import read_police_csv
    from crimestats.ingest.names import parse_file_name
    from crimestats.ingest.sources import discover_sources
    from crimestats.ingest.transform import transform
    from crimestats.store.writer import write_partition_file

    stages = dict.fromkeys(("read and inflate", "sha256", "parse", "transform", "write"), 0.0)
    with tempfile.TemporaryDirectory(prefix="saferplaces-bench-stages-") as tmp:
        target = Path(tmp)
        shutil.copytree(geography, target / "geography")
        resolver = LsoaResolver.from_data_dir(target)
        sources, _ = discover_sources([Path(p) for p in paths])
        rows = 0
        for source in sources:
            name = parse_file_name(source.source_file)
            clock = time.thread_time()
            data = source.read_bytes()
            stages["read and inflate"] += time.thread_time() - clock
            clock = time.thread_time()
            hashlib.sha256(data).hexdigest()
            stages["sha256"] += time.thread_time() - clock
            clock = time.thread_time()
            parsed = read_police_csv(data, name.kind, source.display, blank_as_null=True)
            stages["parse"] += time.thread_time() - clock
            clock = time.thread_time()
            done = transform(parsed.table, name, source.source_file, resolver)
            stages["transform"] += time.thread_time() - clock
            clock = time.thread_time()
            write_partition_file(target, name.kind, name.force, name.month, done.accepted)
            stages["write"] += time.thread_time() - clock
            rows += done.accepted.num_rows
    return {"seconds": sum(stages.values()), "stages": stages, "rows": rows,
            "files": len(sources)}  # fmt: skip


def task_load_geography(shared_data: str, data_dir: str) -> dict[str, Any]:
    """Load the shared data's geography into ``data_dir`` (set-up, timed for information)."""
    from crimestats.geography import load_geography

    started = time.perf_counter()
    summary = load_geography(Path(shared_data), Path(data_dir))
    return {"seconds": time.perf_counter() - started, "lsoas": summary.lsoas}


def task_ours(
    paths: list[str], data_dir: str, geography: str | None = None, reimport: bool = False
) -> dict[str, Any]:
    """``crimestats.ingest.import_paths`` of ``paths`` into ``data_dir`` (fresh or existing).

    ``geography`` is a loaded geography folder copied in before the clock starts, so the import
    maps 2011 LSOA codes to 2021 as it does for a user. ``reimport`` makes the importer convert
    and replace every file even when its checksum says it is unchanged (the replacement path);
    without it an unchanged file is skipped.
    """
    from crimestats.ingest import import_paths
    from crimestats.store import Store

    target = Path(data_dir)
    if geography and not (target / "geography").exists():
        shutil.copytree(geography, target / "geography")
    before = len(Store(target).files("street"))
    started, cpu = time.perf_counter(), time.process_time()
    options = {"reimport": True} if reimport else {}
    summary = import_paths([Path(p) for p in paths], target, **options)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    per_file: dict[str, int] = {}
    for item in summary.files:
        name = Path(item.source_file).name
        per_file[name] = per_file.get(name, 0) + item.rows_accepted + item.rows_rejected
    con = Store(target).connect()
    stored = con.execute("SELECT count(*) FROM street").fetchone()[0]  # type: ignore[index]
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "per_file": per_file,
        "rows_accepted": summary.rows_accepted,
        "rows_rejected": summary.rows_rejected,
        "files_failed": summary.files_failed,
        "partitions_before": before,
        "partitions_after": len(Store(target).files("street")),
        "rows_in_store": stored,
        "geography_loaded": summary.geography_loaded,
    }


# --------------------------------------------------------------------------------------------
# Parent side
# --------------------------------------------------------------------------------------------


def extract_street_csvs(police_dir: Path, target: Path) -> list[Path]:
    """Extract every ``*-street.csv`` of the zips in ``police_dir`` into ``target`` (once)."""
    files = []
    for archive in sorted(police_dir.glob("*.zip")):
        with zipfile.ZipFile(archive) as z:
            for member in z.infolist():
                if not member.filename.endswith("-street.csv"):
                    continue
                out = target / member.filename
                if not out.exists() or out.stat().st_size != member.file_size:
                    out.parent.mkdir(parents=True, exist_ok=True)
                    with z.open(member) as src, open(out, "wb") as dst:
                        shutil.copyfileobj(src, dst)
                files.append(out)
    return sorted(files)


def csv_module_counts(files: list[Path]) -> dict[str, int]:
    """Data rows per file counted with the ``csv`` module: the independent reference."""
    counts = {}
    for path in files:
        with open(path, newline="", encoding="utf-8") as handle:
            counts[path.name] = sum(1 for _ in csv.reader(handle)) - 1
    return counts


def _check(run: ChildRun, reference: dict[str, int]) -> str | None:
    """Why ``run`` is not a correct load of the reference files, or None when it is."""
    if not run.ok:
        return run.error
    got = run.result.get("per_file", {})
    wrong = [name for name, n in reference.items() if got.get(name, 0) != n]
    if wrong:
        total = sum(got.values())
        return (
            f"{total:,} rows of {sum(reference.values()):,}; {len(wrong)} of {len(reference)} "
            f"files wrong or missing (e.g. {wrong[0]}: {got.get(wrong[0], 0)} vs "
            f"{reference[wrong[0]]})"
        )
    if run.result.get("columns", 12) < 12:
        return f"only {run.result['columns']} columns"
    return None


def run_import(shared_data: Path, work_dir: Path, *, reps: int, quick: bool) -> dict[str, Any]:
    """Run the import benchmark and return everything the report needs."""
    csv_dir = work_dir / "csv"
    files = extract_street_csvs(shared_data / "police-uk", csv_dir)
    zips = sorted(p for p in (shared_data / "police-uk").glob("*.zip") if "samples" not in p.name)
    if quick:
        files = files[:6]
    reference = csv_module_counts(files)
    rows = sum(reference.values())
    crlf = sum(1 for f in files if b"\r\n" in f.read_bytes()[:4096])
    geo_dir = work_dir / "geography-template"
    shutil.rmtree(geo_dir, ignore_errors=True)
    geo = run_child("load_geography", shared_data=str(shared_data), data_dir=str(geo_dir))
    str_files = [str(f) for f in files]
    glob = str(csv_dir / "*" / "*-street.csv") if not quick else str_files[0]
    series: dict[str, Series] = {}
    errors: dict[str, str] = {}

    def record(name: str, run: ChildRun, *, check: bool = True) -> ChildRun:
        item = series.setdefault(name, Series(name))
        problem = _check(run, reference) if check else run.error
        if problem:
            errors[name] = problem
        else:
            item.add(run.result["seconds"], run.peak_rss_mb, run.result.get("cpu_seconds"))
        return run

    configs = list(DUCKDB_CONFIGS)
    if quick:
        configs = [c for c in configs if not c.startswith("glob")]
    stores = work_dir / "stores"
    shutil.rmtree(stores, ignore_errors=True)
    for rep in range(reps):
        for config in configs:
            record(
                f"DuckDB: {config}",
                run_child("duckdb_read_csv", files=str_files, glob=glob, config=config),
            )
        for config in PANDAS_CONFIGS:
            record(f"pandas read_csv {config} + concat",
                   run_child("pandas_read_csv", files=str_files, config=config))  # fmt: skip
        for config in POLARS_CONFIGS:
            record(f"Polars read_csv, {config}",
                   run_child("polars_read_csv", files=str_files, config=config))  # fmt: skip
        fresh = stores / f"csv-{rep}"
        geography = str(geo_dir / "geography") if geo.ok else None
        record(OURS_CSV, run_child(
            "ours_import", paths=str_files, data_dir=str(fresh), geography=geography))  # fmt: skip
        again = record(OURS_REPLACE, run_child(
            "ours_import", paths=str_files, data_dir=str(fresh), geography=geography,
            reimport=True))  # fmt: skip
        if again.ok and again.result["rows_in_store"] != rows:
            errors[OURS_REPLACE] = (
                f"store holds {again.result['rows_in_store']:,} rows after re-import, "
                f"expected {rows:,} (replacement failed)"
            )
        unchanged = run_child("ours_import", paths=str_files, data_dir=str(fresh),
                              geography=geography)  # fmt: skip
        if unchanged.ok and unchanged.result["rows_in_store"] != rows:
            errors[OURS_SKIP] = f"store holds {unchanged.result['rows_in_store']:,} rows"
        elif unchanged.ok:
            # Unchanged files are skipped by checksum: no rows are read, so no row check.
            series.setdefault(OURS_SKIP, Series(OURS_SKIP)).add(
                unchanged.result["seconds"], unchanged.peak_rss_mb, unchanged.result["cpu_seconds"]
            )
        else:
            errors[OURS_SKIP] = unchanged.error or "failed"
        if not quick:
            zipped = stores / f"zip-{rep}"
            record(OURS_ZIP, run_child(
                "ours_import", paths=[str(z) for z in zips], data_dir=str(zipped),
                geography=geography))  # fmt: skip
            if rep < reps - 1:
                shutil.rmtree(zipped, ignore_errors=True)
        if not quick or rep < reps - 1:
            shutil.rmtree(fresh, ignore_errors=True)
    stages = None
    if geo.ok and not quick:
        stages = run_child("ours_stages", paths=[str(z) for z in zips],
                           geography=str(geo_dir / "geography"))  # fmt: skip
    baseline = run_child("baseline", modules=["duckdb", "pyarrow", "crimestats.ingest"])
    baseline_pd = run_child("baseline", modules=["pandas"])
    return {
        "files": len(files),
        "rows": rows,
        "crlf_files": crlf,
        "bytes": sum(f.stat().st_size for f in files),
        "reference": reference,
        "series": series,
        "errors": errors,
        "reps": reps,
        "stages": stages,
        "geography": geo,
        "baseline_rss_mb": baseline.peak_rss_mb,
        "baseline_pandas_rss_mb": baseline_pd.peak_rss_mb,
        "store_for_profile": stores / (f"csv-{reps - 1}" if quick else f"zip-{reps - 1}"),
    }
