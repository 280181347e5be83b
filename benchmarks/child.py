"""Entry point of a benchmark child process: ``python -m benchmarks.child TASK ARGS RESULT``.

The parent (:func:`benchmarks._common.run_child`) writes the task's keyword arguments as JSON to
``ARGS``; the child runs the task, which times its own measured step, and writes the returned
dictionary as JSON to ``RESULT``. Heavy imports happen inside the tasks, so each contender's
peak memory includes only the libraries it really uses.
"""

from __future__ import annotations

import importlib
import json
import resource
import sys
from pathlib import Path

#: Task name -> "module:function" (modules inside the benchmarks package).
TASKS: dict[str, str] = {
    "baseline": "benchmarks.child:baseline",
    "machine": "benchmarks._common:machine",
    "duckdb_read_csv": "benchmarks.ingest:task_duckdb",
    "pandas_read_csv": "benchmarks.ingest:task_pandas",
    "polars_read_csv": "benchmarks.ingest:task_polars",
    "ours_stages": "benchmarks.ingest:task_stages",
    "ours_import": "benchmarks.ingest:task_ours",
    "load_geography": "benchmarks.ingest:task_load_geography",
    "csp_profile": "benchmarks.profile_csp:task_profile",
    "gi_star": "benchmarks.hotspots:task_gi_star",
    "generate_national": "benchmarks.national:task_generate",
    "national_queries": "benchmarks.national:task_queries",
    "assessment": "benchmarks.assessment:task_assessment",
}


def baseline(modules: list[str]) -> dict[str, object]:
    """Import ``modules`` and do nothing else: the memory floor of a child process."""
    for name in modules:
        importlib.import_module(name)
    return {"modules": modules}


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB.

    ``VmHWM`` from ``/proc/self/status`` belongs to the memory map created by ``exec``, so unlike
    ``ru_maxrss`` it does not include the parent's size at ``fork``. Elsewhere, ``ru_maxrss``.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    """Run one task and write its result; exit status 0 on success."""
    task, args_file, result_file = argv[1], Path(argv[2]), Path(argv[3])
    module_name, func_name = TASKS[task].split(":")
    func = getattr(importlib.import_module(module_name), func_name)
    kwargs = json.loads(args_file.read_text(encoding="utf-8"))
    result = func(**kwargs)
    result["peak_rss_mb"] = peak_rss_mb()
    result_file.write_text(json.dumps(result, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
