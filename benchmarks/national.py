"""National-scale benchmark on a generated store (:data:`crimestats.synthetic.NATIONAL`).

Generation runs in one child process; the queries run in a fresh one, through the product's own
connection (``Store.connect``, DuckDB settings left as the product leaves them) and the product's
``csp_profile``. Peak memory is that child's peak RSS.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

#: National aggregates, in the order run. ``{last}`` and ``{first12}`` are month literals.
QUERIES: dict[str, str] = {
    "counts by force × month × category, all 10 years": """
        SELECT force, month, crime_type, count(*) AS crimes
        FROM street GROUP BY ALL ORDER BY ALL""",
    "top 20 LSOAs nationally, all crime, latest 12 months": """
        SELECT lsoa21_code, count(*) AS crimes FROM street
        WHERE month BETWEEN DATE '{first12}' AND DATE '{last}'
          AND crime_type <> 'anti-social-behaviour' AND lsoa21_code IS NOT NULL
        GROUP BY 1 ORDER BY crimes DESC, lsoa21_code LIMIT 20""",
    "all-crime rate per 1,000 by police force area, latest 12 months": """
        WITH c AS (
            SELECT l.pfa_code, count(*) AS crimes FROM street s
            JOIN lsoa l ON l.lsoa21_code = s.lsoa21_code
            WHERE s.month BETWEEN DATE '{first12}' AND DATE '{last}'
              AND s.crime_type <> 'anti-social-behaviour'
            GROUP BY 1),
        p AS (
            SELECT l.pfa_code, sum(p.population) AS population FROM population p
            JOIN lsoa l USING (lsoa21_code) WHERE p.year = 2021 GROUP BY 1)
        SELECT pfa_code, crimes, population, crimes * 1000.0 / population AS rate_per_1000
        FROM c JOIN p USING (pfa_code) ORDER BY pfa_code""",
}


def task_generate(data_dir: str, spec: str, months: int | None = None) -> dict[str, Any]:
    """Generate the synthetic store (``spec`` = preset name; ``months`` shortens it for --quick)."""
    from crimestats import synthetic

    chosen = {"national": synthetic.NATIONAL, "demo": synthetic.DEMO}[spec]
    if months:
        chosen = replace(chosen, n_months=months)
    summary = synthetic.generate_store(Path(data_dir), chosen)
    return {
        "seconds": summary.seconds,
        "rows": summary.rows,
        "files": summary.files,
        "bytes": summary.bytes_on_disk,
        "column_bytes": summary.column_bytes,
        "forces": len(summary.forces),
        "lads": len(summary.lad_codes),
        "lsoas": chosen.grid**2,
        "months": chosen.n_months,
        "first_month": str(chosen.first_month),
        "last_month": str(chosen.months[-1]),
    }


def task_queries(data_dir: str, area: str, warm_reps: int = 3) -> dict[str, Any]:
    """Time ``csp_profile`` (cold, then warm) and the national aggregates in one process."""
    started = time.perf_counter()
    from crimestats.engines import open_engine
    from crimestats.profile import csp_profile
    from crimestats.store import Store

    imports = time.perf_counter() - started
    steps: dict[str, float] = {}
    started = time.perf_counter()
    store = Store(Path(data_dir))
    con = store.connect()
    engine = open_engine(store)
    steps["open the store (catalogue, views, geography)"] = time.perf_counter() - started
    settings = con.execute(
        "SELECT current_setting('threads'), current_setting('memory_limit')"
    ).fetchone()
    started = time.perf_counter()
    profile = csp_profile(engine, area, months=36)
    steps[f"csp_profile {area}, 36 months (first call)"] = time.perf_counter() - started
    warm = []
    for _ in range(warm_reps):
        started = time.perf_counter()
        csp_profile(engine, area, months=36)
        warm.append(time.perf_counter() - started)
    last = con.execute("SELECT max(month) FROM street").fetchone()[0]  # type: ignore[index]
    first12 = date(last.year - (last.month < 12), (last.month % 12) + 1, 1)
    answers: dict[str, int] = {}
    for name, sql in QUERIES.items():
        started = time.perf_counter()
        table = con.execute(sql.format(last=last, first12=first12)).to_arrow_table()
        steps[name] = time.perf_counter() - started
        answers[name] = table.num_rows
    total_rows = con.execute("SELECT count(*) FROM street").fetchone()[0]  # type: ignore[index]
    return {
        "imports_seconds": imports,
        "steps": steps,
        "warm_profile_seconds": warm,
        "warm_profile_median": statistics.median(warm) if warm else float("nan"),
        "answers": answers,
        "threads": settings[0] if settings else None,
        "memory_limit": settings[1] if settings else None,
        "rows_in_store": total_rows,
        "profile_months_used": len(profile.provenance.months_used),
        "profile_lsoas": len(profile.area.lsoa_codes),
        "profile_label": profile.area.label,
    }
