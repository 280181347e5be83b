"""Synthetic police.uk street data and geography, clearly labelled, for demos and scale tests.

Two presets share one generator:

* :data:`DEMO` — one small force with four local authorities (one of them the demo partnership),
  144 LSOAs and 36 months. The demo loader uses it when ``../shared/data`` is absent.
* :data:`NATIONAL` — an England-and-Wales-sized store for the benchmarks (issue #3): 43 forces,
  289 local authorities / community safety partnerships, 35,721 LSOAs and 120 months of about
  520,000 street rows a month (about 62 million rows).

**Everything synthetic is marked as such** so it can never be mistaken for, or joined to, real
data:

* force slugs are ``synthetic-NN`` (``synthetic-demo`` for the demo) and force names end in
  "(synthetic)";
* area codes keep the ONS form (entity code and six digits, so the product's code patterns
  for LSOAs accept them) but start their number at ``900001``: LSOA
  ``E01900001``, ward ``E05900001``, LAD ``E07900001``, CSP ``E22900001``, police force area
  ``E23900001``. ONS numbers each entity's codes upward from ``000001`` and the highest in use
  are far below that (LSOAs reach about ``E01035700``, wards ``E05015xxx``, LADs ``E07000246``),
  so a synthetic code cannot be a real area: a code whose fourth character is ``9`` is
  synthetic (ADR 0008);
* names start with "Synthetic", and every street row's ``source_file`` starts with
  ``synthetic/``;
* the data folder holds a marker file, :data:`MARKER_FILE` (``SYNTHETIC-DATA.json``), saying
  what generated it; :func:`is_synthetic` reads it, so the product can label every page.

:func:`generate_demo_dataset` is what ``make run`` uses when the real shared data is absent: the
:data:`DEMO` preset, whose fictional partnership is "Synthetic CSP 001" (:data:`DEMO_CSP_CODE`,
local authority :data:`DEMO_LAD_CODE`) in the force ``synthetic-demo``.

The rows are generated inside DuckDB with SQL. Randomness comes from ``hash(seed, ...)`` rather
than ``random()``, so the output depends only on the seed (and the DuckDB version), not on the
number of threads. Category shares are the real Leicestershire shares (all 485,443 street rows in
``../shared/data/police-uk``); location points sit on a lattice; about 2.6 % of rows have no
location, as in the real files.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from crimestats.months import add_months, parse_month
from crimestats.store.catalogue import Catalogue, CatalogueEntry
from crimestats.store.writer import (
    catalogue_path,
    commit_partition,
    import_lock,
    partition_folder,
    relative_to_store,
    store_dir,
)

__all__ = [
    "DEMO",
    "DEMO_CSP_CODE",
    "DEMO_LAD_CODE",
    "FORCE_PREFIX",
    "MARKER_FILE",
    "NATIONAL",
    "SyntheticSpec",
    "SyntheticSummary",
    "generate_demo_dataset",
    "generate_store",
    "is_synthetic",
    "is_synthetic_force",
    "store_is_synthetic",
    "synthetic_geography",
]

#: Written into the data folder by :func:`generate_store`: the store is synthetic.
MARKER_FILE = "SYNTHETIC-DATA.json"
#: Every generated force's slug starts so (ADR 0008); see :func:`is_synthetic_force`.
FORCE_PREFIX = "synthetic-"

#: Street rows per category in all Leicestershire files of the shared data pack (data README §2),
#: used as the category mix of synthetic rows.
CATEGORY_WEIGHTS: dict[str, int] = {
    "anti-social-behaviour": 55_107,
    "bicycle-theft": 7_310,
    "burglary": 23_665,
    "criminal-damage-arson": 45_885,
    "drugs": 14_261,
    "other-crime": 10_599,
    "other-theft": 35_362,
    "possession-of-weapons": 3_927,
    "public-order": 50_561,
    "robbery": 3_862,
    "shoplifting": 23_792,
    "theft-from-the-person": 3_732,
    "vehicle-crime": 31_634,
    "violent-crime": 175_746,
}

#: Last outcomes of Leicestershire crimes in 2025 (rows per outcome), for non-ASB rows.
OUTCOME_WEIGHTS: dict[str, int] = {
    "Investigation complete; no suspect identified": 38_736,
    "Unable to prosecute suspect": 31_583,
    "Court result unavailable": 5_602,
    "Local resolution": 3_408,
    "Awaiting court outcome": 3_090,
    "Action to be taken by another organisation": 2_825,
    "Status update unavailable": 2_628,
    "Formal action is not in the public interest": 1_649,
    "Further action is not in the public interest": 1_106,
    "Offender given a caution": 807,
    "Further investigation is not in the public interest": 462,
    "Suspect charged as part of another case": 72,
}

UNLOCATED_SHARE = 0.026  # 12,816 of 485,443 Leicestershire rows have no location
POINTS_PER_SIDE = 4  # map points per LSOA = POINTS_PER_SIDE ** 2
_U64 = 18446744073709551616.0  # 2 ** 64: turns a DuckDB hash into a uniform in [0, 1)


@dataclass(frozen=True, slots=True)
class SyntheticSpec:
    """The size and shape of a synthetic store.

    The LSOAs are a ``grid`` × ``grid`` lattice; each local authority (one CSP each) is a block of
    ``lad_block`` × ``lad_block`` LSOAs; local authorities are dealt to ``n_forces`` forces in
    contiguous runs. ``rows_per_month`` is the expected number of street rows (ASB included) over
    all forces in a month.
    """

    name: str
    grid: int
    lad_block: int
    n_forces: int
    first_month: date
    n_months: int
    rows_per_month: int
    seed: int = 20_251_201

    @property
    def months(self) -> list[date]:
        """The first day of every month covered, oldest first."""
        return [add_months(self.first_month, i) for i in range(self.n_months)]

    def force_slug(self, index: int) -> str:
        """The slug of force ``index`` (0-based)."""
        return f"{FORCE_PREFIX}demo" if self.n_forces == 1 else f"{FORCE_PREFIX}{index + 1:02d}"


#: One small force, four local authorities of 36 LSOAs, 36 months, about 2,400 rows a month.
DEMO = SyntheticSpec("demo", 12, 6, 1, date(2023, 1, 1), 36, 2_400)
#: England and Wales size: 43 forces, 289 local authorities, 35,721 LSOAs, 120 months, ~62 M rows.
NATIONAL = SyntheticSpec("national", 189, 11, 43, date(2016, 1, 1), 120, 520_000)
#: The fictional partnership of the demo dataset (local authority 1 of :data:`DEMO`, its own CSP).
DEMO_CSP_CODE = "E22900001"
DEMO_LAD_CODE = "E07900001"


@dataclass(frozen=True, slots=True)
class SyntheticSummary:
    """What :func:`generate_store` wrote."""

    spec: SyntheticSpec
    rows: int
    files: int
    bytes_on_disk: int
    seconds: float
    forces: tuple[str, ...]
    lad_codes: tuple[str, ...]
    store_dir: Path
    geography_dir: Path
    column_bytes: dict[str, int]  # compressed bytes per street column, over all files


def _code(prefix: str, numbers: np.ndarray) -> np.ndarray:
    """Synthetic ONS-form codes: entity prefix, the marker ``9`` and five digits."""
    return np.char.add(f"{prefix}9", np.char.zfill(numbers.astype(str), 5))


@dataclass(frozen=True, slots=True)
class _Lattice:
    """The LSOA lattice as arrays (index = LSOA number - 1)."""

    row: np.ndarray
    col: np.ndarray
    lad: np.ndarray  # local authority index of each LSOA
    lad_force: np.ndarray  # force index of each local authority
    intensity: np.ndarray  # relative expected crime per LSOA
    lon: np.ndarray
    lat: np.ndarray


# Cell size (degrees) so that the national lattice spans roughly England and Wales; smaller
# lattices are centred on the same point.
_DLON, _DLAT, _CENTRE_LON, _CENTRE_LAT = 7.0 / 189, 5.6 / 189, -1.9, 52.9


def _lattice(spec: SyntheticSpec) -> _Lattice:
    rng = np.random.default_rng(spec.seed)
    g, b = spec.grid, spec.lad_block
    idx = np.arange(g * g)
    row, col = idx // g, idx % g
    per_side = max(1, g // b)
    lad_r, lad_c = np.minimum(row // b, per_side - 1), np.minimum(col // b, per_side - 1)
    # Snake order so consecutive local authorities (and so each force) are contiguous.
    lad = lad_r * per_side + np.where(lad_r % 2 == 0, lad_c, per_side - 1 - lad_c)
    n_lads = per_side**2
    lad_force = (np.arange(n_lads) * spec.n_forces) // n_lads
    # Crime intensity: lognormal noise times a bump at each local authority's centre (a town).
    height = np.where(lad_r == per_side - 1, g - lad_r * b, b)
    width = np.where(lad_c == per_side - 1, g - lad_c * b, b)
    dist2 = (row - lad_r * b + 0.5 - height / 2) ** 2 + (col - lad_c * b + 0.5 - width / 2) ** 2
    intensity = np.exp(0.5 * rng.standard_normal(g * g)) * (1.0 + 5.0 * np.exp(-dist2 / 4.5))
    lon = _CENTRE_LON + (col + 0.5 - g / 2) * _DLON
    lat = _CENTRE_LAT + (g / 2 - row - 0.5) * _DLAT
    return _Lattice(row, col, lad, lad_force, intensity, lon, lat)


def synthetic_geography(spec: SyntheticSpec) -> dict[str, pa.Table]:
    """Build the synthetic geography as the store's geography tables (vectorised).

    Returns
    -------
    dict of pyarrow.Table
        ``lsoa``, ``population`` (year 2021), ``lsoa11_to_21`` (empty), ``lsoa_neighbours``
        (queen contiguity on the lattice, both directions), ``lsoa_islands`` (empty) and
        ``lsoa_geometry`` (square cells), with the columns of
        :data:`crimestats.store.GEOGRAPHY_COLUMNS`. Each local authority is its own CSP.
    """
    lat = _lattice(spec)
    rng = np.random.default_rng(spec.seed + 1)
    g = spec.grid
    n = g * g
    idx = np.arange(n)
    n_lads = lat.lad_force.size
    lad_codes = _code("E07", np.arange(n_lads) + 1)
    lad_names = np.char.add("Synthetic LAD ", np.char.zfill((np.arange(n_lads) + 1).astype(str), 3))
    order = np.lexsort((idx, lat.lad))
    serial = np.empty(n, dtype=np.int64)
    serial[order] = idx - np.searchsorted(lat.lad[order], np.arange(n_lads))[lat.lad[order]]
    codes = _code("E01", idx + 1)
    names = np.char.add(
        np.char.add(lad_names[lat.lad], " "), np.char.zfill((serial + 1).astype(str), 4)
    )
    ward = (lat.row // 2) * ((g + 1) // 2) + lat.col // 2  # 2 x 2 LSOAs per ward
    rank = np.empty(n, dtype=np.float64)
    rank[np.argsort(-lat.intensity, kind="stable")] = np.arange(1, n + 1)
    text = pa.string()
    lsoa = pa.table(
        {
            "lsoa21_code": pa.array(codes, text),
            "lsoa21_name": pa.array(names, text),
            "lad_code": pa.array(lad_codes[lat.lad], text),
            "lad_name": pa.array(lad_names[lat.lad], text),
            "ward_code": pa.array(_code("E05", ward + 1), text),
            "ward_name": pa.array(np.char.add("Synthetic Ward ", (ward + 1).astype(str)), text),
            "csp_code": pa.array(_code("E22", lat.lad + 1), text),
            "csp_name": pa.array(np.char.replace(lad_names[lat.lad], "LAD", "CSP"), text),
            "pfa_code": pa.array(_code("E23", lat.lad_force[lat.lad] + 1), text),
            "pfa_name": pa.array([_force_name(spec, i) for i in lat.lad_force[lat.lad]], text),
            "imd_rank": pa.array(rank, pa.float64()),
            "imd_decile": pa.array(np.ceil(rank * 10 / n).astype(np.int32), pa.int32()),
        }
    )
    population = pa.table(
        {
            "lsoa21_code": pa.array(codes, text),
            "year": pa.array(np.full(n, 2021, np.int32)),
            "population": pa.array(
                np.round(1_000 + 1_400 * rng.beta(2.0, 2.5, n)).astype(np.int64)
            ),
            "source": pa.array(np.full(n, "synthetic"), text),
        }
    )
    pairs = []
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            ok = (lat.row + dr >= 0) & (lat.row + dr < g) & (lat.col + dc >= 0) & (lat.col + dc < g)
            if dr or dc:
                pairs.append(np.stack([idx[ok], (lat.row[ok] + dr) * g + lat.col[ok] + dc]))
    edges = np.concatenate(pairs, axis=1)
    edges = edges[:, np.lexsort((edges[1], edges[0]))]
    half_lon, half_lat = _DLON / 2, _DLAT / 2
    x0, x1 = (
        np.round(lat.lon - half_lon, 6).astype(str),
        np.round(lat.lon + half_lon, 6).astype(str),
    )
    y0, y1 = (
        np.round(lat.lat - half_lat, 6).astype(str),
        np.round(lat.lat + half_lat, 6).astype(str),
    )
    geojson = [
        f'{{"type": "Polygon", "coordinates": [[[{a}, {b}], [{c}, {b}], [{c}, {d}], [{a}, {d}], '
        f"[{a}, {b}]]]}}"
        for a, b, c, d in zip(x0, y0, x1, y1, strict=True)
    ]
    return {
        "lsoa": lsoa,
        "population": population,
        "lsoa11_to_21": pa.table({c: pa.array([], text) for c in _L1121}),
        "lsoa_neighbours": pa.table(
            {"lsoa21_code": codes[edges[0]], "neighbour_code": codes[edges[1]]}
        ),
        "lsoa_islands": pa.table(
            {
                "lsoa21_code": pa.array([], text),
                "attached_to": pa.array([], text),
                "distance_m": pa.array([], pa.float64()),
            }
        ),  # fmt: skip
        "lsoa_geometry": pa.table(
            {
                "lsoa21_code": codes,
                "geojson": geojson,
                "centroid_lon": lat.lon,
                "centroid_lat": lat.lat,
            }
        ),  # fmt: skip
    }


_L1121 = ("lsoa11_code", "lsoa21_code", "change_code")


def _force_name(spec: SyntheticSpec, index: int) -> str:
    if spec.n_forces == 1:
        return "Synthetic Demo Police (synthetic)"
    return f"Synthetic Police {index + 1:02d} (synthetic)"


def _case(column: str, weights: dict[str, int]) -> str:
    """A SQL CASE choosing a key from ``weights`` by the uniform in ``column``."""
    total = sum(weights.values())
    cumulative, branches = 0, []
    for key, weight in list(weights.items())[:-1]:
        cumulative += weight
        branches.append(f"WHEN {column} < {cumulative / total!r} THEN '{key}'")
    return f"CASE {' '.join(branches)} ELSE '{list(weights)[-1]}' END"


def _street_sql(spec: SyntheticSpec) -> str:
    """The SELECT producing street rows for one force (parameter ``$force``), in store schema."""
    s = spec.seed
    category = _case("u_cat", CATEGORY_WEIGHTS)
    outcome = _case("u_out", OUTCOME_WEIGHTS)
    p = POINTS_PER_SIDE
    return f"""
    WITH r AS (
        SELECT c.*, unnest(range(c.n)) AS i FROM cells c WHERE c.force = $force
    ), u AS (
        SELECT r.*,
            hash({s}, cell_id, i, 1) / {_U64} AS u_cat,
            hash({s}, cell_id, i, 2) / {_U64} AS u_out,
            hash({s}, cell_id, i, 3) / {_U64} AS u_loc,
            hash({s}, cell_id, i, 4) % {p * p} AS point
        FROM r
    ), t AS (SELECT u.*, {category} AS crime_type FROM u)
    SELECT
        force,
        month,
        CASE WHEN crime_type = 'anti-social-behaviour' THEN NULL
             ELSE sha256('synthetic:{s}:' || cell_id || ':' || i) END AS crime_id,
        force_name AS reported_by,
        force_name AS falls_within,
        CASE WHEN u_loc < {UNLOCATED_SHARE} THEN NULL
             ELSE round(lon + ((point % {p}) - {(p - 1) / 2}) * dlon / {p}, 6) END AS longitude,
        CASE WHEN u_loc < {UNLOCATED_SHARE} THEN NULL
             ELSE round(lat + ((point // {p}) - {(p - 1) / 2}) * dlat / {p}, 6) END AS latitude,
        CASE WHEN u_loc < {UNLOCATED_SHARE} THEN 'No Location'
             ELSE 'On or near Synthetic Street ' || (lsoa_idx * {p * p} + point) END AS location,
        CASE WHEN u_loc < {UNLOCATED_SHARE} THEN NULL ELSE lsoa21_code END AS lsoa_code,
        CASE WHEN u_loc < {UNLOCATED_SHARE} THEN NULL ELSE lsoa21_name END AS lsoa_name,
        CASE WHEN u_loc < {UNLOCATED_SHARE} THEN NULL ELSE lsoa21_code END AS lsoa21_code,
        crime_type,
        CASE WHEN crime_type = 'anti-social-behaviour' THEN NULL ELSE {outcome} END
            AS last_outcome,
        'synthetic/' || strftime(month, '%Y-%m') || '/' || strftime(month, '%Y-%m') || '-'
            || force || '-street.csv' AS source_file,
        CAST(line0 + i AS INTEGER) AS source_line,
        strftime(month, '%Y-%m') AS month_label
    FROM t
    """


def _cells(con: duckdb.DuckDBPyConnection, spec: SyntheticSpec, geo: dict[str, pa.Table]) -> None:
    """Create table ``cells``: one row per LSOA × month with its row count ``n``."""
    lat = _lattice(spec)
    n_lsoa, months = spec.grid**2, spec.months
    k = np.arange(len(months))
    cal = np.array([m.month for m in months])
    season = 1.0 + 0.08 * np.sin(2 * np.pi * (cal - 4) / 12) - 0.0005 * k
    expected = np.outer(lat.intensity / lat.intensity.sum(), season / season.mean())
    force_idx = lat.lad_force[lat.lad]
    con.register(
        "lsoa_geo",
        pa.table(
            {
                "lsoa_idx": np.arange(n_lsoa),
                "lsoa21_code": geo["lsoa"]["lsoa21_code"],
                "lsoa21_name": geo["lsoa"]["lsoa21_name"],
                "force": [spec.force_slug(i) for i in force_idx],
                "force_name": [_force_name(spec, i) for i in force_idx],
                "lon": lat.lon,
                "lat": lat.lat,
            }
        ),
    )
    con.register("month_tab", pa.table({"m_idx": k, "month": pa.array(months, pa.date32())}))
    con.register(
        "expected",
        pa.table(
            {
                "lsoa_idx": np.repeat(np.arange(n_lsoa), len(months)),
                "m_idx": np.tile(k, n_lsoa),
                "lam": expected.ravel() * spec.rows_per_month,
            }
        ),
    )
    s = spec.seed
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE cells AS
        WITH base AS (
            SELECT l.*, {_DLON} AS dlon, {_DLAT} AS dlat,
                   mt.month, e.lsoa_idx * {len(months)} + e.m_idx AS cell_id, e.lam
            FROM expected e JOIN lsoa_geo l USING (lsoa_idx) JOIN month_tab mt USING (m_idx)
        ), z AS (
            -- Poisson count by the normal approximation (Box-Muller on two hash uniforms).
            SELECT *, greatest(0, round(lam + sqrt(lam) * sqrt(-2 * ln(
                       (hash({s}, cell_id, 'a') / {_U64}) * 0.999999 + 1e-9))
                   * cos(2 * pi() * hash({s}, cell_id, 'b') / {_U64})))::BIGINT AS n
            FROM base
        )
        SELECT *, 2 + coalesce(sum(n) OVER (PARTITION BY force, month ORDER BY lsoa_idx
                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line0
        FROM z
        """
    )


def _write_geography(geo: dict[str, pa.Table], spec: SyntheticSpec, target: Path) -> None:
    """Replace ``target`` (``data_dir/geography``) with the synthetic tables, by renames."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(f".{target.name}.new-{uuid.uuid4().hex}")
    fresh.mkdir()
    for name, table in geo.items():
        pq.write_table(table, fresh / f"{name}.parquet", compression="zstd")
    manifest = {"sources": {"synthetic": f"crimestats.synthetic {spec.name} seed {spec.seed}"}}
    (fresh / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex}")
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _register(
    data_dir: Path,
    catalogue: Catalogue,
    spec: SyntheticSpec,
    force: str,
    stats: list[tuple[Any, ...]],
    column_bytes: dict[str, int],
    imported_at: str,
) -> tuple[int, int, int]:
    """Move one force's staged files into the store and swap each into the catalogue.

    ``stats`` are the rows of DuckDB's ``COPY … (RETURN_STATS)``; per-column sizes are added to
    ``column_bytes``.
    """
    rows = size = 0
    for filename, count, file_bytes, _footer, columns, keys, *_ in stats:
        month = keys["month_label"]
        folder = partition_folder(data_dir, "street", force, parse_month(month))
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / Path(filename).name
        Path(filename).rename(final)
        for column, facts in columns.items():
            name = column.strip('"')
            column_bytes[name] = column_bytes.get(name, 0) + int(facts["column_size_bytes"])
        source = f"synthetic/{month}/{month}-{force}-street.csv"
        entry = CatalogueEntry(
            kind="street",
            force=force,
            month=month,
            path=relative_to_store(data_dir, final),
            rows=int(count),
            source_file=source,
            source_sha256=hashlib.sha256(f"{spec.seed}:{source}".encode()).hexdigest(),
            imported_at=imported_at,
            archive=f"synthetic-{spec.name}",
            import_id=f"synthetic-{spec.name}-{spec.seed}",
            unlocated_rows=int(columns['"lsoa21_code"']["null_count"]),
        )
        commit_partition(data_dir, catalogue, entry)
        rows, size = rows + int(count), size + int(file_bytes)
    return rows, len(stats), size


def generate_store(
    data_dir: Path,
    spec: SyntheticSpec = DEMO,
    *,
    threads: int = 2,
    memory_limit: str = "4GB",
    progress: Callable[[str], None] | None = None,
) -> SyntheticSummary:
    """Generate a synthetic street store and geography under ``data_dir``.

    Street files go to ``data_dir/store/street/force=<slug>/month=<YYYY-MM>/<uuid>.parquet`` with
    the store's street schema and are swapped into ``store/catalogue.sqlite`` one force-month at
    a time (the store's replacement rule, so a re-run replaces, never duplicates). The geography
    in ``data_dir/geography`` is **replaced** by the synthetic one: use a data folder of its own.

    Parameters
    ----------
    data_dir : Path
        The data folder to fill.
    spec : SyntheticSpec
        :data:`DEMO` (small, default) or :data:`NATIONAL`, or a custom size.
    threads, memory_limit
        DuckDB settings for the generation.
    progress : callable, optional
        Called with a short message after each force.

    Returns
    -------
    SyntheticSummary
    """
    started = time.perf_counter()
    # The one clock read: when these files entered the store (as the importer records it).
    # Analyses never read the clock; they take ``computed_at`` from their caller.
    written_at = datetime.now(UTC).isoformat(timespec="seconds")  # noqa: TID251
    data_dir = Path(data_dir)
    geo = synthetic_geography(spec)
    con = duckdb.connect()
    con.execute(f"SET threads = {int(threads)}; SET memory_limit = '{memory_limit}'")
    con.execute("SET enable_progress_bar = false; SET preserve_insertion_order = false")
    _cells(con, spec, geo)
    sql = _street_sql(spec)
    forces = tuple(spec.force_slug(i) for i in range(spec.n_forces))
    rows = files = size = 0
    column_bytes: dict[str, int] = {}
    with import_lock(data_dir), Catalogue(catalogue_path(data_dir)) as catalogue:
        staging = store_dir(data_dir) / f".synthetic-staging-{uuid.uuid4().hex}"
        try:
            for force in forces:
                target = staging / force
                target.parent.mkdir(parents=True, exist_ok=True)
                stats = con.execute(
                    f"COPY ({sql}) TO '{target}' (FORMAT parquet, COMPRESSION zstd, "
                    "PARTITION_BY (month_label), FILENAME_PATTERN '{uuid}', RETURN_STATS true)",
                    {"force": force},
                ).fetchall()
                r, f, b = _register(
                    data_dir, catalogue, spec, force, stats, column_bytes, written_at
                )
                rows, files, size = rows + r, files + f, size + b
                if progress is not None:
                    progress(f"{force}: {rows:,} rows so far")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            con.close()
    _write_geography(geo, spec, data_dir / "geography")
    _write_marker(data_dir, spec, rows, forces, written_at)
    return SyntheticSummary(
        spec=spec,
        rows=rows,
        files=files,
        bytes_on_disk=size,
        seconds=time.perf_counter() - started,
        forces=forces,
        lad_codes=tuple(sorted(set(geo["lsoa"]["lad_code"].to_pylist()))),
        store_dir=store_dir(data_dir),
        geography_dir=data_dir / "geography",
        column_bytes=column_bytes,
    )


def _write_marker(
    data_dir: Path, spec: SyntheticSpec, rows: int, forces: tuple[str, ...], generated_at: str
) -> None:
    """Write :data:`MARKER_FILE` (by rename, so it is never half written)."""
    fields = {f: getattr(spec, f) for f in SyntheticSpec.__slots__}
    marker = {
        "synthetic": True,
        "warning": "GENERATED DATA: not real crimes, places or people. Do not publish as real.",
        "generator": "crimestats.synthetic",
        "spec": {k: (v.isoformat() if isinstance(v, date) else v) for k, v in fields.items()},
        "rows": rows,
        "forces": list(forces),
        "generated_at": generated_at,
    }
    tmp = data_dir / f".{MARKER_FILE}.{uuid.uuid4().hex}"
    tmp.write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    tmp.replace(data_dir / MARKER_FILE)


def is_synthetic(data_dir: Path) -> bool:
    """True when the data folder was filled by this module (its :data:`MARKER_FILE` exists).

    Examples
    --------
    >>> import tempfile
    >>> is_synthetic(Path(tempfile.mkdtemp()))
    False
    """
    return (Path(data_dir) / MARKER_FILE).is_file()


def is_synthetic_force(force: str) -> bool:
    """True for a force slug this module generates (``synthetic-demo``, ``synthetic-07``).

    The one test of "is this generated data" by force name; no police.uk force is so named.

    Examples
    --------
    >>> is_synthetic_force("synthetic-demo"), is_synthetic_force("leicestershire")
    (True, False)
    """
    return force.startswith(FORCE_PREFIX)


def store_is_synthetic(data_dir: Path, forces: Iterable[str]) -> bool:
    """True when a data folder holds generated data, so every figure from it must say so.

    The folder has :data:`MARKER_FILE`, or any of its street ``forces`` is a generated one
    (:func:`is_synthetic_force`): a folder mixing real and generated rows is labelled generated,
    so generated figures are never shown as real.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> store_is_synthetic(folder, ["leicestershire"]), store_is_synthetic(folder, [])
    (False, False)
    >>> store_is_synthetic(folder, ["leicestershire", "synthetic-demo"])
    True
    """
    return is_synthetic(data_dir) or any(is_synthetic_force(force) for force in forces)


def generate_demo_dataset(data_dir: Path) -> None:
    """Fill ``data_dir`` with the small synthetic demo dataset (:data:`DEMO`).

    One force (``synthetic-demo``, "Synthetic Demo Police (synthetic)"), four local authorities
    of 36 LSOAs each — the fictional partnership is :data:`DEMO_CSP_CODE` — and 36 months of
    street crime (2023-01 … 2025-12, about 86,000 rows), with the geography (population, IMD
    ranks, neighbours, boundaries) the measures need. The folder gets :data:`MARKER_FILE`.
    Running it again replaces the same force-months and geography, so it never double counts;
    use it only for a data folder without real data, as it replaces the geography.
    """
    generate_store(Path(data_dir), DEMO, threads=2, memory_limit="1GB")
