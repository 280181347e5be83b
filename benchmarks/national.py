"""National-scale benchmark on a generated store (:data:`crimestats.synthetic.NATIONAL`).

Generation runs in one child process; the queries run in a fresh one, through the product's own
connection (``Store.connect``, DuckDB settings left as the product leaves them) and the product's
``csp_profile``. Peak memory is that child's peak RSS.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import replace
from datetime import UTC, date, datetime
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


_DONE = "GENERATED.json"


def cache_key(spec: Any) -> str:
    """Folder name for ``spec``'s store: its fields and a hash of what decides its content.

    Hashed: the spec fields, the DuckDB version, the source of ``crimestats/synthetic.py`` and
    the store's street schema. A change to any of them gives a new key, so a stale store is never
    reused; a change to the store's catalogue is caught by :func:`_still_readable` instead.
    """
    import hashlib

    import duckdb

    from crimestats import synthetic
    from crimestats.store.schema import STREET_SCHEMA

    digest = hashlib.sha256()
    fields = {f: str(getattr(spec, f)) for f in spec.__slots__}
    digest.update(json.dumps(fields, sort_keys=True).encode())
    digest.update(duckdb.__version__.encode())
    digest.update(Path(synthetic.__file__).read_bytes())
    digest.update(str(STREET_SCHEMA).encode())
    return f"{spec.name}-{spec.n_months}m-{digest.hexdigest()[:12]}"


def _still_readable(data_dir: Path, summary: dict[str, Any]) -> bool:
    """True when today's store code reads the cached store's catalogue as generated."""
    from crimestats.store import Store

    try:
        parts = Store(data_dir).partitions("street")
    except Exception:  # noqa: BLE001 - any failure means "generate again"
        return False
    return len(parts) == summary["files"] and sum(p.rows for p in parts) == summary["rows"]


def task_generate(cache_dir: str, spec: str, months: int | None = None, fresh: bool = False
                  ) -> dict[str, Any]:  # fmt: skip
    """Generate the synthetic store under ``cache_dir``, or reuse one generated before.

    ``spec`` is a preset name; ``months`` shortens it (``--quick``). The store lives in
    ``cache_dir/<cache_key>``; it is generated in a temporary folder and renamed into place, and
    its summary (with the generation time and peak memory measured then) is kept in
    ``GENERATED.json`` beside it. A cached store is reused only if the store code of today
    still reads its catalogue with the same files and rows. Stores for other keys of the same
    preset and length are deleted.
    """
    import shutil

    from benchmarks.child import peak_rss_mb
    from crimestats import synthetic

    chosen = {"national": synthetic.NATIONAL, "demo": synthetic.DEMO}[spec]
    if months:
        chosen = replace(chosen, n_months=months)
    root = Path(cache_dir)
    key = cache_key(chosen)
    target = root / key
    done = target / _DONE
    if done.exists() and not fresh:
        result = json.loads(done.read_text(encoding="utf-8"))
        if _still_readable(target, result):
            return {**result, "cached": True, "data_dir": str(target)}
    root.mkdir(parents=True, exist_ok=True)
    for old in root.glob(f"{chosen.name}-{chosen.n_months}m-*"):
        shutil.rmtree(old, ignore_errors=True)
    work = root / f".{key}.partial"
    shutil.rmtree(work, ignore_errors=True)
    summary = synthetic.generate_store(work, chosen)
    result = {
        "seconds": summary.seconds,
        "rows": summary.rows,
        "files": summary.files,
        "bytes": summary.bytes_on_disk,
        "column_bytes": summary.column_bytes,
        "forces": len(summary.forces),
        "lads": len(summary.lad_codes),
        "lsoas": chosen.grid**2,
        "months": chosen.n_months,
        "categories": len(synthetic.CATEGORY_WEIGHTS),
        "first_month": str(chosen.first_month),
        "last_month": str(chosen.months[-1]),
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),  # noqa: TID251 run date
        "generation_peak_rss_mb": peak_rss_mb(),
        "key": key,
    }
    (work / _DONE).write_text(json.dumps(result, indent=2), encoding="utf-8")
    work.rename(target)
    return {**result, "cached": False, "data_dir": str(target)}


def task_queries(data_dir: str, area: str, warm_reps: int = 3) -> dict[str, Any]:
    """Time ``csp_profile`` (cold, then warm) and the national aggregates in one process."""
    started = time.perf_counter()
    from crimestats.engines import open_engine
    from crimestats.profile import csp_profile
    from crimestats.query import Query
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
    spent = _instrument(store, engine)
    started = time.perf_counter()
    profile = csp_profile(engine, Query(area, months=36))
    steps[f"csp_profile {area}, 36 months (first call)"] = time.perf_counter() - started
    first_call_breakdown = {k: list(v) for k, v in spent.items()}
    for value in spent.values():
        value[:] = [0, 0.0]
    warm = []
    for _ in range(warm_reps):
        started = time.perf_counter()
        csp_profile(engine, Query(area, months=36))
        warm.append(time.perf_counter() - started)
    warm_breakdown = {k: [v[0] / max(warm_reps, 1), v[1] / max(warm_reps, 1)]
                      for k, v in spent.items()}  # fmt: skip
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
        "first_call_breakdown": first_call_breakdown,
        "warm_breakdown": warm_breakdown,
    }


def _instrument(store: Any, engine: Any) -> dict[str, list[Any]]:
    """Count calls and time spent in the store's file listing and in engine queries.

    Wraps ``store.files`` (the catalogue read behind every ``engine.street``) and
    ``engine.fetch`` (every query the measures run) on these two objects only, so the report can
    say where the time of a profile call goes. Returns ``{name: [calls, seconds]}``, updated
    live.
    """
    spent: dict[str, list[Any]] = {"Store.files": [0, 0.0], "Engine.fetch": [0, 0.0]}

    def wrap(obj: Any, attr: str, name: str) -> None:
        inner = getattr(obj, attr)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[name][0] += 1
                spent[name][1] += time.perf_counter() - started

        setattr(obj, attr, timed)

    wrap(store, "files", "Store.files")
    wrap(engine, "fetch", "Engine.fetch")
    return spent
