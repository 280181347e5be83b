"""Run every benchmark of issue #3 and write ``docs/benchmarks.md``.

Usage::

    python -m benchmarks.run --shared-data ../shared/data --out docs/benchmarks.md \
        [--quick] [--work-dir bench-data/work] [--cache-dir bench-data] [--fresh-national]

``--only-import`` runs the import benchmark again and keeps every other section from the last
full run (saved in ``--cache-dir``), for a rerun when the machine is quieter; the report says
which sections were rerun and when. Without a saved run (a fresh checkout), it replaces §1 and
its target rows in the existing ``--out`` file and leaves the rest of the file as it is.
``--quick`` is a smoke test (a few files, one repetition, a short synthetic store); its file
says so at the top and its figures are not the benchmark.
The synthetic national store is generated once into ``--cache-dir`` (git-ignored
``bench-data/``), keyed by its spec and the generator's code, and reused by later runs;
``--fresh-national`` generates it again.
"""

from __future__ import annotations

import argparse
import os
import pickle  # noqa: TID251 - caches our own last run in the local cache folder, never outside data
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import report
from benchmarks._common import REPO, ChildRun, run_child
from benchmarks.ingest import run_import

NWL_CSP = "E22000170"  # North West Leicestershire (LAD E07000134)
LEICESTERSHIRE_PFA = "E23000021"
SYNTHETIC_CSP = "E22900100"  # a synthetic CSP in the middle of the national lattice


def _log(message: str) -> None:
    """Progress on stderr, so a long run shows where it is."""
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the benchmarks in order, write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared-data", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"))
    parser.add_argument("--quick", action="store_true", help="smoke test: small sizes, 1 run")
    parser.add_argument("--work-dir", type=Path, default=REPO / "bench-data" / "work")
    parser.add_argument("--keep", action="store_true", help="keep the work folder afterwards")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=REPO / "bench-data",
        help="where the synthetic national store is kept between runs",
    )
    parser.add_argument(
        "--fresh-national",
        action="store_true",
        help="generate the national store again even if a cached one matches",
    )
    parser.add_argument(
        "--only-import",
        action="store_true",
        help="rerun only the import benchmark; keep the other sections of the last full run",
    )
    args = parser.parse_args(argv)
    if args.only_import:
        return _rerun_import(args)
    work = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    reps = 1 if args.quick else 3
    started = time.perf_counter()
    facts = run_child("machine").result  # in a child, so the parent stays small
    sections: dict[str, Any] = {"machine": facts, "quick": args.quick, "reps": reps}
    sections["load_start"] = _load()
    shared = args.shared_data.resolve()

    if (shared / "police-uk").is_dir():
        _log("import benchmark")
        sections["import"] = run_import(shared, work, reps=reps, quick=args.quick)
        store = sections["import"]["store_for_profile"]
        samples = shared / "police-uk" / "samples-2018-10.zip"
        if samples.exists() and not args.quick:
            run_child("ours_import", paths=[str(samples)], data_dir=str(store))
        _log("CSP profile on the real store")
        sections["profile"] = run_child(
            "csp_profile", data_dir=str(store), area=NWL_CSP, warm_reps=5
        )
        _log("Gi* on the force")
        sections["gi_force"] = run_child(
            "gi_star", mode="force", reps=5 if args.quick else 20, data_dir=str(store),
            pfa=LEICESTERSHIRE_PFA,
        )  # fmt: skip
    else:
        reason = f"not run: {shared / 'police-uk'} does not exist"
        for key in ("import", "profile", "gi_force"):
            sections[key] = reason
    _log("Gi* on a force-sized synthetic lattice")
    sections["gi_force_lattice"] = run_child(
        "gi_star", mode="lattice", reps=5 if args.quick else 20, grid=35
    )
    _log("Gi* on the national synthetic lattice")
    sections["gi_lattice"] = run_child(
        "gi_star", mode="lattice", reps=3 if args.quick else 10, grid=60 if args.quick else 189
    )
    _log("national: generate the synthetic store (or reuse the cached one)")
    gen: ChildRun = run_child(
        "generate_national", cache_dir=str(args.cache_dir.resolve()), spec="national",
        months=3 if args.quick else None, fresh=args.fresh_national, timeout=1800,
    )  # fmt: skip
    sections["national_generate"] = gen
    sections["load_before_national"] = _load()
    if gen.ok:
        national_dir = Path(gen.result["data_dir"])
        _log(f"national: queries in a fresh process on {national_dir}")
        sections["national_queries"] = run_child(
            "national_queries", data_dir=str(national_dir), area=SYNTHETIC_CSP, warm_reps=3
        )
        sections["national_du"] = sum(
            p.stat().st_size for p in (national_dir / "store").rglob("*") if p.is_file()
        )
    else:
        sections["national_queries"] = f"not run: generation failed ({gen.error})"
    if (shared / "police-uk").is_dir():
        # The web pages and documents of issue #13, each its own module printing its section.
        _log("dashboard: server time in fresh processes")
        sections["dashboard_md"] = _section_of(
            "benchmarks.dashboard",
            "--shared-data",
            str(shared),
            "--runs",
            "1" if args.quick else "3",
        )
        _log("strategic assessment: build and PDF")
        sections["assessment_md"] = _section_of(
            "benchmarks.assessment", "--store", str(store),
            *([] if args.quick else ["--national-cache", str(args.cache_dir.resolve())]),
        )  # fmt: skip
        _log("plan indicators refresh and board pack")
        sections["indicators_md"] = _section_of("benchmarks.indicators")
    # Residents' public forms under 20 concurrent clients on a running production server (issue
    # #15), on SQLite and on PostgreSQL (at 127.0.0.1:5432; "not measured" without it).
    _log("residents' forms under load: production server, SQLite and PostgreSQL")
    sections["load_md"] = _section_of(
        "benchmarks.load", *(["--reports", "100", "--responses", "500"] if args.quick else [])
    )
    sections["load_end"] = _load()
    sections["total_seconds"] = time.perf_counter() - started
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report.render(sections), encoding="utf-8")
    if not args.quick:
        _saved(args.cache_dir).write_bytes(pickle.dumps(sections))
    _log(f"wrote {args.out} in {sections['total_seconds']:.0f} s")
    if not args.keep:
        shutil.rmtree(work / "stores", ignore_errors=True)
    return 0


