"""Calibration of the Gi* hot-spot verdict under spatial randomness (issue #11, §10.6).

Truth: no spatial pattern. Every unit (LSOA) of a map draws its count independently from the
same distribution — Poisson, or negative binomial with variance φ·λ — with mean λ, the grid
point's λ read as the expected count per LSOA for the mapped period (seasonality and trend
scale every unit alike, so they do not change a single map; those grid points repeat the
stationary draw). Two real-shaped adjacencies are used: North West Leicestershire's 60 LSOAs
(queen contiguity, stored in ``crimestats/data/nwl_lsoa_adjacency.json``) and an 8 × 8 queen
lattice (libpysal ``lat2W``).

A false alarm is a map on which the platform flags any hot or cold spot at the 95 % level or
above (Benjamini–Hochberg adjusted p ≤ 0.05). Under the global null every discovery is false,
so the false discovery rate BH controls equals the probability of any flag: nominal 5 %.
The platform's own :func:`crimestats.methods.hotspots.getis_ord_gi_star` is run on every map
with the options the measures use (Gi* of the ranks, refusal below
:data:`~crimestats.methods.hotspots.MIN_NONZERO_SHARE`); ``reported`` is the share of maps it
tested. ``calibrate(..., scores="values", min_nonzero_share=0)`` measures the esda statistic
on raw counts for comparison (it cries wolf on sparse and overdispersed counts).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import numpy as np
from scipy import sparse

from crimestats.calibration.grid import CalibrationRow, GridPoint, draw_counts
from crimestats.methods.hotspots import MIN_NONZERO_SHARE, getis_ord_gi_star

__all__ = ["GRAPHS", "NOMINAL", "calibrate", "graph"]

NOMINAL = 0.05
GRAPHS = ("nwl", "lattice")
VERDICT = "Gi* hot/cold spot (any flag at q = 0.05)"


@cache
def graph(name: str) -> sparse.csr_array:
    """Binary adjacency (no self-loops): ``"nwl"`` (60 LSOAs) or ``"lattice"`` (8 × 8 queen)."""
    if name == "nwl":
        text = resources.files("crimestats").joinpath("data/nwl_lsoa_adjacency.json")
        data = json.loads(text.read_text("utf-8"))
        n = len(data["lsoa21_codes"])
        edges = np.asarray(data["edges"], dtype=np.int64)
        rows = np.concatenate([edges[:, 0], edges[:, 1]])
        cols = np.concatenate([edges[:, 1], edges[:, 0]])
    elif name == "lattice":
        side = 8
        n = side * side
        pairs = [
            (r * side + c, rr * side + cc)
            for r in range(side) for c in range(side)
            for rr in range(max(0, r - 1), min(side, r + 2))
            for cc in range(max(0, c - 1), min(side, c + 2))
            if (rr, cc) != (r, c)
        ]  # fmt: skip
        rows = np.array([a for a, _ in pairs])
        cols = np.array([b for _, b in pairs])
    else:
        raise ValueError(f"unknown graph {name!r}; one of {GRAPHS}")
    matrix = sparse.csr_array((np.ones(rows.size, dtype=np.int64), (rows, cols)), shape=(n, n))
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


#: At least this many tested maps before a false-alarm rate is reported (see ``calibrate``).
MIN_TESTED = 200
MAX_DRAW_FACTOR = 20


def calibrate(
    points: list[GridPoint],
    n_sims: int,
    rng: np.random.Generator,
    *,
    graphs: tuple[str, ...] = GRAPHS,
    scores: str = "ranks",
    min_nonzero_share: float = MIN_NONZERO_SHARE,
) -> list[CalibrationRow]:
    """False-alarm rate of the hot-spot verdict at each grid point, per adjacency."""
    rows = []
    done: dict[tuple[str, float, float], tuple[float, float | None, int, int]] = {}
    for point in points:
        for name in graphs:
            key = (name, point.lam, point.phi)
            if key not in done:
                adjacency = graph(name)
                n = adjacency.shape[0]
                tested = alarms = drawn = 0
                # Where most maps are refused, the few tested ones would give a rate from a
                # handful of maps (2 alarms in 10 read as 20 %): draw more maps, up to
                # MAX_DRAW_FACTOR times as many, until MIN_TESTED of them were tested.
                while drawn < n_sims or (tested < MIN_TESTED and drawn < MAX_DRAW_FACTOR * n_sims):
                    maps = draw_counts(np.full(n, point.lam), point.phi, n_sims, rng)
                    drawn += n_sims
                    for y in maps:
                        r = getis_ord_gi_star(
                            y.astype(float), adjacency, scores=scores,
                            min_nonzero_share=min_nonzero_share,
                        )  # fmt: skip
                        if r.n_testable == 0:
                            continue
                        tested += 1
                        alarms += bool(np.any(np.abs(r.bins) >= 2))
                # Fewer than MIN_TESTED tested maps, even after drawing many more: the platform
                # almost never reports here, and a rate from so few maps is not an estimate.
                rate = alarms / tested if tested >= MIN_TESTED else None
                done[key] = (tested / drawn, rate, drawn, tested)
            reported, rate, drawn, tested = done[key]
            note = f"{name} graph; {tested} maps tested of {drawn} drawn"
            if 0 < tested < MIN_TESTED:
                note += f" (too few tested maps to estimate a rate; {MIN_TESTED} needed)"
            if reported < 1.0:
                note += (
                    f"; not tested on {1 - reported:.0%} of maps (fewer than "
                    f"{min_nonzero_share:.0%} of LSOAs with a crime)"
                )
            rows.append(CalibrationRow(VERDICT, point, drawn, reported, rate, NOMINAL, None, note))
    return rows
