"""Gi* benchmark: ``crimestats.methods.hotspots.getis_ord_gi_star`` against ``esda.G_Local``.

Both get the same binary weights, built once and not timed in the comparison: ours a SciPy CSR
adjacency, esda a ``libpysal.weights.W`` made from the same neighbour lists. esda is called as
the methods reference §5.2 prescribes (``transform="B", star=True, permutations=0``); its time
includes what it does to the weights (adding the self-weight, the binary transform). Ours also
does the Benjamini–Hochberg correction and the confidence bins, which esda does not.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any


def _time(func: Any, reps: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(reps):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return times, result


def _force_inputs(data_dir: str, pfa: str, year: int | None) -> dict[str, Any]:
    """Adjacency and all-crime counts per LSOA for a police force area, from the real store.

    ``year`` defaults to the latest calendar year held.
    """
    import numpy as np

    from crimestats.areas import resolve_area
    from crimestats.categories import CRIME_SLUGS
    from crimestats.engines import open_engine
    from crimestats.measures.hotspots import area_adjacency
    from crimestats.store import Store

    engine = open_engine(Store(Path(data_dir)))
    area = resolve_area(engine, pfa)
    started = time.perf_counter()
    adjacency, islands, _ = area_adjacency(engine, area)
    build = time.perf_counter() - started
    codes = list(area.lsoa_codes)
    con = Store(Path(data_dir)).connect()
    if year is None:
        year = con.execute("SELECT year(max(month)) FROM street").fetchone()[0]  # type: ignore[index]
    counts = dict(
        con.execute(
            "SELECT lsoa21_code, count(*) FROM street WHERE year(month) = ? "
            "AND crime_type IN (SELECT unnest(?)) GROUP BY 1",
            [year, list(CRIME_SLUGS)],
        ).fetchall()
    )
    y = np.array([counts.get(c, 0) for c in codes], dtype=float)
    return {"adjacency": adjacency, "y": y, "build": build, "islands": islands.num_rows,
            "label": f"{area.label} ({pfa}), all crime {year}"}  # fmt: skip


def _lattice_inputs(grid: int, seed: int) -> dict[str, Any]:
    """Adjacency of the synthetic national lattice and Poisson counts with a spatial pattern."""
    import numpy as np

    from crimestats.methods.hotspots import adjacency_from_neighbours
    from crimestats.synthetic import NATIONAL, SyntheticSpec, synthetic_geography

    spec = SyntheticSpec("gi", grid, NATIONAL.lad_block, NATIONAL.n_forces,
                         NATIONAL.first_month, 1, 1, seed)  # fmt: skip
    geo = synthetic_geography(spec)
    codes = geo["lsoa"]["lsoa21_code"].to_pylist()
    index = {c: i for i, c in enumerate(codes)}
    left = np.array([index[c] for c in geo["lsoa_neighbours"]["lsoa21_code"].to_pylist()])
    right = np.array([index[c] for c in geo["lsoa_neighbours"]["neighbour_code"].to_pylist()])
    started = time.perf_counter()
    lists = np.split(right, np.searchsorted(left, np.arange(1, len(codes))))
    adjacency = adjacency_from_neighbours([row.tolist() for row in lists])
    build = time.perf_counter() - started
    rank = np.asarray(geo["lsoa"]["imd_rank"])  # ranks follow the lattice's crime intensity
    rng = np.random.default_rng(seed)
    y = rng.poisson(5 + 60 * (1 - rank / rank.size) ** 3).astype(float)
    return {"adjacency": adjacency, "y": y, "build": build, "islands": 0,
            "label": f"synthetic lattice {grid} x {grid}, Poisson counts"}  # fmt: skip


def task_gi_star(
    mode: str,
    reps: int,
    data_dir: str = "",
    pfa: str = "",
    year: int | None = None,
    grid: int = 189,
) -> dict[str, Any]:
    """Time esda and ours on the same weights; report the largest z difference."""
    import esda
    import libpysal
    import numpy as np

    from crimestats.methods.hotspots import getis_ord_gi_star

    if mode == "force":
        inputs = _force_inputs(data_dir, pfa, year)
    else:
        inputs = _lattice_inputs(grid, seed=20_251_201)
    adjacency, y = inputs["adjacency"], inputs["y"]
    n = y.size
    started = time.perf_counter()
    neighbours = {i: adjacency.indices[adjacency.indptr[i] : adjacency.indptr[i + 1]].tolist()
                  for i in range(n)}  # fmt: skip
    w = libpysal.weights.W(neighbours, silence_warnings=True)
    w_build = time.perf_counter() - started
    esda_times, g = _time(
        lambda: esda.G_Local(y, w, transform="B", star=True, permutations=0), reps
    )
    ours_times, ours = _time(lambda: getis_ord_gi_star(y, adjacency), reps)
    # Where y is constant esda's z is undefined (nan) and ours is 0 by design (§5.2): compare
    # only where esda defines z, and count the rest.
    esda_z = np.asarray(g.Zs, dtype=float)
    defined = np.isfinite(esda_z)
    diff = float(np.max(np.abs(esda_z[defined] - ours.z[defined]))) if defined.any() else 0.0
    return {
        "label": inputs["label"],
        "n": int(n),
        "links": int(adjacency.nnz),
        "islands_attached": int(inputs["islands"]),
        "ours_build_seconds": inputs["build"],
        "w_build_seconds": w_build,
        "esda_seconds": esda_times,
        "ours_seconds": ours_times,
        "esda_median": statistics.median(esda_times),
        "ours_median": statistics.median(ours_times),
        "max_abs_z_diff": diff,
        "z_undefined_in_esda": int((~defined).sum()),
        "hot_spots": int((ours.bins > 0).sum()),
    }