def _section_of(module: str, *arguments: str) -> str:
    """Run a benchmark module that prints its own markdown section; its output, or why not."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", module, *arguments], cwd=REPO, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")}, timeout=3600,
    )  # fmt: skip
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:]
        return f"## {module}\n\nNot measured: the benchmark failed ({' '.join(tail)}).\n"
    return done.stdout


def _saved(cache_dir: Path) -> Path:
    """Where a full run keeps its measured sections for ``--only-import``."""
    return cache_dir.resolve() / "last-full-run.pickle"


def _rerun_import(args: argparse.Namespace) -> int:
    """Measure the import again and rewrite the report with the other sections kept."""
    saved = _saved(args.cache_dir)
    splice = not saved.exists()
    if splice and not args.out.exists():
        _log(f"no full run saved at {saved} and no {args.out}: run without --only-import first")
        return 2
    if splice:
        _log(f"no full run saved at {saved}: replacing §1 of {args.out}, keeping the rest as is")
        sections: dict[str, Any] = {"reps": 3}
    else:
        sections = pickle.loads(saved.read_bytes())  # our own file, written above
    work = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    shared = args.shared_data.resolve()
    load_before = _load()
    _log("import benchmark (rerun; other sections kept from the last full run)")
    started = time.perf_counter()
    sections["import"] = run_import(shared, work, reps=sections["reps"], quick=False)
    facts = run_child("machine").result
    sections["import_rerun"] = {
        "date": facts["date"],
        "load_start": load_before,
        "load_end": _load(),
        "minutes": (time.perf_counter() - started) / 60,
    }
    if splice:
        text = args.out.read_text(encoding="utf-8")
        rerun = sections["import_rerun"]
        args.out.write_text(
            report.splice_import(text, sections["import"], facts, rerun), encoding="utf-8"
        )
    else:
        args.out.write_text(report.render(sections), encoding="utf-8")
        saved.write_bytes(pickle.dumps(sections))
    _log(f"wrote {args.out}")
    if not args.keep:
        shutil.rmtree(work / "stores", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
