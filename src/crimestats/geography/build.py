"""Load ONS lookups, population, IMD and 2021 boundaries into ``DATA_DIR/geography``.

The analysis geography is the 2021 LSOA (ADR 0003). Every table written here is keyed on
``lsoa21_code``; 2011-based inputs (IMD 2019, old police.uk files) are carried across with the ONS
exact-fit LSOA 2011 → 2021 lookup.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from crimestats.geography.boundaries import geometry_table, queen_neighbours, read_lsoa21_boundaries
from crimestats.geography.ons import find_column, read_ons_csv, to_number
from crimestats.geography.population import (
    POPULATION_SCHEMA,
    read_census_population,
    read_mid_year_estimates,
)

GEOGRAPHY_TABLES = ("lsoa", "population", "lsoa11_to_21", "lsoa_neighbours", "lsoa_islands")
GEOGRAPHY_FILES = (*GEOGRAPHY_TABLES, "lsoa_geometry")

# IoD2019 ranks run from 1 (most deprived) to 32,844 (the LSOAs of England in 2011).
_ENGLAND_LSOA11 = 32_844


@dataclass(frozen=True)
class GeographySummary:
    """What a geography load wrote, for the CLI and for provenance."""

    lsoas: int
    lads: list[str]
    population_years: list[int]
    lsoa11_changes: dict[str, int]
    neighbour_pairs: int
    islands: list[dict[str, object]]
    files_used: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    #: True when the same input files were already loaded, so nothing was rebuilt.
    unchanged: bool = False

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dictionary."""
        return asdict(self)


def _first(folder: Path, *patterns: str) -> Path | None:
    for pattern in patterns:
        found = sorted(folder.glob(pattern))
        if found:
            return found[0]
    return None


def _lookup_11_21(path: Path) -> pa.Table:
    table = read_ons_csv(path)
    return pa.table(
        {
            "lsoa11_code": find_column(table, [r"lsoa11_code", r"F?_?LSOA11CD"], "LSOA11", path),
            "lsoa21_code": find_column(table, [r"lsoa21_code", r"LSOA21CD"], "LSOA21", path),
            "change_code": find_column(table, [r"change_code", r"CHGIND"], "change", path),
        }
    )


def _ward_lookup(path: Path) -> pa.Table:
    table = read_ons_csv(path)
    return pa.table(
        {
            "lsoa21_code": find_column(table, [r"lsoa21_code", r"LSOA21CD"], "LSOA21", path),
            "ward_code": find_column(table, [r"ward\d*_code", r"WD\d\dCD"], "ward code", path),
            "ward_name": find_column(table, [r"ward\d*_name", r"WD\d\dNM"], "ward name", path),
            "lad_name": find_column(
                table, [r"ltla\d*_name", r"lad\d*_name", r"LAD\d\dNM"], "LAD name", path
            ),
        }
    )


def _csp_lookup(path: Path) -> pa.Table:
    table = read_ons_csv(path)
    return pa.table(
        {
            "lad_code": find_column(table, [r"LAD\d\dCD"], "LAD code", path),
            "lad_name": find_column(table, [r"LAD\d\dNM"], "LAD name", path),
            "csp_code": find_column(table, [r"CSP\d\dCD"], "CSP code", path),
            "csp_name": find_column(table, [r"CSP\d\dNM"], "CSP name", path),
            "pfa_code": find_column(table, [r"PFA\d\dCD"], "PFA code", path),
            "pfa_name": find_column(table, [r"PFA\d\dNM"], "PFA name", path),
        }
    )


def _imd(path: Path) -> pa.Table:
    table = read_ons_csv(path)
    code = find_column(table, [r"LSOA code \(2011\)", r"LSOA11CD"], "LSOA 2011 code", path)
    rank = find_column(
        table, [r"Index of Multiple Deprivation \(IMD\) Rank.*", r"IMD19"], "IMD rank", path
    )
    try:
        decile = to_number(
            find_column(table, [r"Index of Multiple Deprivation \(IMD\) Decile.*"], "", path)
        )
    except ValueError:
        decile = pa.nulls(len(code), pa.int64())
    return pa.table({"lsoa11_code": code, "imd_rank": to_number(rank), "imd_decile": decile})


