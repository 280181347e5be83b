"""CSP profile benchmark: ``crimestats.profile.csp_profile`` cold and warm on a store.

Cold is the first call in a fresh process (imports and the engine opened beforehand, timed on
their own); warm is the median of further calls on the same engine, as the web app keeps one
engine per process.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any


def task_profile(data_dir: str, area: str, months: int = 36, warm_reps: int = 5) -> dict[str, Any]:
    """Time ``csp_profile`` for ``area`` over ``months`` months on the store in ``data_dir``."""
    started = time.perf_counter()
    from crimestats.engines import open_engine
    from crimestats.profile import csp_profile
    from crimestats.query import Query
    from crimestats.store import Store

    imports = time.perf_counter() - started
    started = time.perf_counter()
    engine = open_engine(Store(Path(data_dir)))
    opened = time.perf_counter() - started
    started = time.perf_counter()
    result = csp_profile(engine, Query(area, months=months))
    cold = time.perf_counter() - started
    warm = []
    for _ in range(warm_reps):
        started = time.perf_counter()
        result = csp_profile(engine, Query(area, months=months))
        warm.append(time.perf_counter() - started)
    prov = result.provenance
    return {
        "imports_seconds": imports,
        "open_seconds": opened,
        "cold_seconds": cold,
        "warm_seconds": warm,
        "warm_median": statistics.median(warm) if warm else float("nan"),
        "area_label": result.area.label,
        "lsoas": len(result.area.lsoa_codes),
        "first_month": str(prov.data_months[0]),
        "last_month": str(prov.data_months[1]),
        "months_used": len(prov.months_used),
        "months_missing": len(prov.months_missing),
        "forces": list(prov.forces),
    }
