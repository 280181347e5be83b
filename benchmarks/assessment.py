"""Strategic assessment benchmark: build with PDF for North West Leicestershire (real data) and
for the synthetic 120-LSOA CSP of the national store (issue #13: < 20 s and < 60 s).

Each build runs in a fresh process (:func:`benchmarks._common.run_child`): imports and opening
the engine are timed on their own; "build" is :func:`build_assessment` (the engine's questions,
charts, matrix) and "PDF" is :func:`render_pdf`. CPU seconds are given beside the wall clock,
since the machine may be shared.

Usage::

    python -m benchmarks.assessment --store DIR [--national-cache DIR] [--national-months N]

``--store``: a data folder with the Leicestershire and Derbyshire street files imported (e.g. the
one ``make bench`` builds, or ``saferplaces data import``). The national store is generated once
into ``--national-cache`` (see :mod:`benchmarks.national`); ``--national-months`` shortens it.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

NWL = "E07000134"
SYNTHETIC_CSP = "E22900100"  # about 120 LSOAs in the middle of the national lattice (run.py)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def task_assessment(data_dir: str, area: str, last: str | None = None) -> dict[str, Any]:
    """Time one assessment build and its PDF, HTML and XLSX in this (fresh) process."""
    started = time.perf_counter()
    from crimestats.engines import open_engine
    from crimestats.store import Store
    from saferplaces_reports.assessment import (
        AssessmentOptions,
        build_assessment,
        render_html,
        render_pdf,
        render_xlsx,
    )

    imports = time.perf_counter() - started
    engine = open_engine(Store(Path(data_dir)))
    last_month = date.fromisoformat(last + "-01") if last else None
    cpu0, t0 = _cpu(), time.perf_counter()
    now = datetime.now(UTC)  # noqa: TID251 - the benchmark's own clock
    doc = build_assessment(engine, AssessmentOptions(area, last_month=last_month), now=now)
    t1, cpu1 = time.perf_counter(), _cpu()
    pdf = render_pdf(doc)
    t2, cpu2 = time.perf_counter(), _cpu()
    html, xlsx = render_html(doc), render_xlsx(doc)
    t3 = time.perf_counter()
    engine.close()
    return {
        "area": f"{doc.area_name} ({doc.area_code})",
        "period": f"{doc.period[0]:%Y-%m} to {doc.period[1]:%Y-%m}",
        "imports_seconds": imports,
        "build_seconds": t1 - t0,
        "build_cpu_seconds": cpu1 - cpu0,
        "pdf_seconds": t2 - t1,
        "pdf_cpu_seconds": cpu2 - cpu1,
        "html_xlsx_seconds": t3 - t2,
        "total_seconds": t2 - t0,
        "pdf_bytes": len(pdf),
        "html_bytes": len(html),
        "xlsx_bytes": len(xlsx),
    }


def _row(label: str, run: Any, target: float) -> str:
    if not run.ok:
        return f"| {label} | not run: {run.error} | | | |"
    r = run.result
    total = r["total_seconds"]
    verdict = "met" if total < target else "NOT met"
    return (
        f"| {label}: {r['area']}, {r['period']} | {r['build_seconds']:.1f} s "
        f"(CPU {r['build_cpu_seconds']:.1f} s) | {r['pdf_seconds']:.1f} s "
        f"(CPU {r['pdf_cpu_seconds']:.1f} s) | {total:.1f} s | < {target:.0f} s: {verdict} |"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the two builds and print a markdown section with the measured figures."""
    from benchmarks._common import run_child

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--national-cache", type=Path, default=None)
    parser.add_argument("--national-months", type=int, default=None)
    args = parser.parse_args(argv)
    nwl = run_child(
        "assessment", data_dir=str(args.store.resolve()), area=NWL, last="2025-12", timeout=600
    )
    lines = [
        "## Strategic assessment build with PDF",
        "",
        f"Machine: {_cpu_model()}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}; measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",  # noqa: TID251
        "",
        "| Build | Engine and drafting | PDF | Build + PDF | Target |",
        "|---|---|---|---|---|",
        _row("Real data", nwl, 20),
    ]
    if args.national_cache is not None:
        gen = run_child(
            "generate_national", cache_dir=str(args.national_cache.resolve()), spec="national",
            months=args.national_months, timeout=3600,
        )  # fmt: skip
        if gen.ok:
            national = run_child(
                "assessment", data_dir=gen.result["data_dir"], area=SYNTHETIC_CSP, timeout=900
            )
            months = gen.result["months"]
            lines.append(_row(f"Synthetic national store ({months} months)", national, 60))
        else:
            lines.append(f"| Synthetic national store | not run: {gen.error} | | | |")
    print("\n".join(lines))  # noqa: T201 - the benchmark's report
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