_LSOA_SQL = f"""
WITH parents AS (
    -- the 2011 parent(s) of each 2021 LSOA; an LSOA missing from the lookup is its own parent
    SELECT b.lsoa21_code, COALESCE(l.lsoa11_code, b.lsoa21_code) AS lsoa11_code
    FROM bounds b LEFT JOIN l1121 l USING (lsoa21_code)
),
imd21 AS (
    SELECT p.lsoa21_code,
           avg(i.imd_rank) AS imd_rank,
           count(DISTINCT i.lsoa11_code) AS n_parents,
           min(i.imd_decile) AS one_decile
    FROM parents p JOIN imd i USING (lsoa11_code)
    GROUP BY p.lsoa21_code
)
SELECT b.lsoa21_code, b.lsoa21_name, b.lad_code,
       COALESCE(w.lad_name, c.lad_name) AS lad_name,
       w.ward_code, w.ward_name, c.csp_code, c.csp_name, c.pfa_code, c.pfa_name,
       m.imd_rank::DOUBLE AS imd_rank,
       CASE WHEN m.n_parents = 1 AND m.one_decile IS NOT NULL THEN m.one_decile
            WHEN m.imd_rank IS NOT NULL
            THEN least(10, floor((m.imd_rank - 1) * 10 / {_ENGLAND_LSOA11}) + 1)
       END::INTEGER AS imd_decile
FROM bounds b
LEFT JOIN (SELECT DISTINCT ON (lsoa21_code) * FROM wards ORDER BY lsoa21_code) w USING (lsoa21_code)
LEFT JOIN (SELECT DISTINCT ON (lad_code) * FROM csp ORDER BY lad_code) c USING (lad_code)
LEFT JOIN imd21 m USING (lsoa21_code)
ORDER BY b.lsoa21_code
"""


def build_lsoa_table(
    bounds: pa.Table,
    lookup: pa.Table,
    wards: pa.Table,
    csp: pa.Table,
    imd: pa.Table,
) -> pa.Table:
    """Join boundaries, ward, CSP and IMD into the ``lsoa`` table (one row per 2021 LSOA).

    Notes
    -----
    IMD 2019 is published on 2011 LSOAs. A 2021 LSOA takes the rank of its 2011 parent; where
    2011 LSOAs merged into one 2021 LSOA it takes the mean of their ranks, and its decile is
    recomputed from that mean against the 32,844 LSOAs of England. A split 2011 LSOA passes its
    rank and decile to every part. This is an approximation (ADR 0003).
    """
    con = duckdb.connect()
    try:
        for name, table in {
            "bounds": bounds,
            "l1121": lookup,
            "wards": wards,
            "csp": csp,
            "imd": imd,
        }.items():
            con.register(name, table)
        return con.sql(_LSOA_SQL).to_arrow_table()
    finally:
        con.close()


def _empty(names: dict[str, pa.DataType]) -> pa.Table:
    return pa.table({name: pa.array([], type_) for name, type_ in names.items()})


