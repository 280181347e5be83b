"""Shared helpers: run a task in a fresh process and read its peak memory, machine facts, stats."""

from __future__ import annotations

import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class ChildRun:
    """One task run in a fresh interpreter.

    ``result`` is what the task returned (its own timings of the measured step, counts);
    ``peak_rss_mb`` is the child's peak resident set size (``VmHWM`` read by the child, the whole
    process with interpreter and imports; ``wait4``'s ``ru_maxrss`` if the child failed, which
    can include the parent's size at fork); ``wall_seconds`` covers start-up to exit.
    """

    task: str
    result: dict[str, Any]
    peak_rss_mb: float
    wall_seconds: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the child exited cleanly and returned a result."""
        return self.error is None


def run_child(task: str, *, timeout: float = 900.0, **kwargs: Any) -> ChildRun:
    """Run ``benchmarks.child <task>`` with JSON ``kwargs`` in a new process and wait for it.

    Peak memory is per child (never ``RUSAGE_CHILDREN``, which mixes all children): the child's
    own ``VmHWM``, falling back to ``os.wait4``'s ``ru_maxrss`` for that child.
    """
    with tempfile.TemporaryDirectory(prefix="saferplaces-bench-") as tmp:
        args_file, result_file = Path(tmp) / "args.json", Path(tmp) / "result.json"
        args_file.write_text(json.dumps(kwargs, default=str), encoding="utf-8")
        err_file = Path(tmp) / "stderr.txt"
        started = time.perf_counter()
        with open(err_file, "wb") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.child", task, str(args_file), str(result_file)],
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
            status, usage = 0, None
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() - started > timeout:
                    proc.send_signal(signal.SIGKILL)
                    _, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.02)
            proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        peak = usage.ru_maxrss / 1024 if usage is not None else float("nan")
        error = None
        if proc.returncode != 0 or not result_file.exists():
            tail = err_file.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-8:]
            error = f"exit {proc.returncode}: " + " | ".join(tail)
            return ChildRun(task, {}, peak, wall, error)
        result = json.loads(result_file.read_text(encoding="utf-8"))
        return ChildRun(task, result, float(result.get("peak_rss_mb", peak)), wall)


@dataclass(slots=True)
class Series:
    """Repeated timings of one contender, with the peak memory of each run."""

    name: str
    seconds: list[float] = field(default_factory=list)
    peak_rss_mb: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)

    def add(self, seconds: float, peak_rss_mb: float, cpu_seconds: float | None = None) -> None:
        """Record one run (``cpu_seconds``: CPU time of the process over the timed step)."""
        self.seconds.append(seconds)
        self.peak_rss_mb.append(peak_rss_mb)
        if cpu_seconds is not None:
            self.cpu_seconds.append(cpu_seconds)

    @property
    def cpu_median(self) -> float:
        """The median CPU seconds of the runs (all threads of the process), NaN if not measured."""
        cpu = getattr(self, "cpu_seconds", None)  # absent in results saved by older runs
        return statistics.median(cpu) if cpu else float("nan")

    @property
    def best(self) -> float:
        """The fastest run (seconds)."""
        return min(self.seconds) if self.seconds else float("nan")

    @property
    def median(self) -> float:
        """The median run (seconds)."""
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def peak(self) -> float:
        """The largest peak RSS over the runs (MiB)."""
        return max(self.peak_rss_mb) if self.peak_rss_mb else float("nan")


def machine() -> dict[str, str]:
    """CPU, cores, memory, OS and library versions, for the report header."""
    import duckdb
    import numpy
    import pandas
    import polars
    import psutil
    import pyarrow
    import scipy

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))} (kernel {platform.release()})"
    except OSError:
        pass
    try:
        import esda
        import libpysal

        spatial = f"esda {esda.__version__}, libpysal {libpysal.__version__}"
    except ImportError:
        spatial = "esda not installed"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),  # noqa: TID251 run date
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "os": os_name,
        "python": platform.python_version(),
        "libraries": (
            f"DuckDB {duckdb.__version__}, pandas {pandas.__version__}, Polars "
            f"{polars.__version__}, pyarrow "
            f"{pyarrow.__version__}, numpy {numpy.__version__}, scipy {scipy.__version__}, "
            f"{spatial}"
        ),
    }


def fmt_rate(rows: float, seconds: float) -> str:
    """Rows per second as ``1,234,567``."""
    if not seconds or seconds != seconds:
        return "–"
    return f"{rows / seconds:,.0f}"


def fmt_s(seconds: float) -> str:
    """Seconds with three significant decimals."""
    if seconds != seconds:
        return "–"
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def verdict(met: bool) -> str:
    """The words used in every target table."""
    return "**met**" if met else "**missed**"