def load_geography(
    source_dir: Path,
    data_dir: Path,
    *,
    mid_year_files: tuple[Path, ...] = (),
    reload: bool = False,
) -> GeographySummary:
    """Load the geography from a folder laid out like the shared data (``ons/``, ``boundaries/``).

    Parameters
    ----------
    source_dir : Path
        Holds ``boundaries/lsoa/*.geojson`` (required) and in ``ons/``: the LSOA 2011→2021
        exact-fit lookup, LSOA 2021→ward lookup, LAD→CSP→PFA lookup, IoD2019 File 1 and the
        Census 2021 population by LSOA (each optional, with a warning when missing).
    data_dir : Path
        The data folder; tables go to ``data_dir / "geography"``, replaced as a whole.
    mid_year_files : tuple of Path
        ONS mid-year estimate sheets saved as CSV (see :func:`read_mid_year_estimates`).
    reload : bool
        Rebuild even when the same input files were already loaded.

    Returns
    -------
    GeographySummary
        ``unchanged`` is True when the input files (by content) are those the loaded geography
        was built from: nothing is rebuilt and the summary of that load is returned.
    """
    warnings: list[str] = []
    used: dict[str, str] = {}
    ons = source_dir / "ons"
    inputs = _inputs_sha256(source_dir, mid_year_files)
    if not reload and (previous := _previous_load(data_dir / "geography", inputs)) is not None:
        return previous
    boundaries = read_lsoa21_boundaries(source_dir / "boundaries" / "lsoa")
    used["boundaries"] = str(source_dir / "boundaries" / "lsoa")
    bounds = pa.table(
        {
            "lsoa21_code": pa.array(boundaries.codes, pa.string()),
            "lsoa21_name": pa.array(boundaries.names, pa.string()),
            "lad_code": pa.array(boundaries.lad_codes, pa.string()),
        }
    )
    text = pa.string()
    sources = {
        "lsoa11_to_21": (
            _first(ons, "lsoa11_lsoa21_*exact*.csv", "LSOA11_LSOA21_*EW_LU*.csv"),
            _lookup_11_21,
            _empty({"lsoa11_code": text, "lsoa21_code": text, "change_code": text}),
        ),
        "wards": (
            _first(ons, "lsoa21_ward*_lad*.csv", "LSOA21_WD*_LAD*.csv"),
            _ward_lookup,
            _empty({"lsoa21_code": text, "ward_code": text, "ward_name": text, "lad_name": text}),
        ),
        "csp": (
            _first(ons, "lad*_csp*_pfa*.csv", "LAD*_CSP*_PFA*.csv"),
            _csp_lookup,
            _empty({c: text for c in ("lad_code", "lad_name", "csp_code", "csp_name")})
            .append_column("pfa_code", pa.array([], text))
            .append_column("pfa_name", pa.array([], text)),
        ),
        "imd": (
            _first(
                ons,
                "iod2019_file1*.csv",
                "File_1*IMD2019*.csv",
                "File_7*IoD2019*.csv",
                "imd19_lookup*.csv",
            ),
            _imd,
            _empty({"lsoa11_code": text, "imd_rank": pa.int64(), "imd_decile": pa.int64()}),
        ),
    }
    loaded: dict[str, pa.Table] = {}
    for name, (path, reader, empty) in sources.items():
        if path is None:
            warnings.append(f"no {name} file found in {ons}; those columns will be empty")
            loaded[name] = empty
        else:
            used[name] = str(path)
            loaded[name] = reader(path)
    lookup = loaded["lsoa11_to_21"].group_by(["lsoa11_code", "lsoa21_code", "change_code"])
    lookup = lookup.aggregate([]).sort_by("lsoa11_code")
    lsoa = build_lsoa_table(bounds, lookup, loaded["wards"], loaded["csp"], loaded["imd"])

    populations = []
    census = _first(ons, "census21_pop_lsoa21*.csv")
    if census is not None:
        used["census_population"] = str(census)
        populations.append(read_census_population(census))
    else:
        warnings.append(f"no Census 2021 population file found in {ons}")
    for path in mid_year_files:
        used[f"mid_year:{path.name}"] = str(path)
        populations.append(read_mid_year_estimates(path))
    population = pa.concat_tables(populations) if populations else POPULATION_SCHEMA.empty_table()

    neighbours, islands = queen_neighbours(boundaries)
    tables = {
        "lsoa": lsoa,
        "population": population,
        "lsoa11_to_21": lookup,
        "lsoa_neighbours": neighbours,
        "lsoa_islands": islands,
        "lsoa_geometry": geometry_table(boundaries),
    }
    changes = lookup.group_by("change_code").aggregate([("lsoa11_code", "count")]).to_pylist()
    summary = GeographySummary(
        lsoas=lsoa.num_rows,
        lads=sorted({c for c in boundaries.lad_codes if c}),
        population_years=sorted(set(population["year"].to_pylist())),
        lsoa11_changes={row["change_code"]: row["lsoa11_code_count"] for row in changes},
        neighbour_pairs=neighbours.num_rows,
        islands=islands.to_pylist(),
        files_used=used,
        warnings=warnings,
    )
    manifest = {"sources": used, "inputs_sha256": inputs, "summary": summary.to_dict()}
    _write_tables_atomically(data_dir / "geography", tables, manifest)
    return summary


def _input_files(source_dir: Path, mid_year_files: tuple[Path, ...]) -> list[Path]:
    """Every file a load may read: the 2021 boundaries, the ONS folder and mid-year sheets."""
    files = sorted((source_dir / "boundaries" / "lsoa").glob("*.geojson"))
    ons = source_dir / "ons"
    if ons.is_dir():
        files += sorted(p for p in ons.iterdir() if p.is_file())
    return files + list(mid_year_files)


def _inputs_sha256(source_dir: Path, mid_year_files: tuple[Path, ...]) -> str:
    """One sha256 over the names and bytes of the input files (a few MB: milliseconds)."""
    digest = hashlib.sha256()
    for path in _input_files(source_dir, mid_year_files):
        digest.update(f"{path.name}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _previous_load(folder: Path, inputs: str) -> GeographySummary | None:
    """The summary of the loaded geography if it was built from the same inputs, else None."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("inputs_sha256") != inputs:
        return None
    if not all((folder / f"{name}.parquet").exists() for name in GEOGRAPHY_FILES):
        return None
    try:
        fields = dict(manifest["summary"])
        fields["unchanged"] = True
        return GeographySummary(**fields)
    except (KeyError, TypeError, ValueError):
        return None


def _write_tables_atomically(
    target: Path, tables: dict[str, pa.Table], manifest: Mapping[str, object]
) -> None:
    # Write a complete new folder beside the old one, then swap by renames, so a reader never
    # sees a mix of old and new lookup tables.
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(f".{target.name}.new-{uuid.uuid4().hex}")
    fresh.mkdir()
    try:
        for name, table in tables.items():
            pq.write_table(table, fresh / f"{name}.parquet", compression="zstd")
        (fresh / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex}")
        if target.exists():
            target.rename(old)
        fresh.rename(target)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
