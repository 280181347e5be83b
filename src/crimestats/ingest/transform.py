"""Validate and convert one parsed CSV in a single DuckDB query, then map it to 2021 LSOAs.

The query marks each row with a ``reject_reason`` (or NULL) instead of dropping it, so every
refused row can be reported with its line. Only rows whose 2011 LSOA was split, and stop-and-search
rows (which carry no LSOA), need geometry; that step is vectorised with shapely.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crimestats.categories import CRIME_TYPES
from crimestats.geography.resolver import LsoaResolver
from crimestats.ingest.names import PoliceFileName
from crimestats.ingest.schemas import SCHEMAS

_COORDS_OK = """(
    (r.longitude = '' AND r.latitude = '')
    OR COALESCE(TRY_CAST(r.longitude AS DOUBLE) BETWEEN -180 AND 180
            AND TRY_CAST(r.latitude AS DOUBLE) BETWEEN -90 AND 90, false)
)"""

_LSOA_SELECT = """
    NULLIF(r.lsoa_code, '') AS lsoa_code,
    NULLIF(r.lsoa_name, '') AS lsoa_name,
    CASE WHEN r.lsoa_code = '' THEN NULL
         WHEN $has_geography THEN COALESCE(g.lsoa21_code, m.lsoa21_code, p.lsoa21_code)
         WHEN $file_is_2021 THEN r.lsoa_code
    END AS lsoa21_code,
    (g.lsoa21_code IS NULL AND (m.lsoa11_code IS NOT NULL OR s.lsoa11_code IS NOT NULL))
        AS is_lsoa2011,
"""

_LSOA_JOINS = """
LEFT JOIN geo_lsoa21 g ON g.lsoa21_code = r.lsoa_code
LEFT JOIN geo_one_to_one m ON m.lsoa11_code = r.lsoa_code
LEFT JOIN geo_split s ON s.lsoa11_code = r.lsoa_code
LEFT JOIN pip p ON p.source_line = r.source_line
"""

_COMMON_LOCATION = """
    NULLIF(r.reported_by, '') AS reported_by,
    NULLIF(r.falls_within, '') AS falls_within,
    TRY_CAST(NULLIF(r.longitude, '') AS DOUBLE) AS longitude,
    TRY_CAST(NULLIF(r.latitude, '') AS DOUBLE) AS latitude,
    NULLIF(r.location, '') AS location,
"""

STREET_SQL = f"""
SELECT
    $force AS force,
    $month::DATE AS month,
    NULLIF(r.crime_id, '') AS crime_id,
    {_COMMON_LOCATION}
    {_LSOA_SELECT}
    ct.slug AS crime_type,
    NULLIF(r.last_outcome, '') AS last_outcome,
    $source_file AS source_file,
    r.source_line,
    CASE WHEN r.month <> $month_label THEN 'month-mismatch'
         WHEN NOT {_COORDS_OK} THEN 'bad-coordinates'
         WHEN ct.slug IS NULL THEN 'unknown-crime-type'
    END AS reject_reason
FROM raw r
LEFT JOIN crime_types ct ON ct.name = r.crime_type
{_LSOA_JOINS}
"""

OUTCOMES_SQL = f"""
SELECT
    NULLIF(r.crime_id, '') AS crime_id,
    $month::DATE AS month,
    {_COMMON_LOCATION}
    {_LSOA_SELECT}
    NULLIF(r.outcome_type, '') AS outcome_type,
    $force AS force,
    $source_file AS source_file,
    r.source_line,
    CASE WHEN r.month <> $month_label THEN 'month-mismatch'
         WHEN NOT {_COORDS_OK} THEN 'bad-coordinates'
    END AS reject_reason
FROM raw r
{_LSOA_JOINS}
"""

_BOOLEAN = "CASE lower({c}) WHEN 'true' THEN true WHEN 'false' THEN false END"
_BOOLEAN_OK = "(r.{c} = '' OR lower(r.{c}) IN ('true', 'false'))"

STOP_SEARCH_SQL = f"""
WITH parsed AS (
    SELECT r.*,
           TRY_STRPTIME(substr(r.date, 1, 19), '%Y-%m-%dT%H:%M:%S') AS local_time,
           substr(r.date, 20) AS zone
    FROM raw r
), timed AS (
    SELECT *,
           CASE WHEN zone IN ('', 'Z') THEN 0
                WHEN regexp_full_match(zone, '[+-][0-9]{{2}}:[0-9]{{2}}')
                THEN (CASE WHEN zone[1] = '-' THEN -1 ELSE 1 END)
                     * (TRY_CAST(zone[2:3] AS INTEGER) * 60 + TRY_CAST(zone[5:6] AS INTEGER))
           END AS offset_minutes
    FROM parsed
)
SELECT
    $force AS force,
    date_trunc('month', r.local_time)::DATE AS month,
    r.local_time - to_minutes(r.offset_minutes) AS datetime,
    NULLIF(r.type, '') AS type,
    TRY_CAST(NULLIF(r.latitude, '') AS DOUBLE) AS latitude,
    TRY_CAST(NULLIF(r.longitude, '') AS DOUBLE) AS longitude,
    NULLIF(r.gender, '') AS gender,
    NULLIF(r.age_range, '') AS age_range,
    NULLIF(r.self_defined_ethnicity, '') AS self_defined_ethnicity,
    NULLIF(r.officer_defined_ethnicity, '') AS officer_defined_ethnicity,
    NULLIF(r.legislation, '') AS legislation,
    NULLIF(r.object_of_search, '') AS object_of_search,
    NULLIF(r.outcome, '') AS outcome,
    {_BOOLEAN.format(c="r.outcome_linked")} AS outcome_linked,
    {_BOOLEAN.format(c="r.removal_outer_clothing")} AS removal_outer_clothing,
    p.lsoa21_code AS lsoa21_code,
    NULLIF(r.part_of_policing_operation, '') AS part_of_policing_operation,
    NULLIF(r.policing_operation, '') AS policing_operation,
    $source_file AS source_file,
    r.source_line,
    CASE WHEN r.local_time IS NULL OR r.offset_minutes IS NULL THEN 'bad-date'
         WHEN NOT {_COORDS_OK} THEN 'bad-coordinates'
         WHEN NOT ({_BOOLEAN_OK.format(c="outcome_linked")}
                   AND {_BOOLEAN_OK.format(c="removal_outer_clothing")}) THEN 'bad-boolean'
    END AS reject_reason
FROM timed r
LEFT JOIN pip p ON p.source_line = r.source_line
"""

# Accepted rows first (so they are one zero-copy slice), then the order that lets DuckDB's zone
# maps skip row groups when a query filters on LSOA and category.
_ORDER = {
    "street": "lsoa21_code NULLS LAST, crime_type, source_line",
    "outcomes": "lsoa21_code NULLS LAST, outcome_type, source_line",
    "stop_search": "lsoa21_code NULLS LAST, datetime, source_line",
}
_SQL = {
    kind: f"SELECT * FROM ({sql}) ORDER BY reject_reason IS NOT NULL, {_ORDER[kind]}"
    for kind, sql in {
        "street": STREET_SQL,
        "outcomes": OUTCOMES_SQL,
        "stop_search": STOP_SEARCH_SQL,
    }.items()
}


@dataclass(frozen=True, slots=True)
class Transformed:
    """Accepted rows in store schema and order, refused lines with reasons, and counts."""

    accepted: pa.Table
    rejected_lines: np.ndarray
    rejected_reasons: list[str]
    unlocated_rows: int
    outside_geography_rows: int
    repeated_crime_id_rows: int
    lsoa2011_rows: int
    split_nearest_rows: int
    outside_month_rows: int
    unmapped_rows: int  # located rows left without lsoa21_code because no geography is loaded


def prepare_connection(con: duckdb.DuckDBPyConnection, resolver: LsoaResolver) -> None:
    """Create the lookup tables the transform joins against (shared by worker cursors)."""
    tables = {
        "crime_types": pa.table({"name": list(CRIME_TYPES), "slug": list(CRIME_TYPES.values())}),
        "geo_lsoa21": pa.table({"lsoa21_code": resolver.lsoa21_codes}),
        "geo_one_to_one": resolver.one_to_one,
        "geo_split": pa.table({"lsoa11_code": resolver.split_codes}),
    }
    for name, table in tables.items():
        con.register(f"_{name}_arrow", table)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT DISTINCT * FROM _{name}_arrow")
        con.unregister(f"_{name}_arrow")


def _file_is_2021(codes: pa.ChunkedArray) -> bool:
    # Without a loaded geography, a file is taken to use 2021 codes when it holds any code that
    # only exists in 2021 (England E01033769 onwards, Wales W01001959 onwards).
    english = pc.and_(pc.starts_with(codes, "E01"), pc.greater(codes, "E01033768"))
    welsh = pc.and_(pc.starts_with(codes, "W01"), pc.greater(codes, "W01001958"))
    return bool(pc.any(pc.or_(english, welsh)).as_py())


def _to_float(column: pa.ChunkedArray) -> np.ndarray:
    blank = pc.equal(column, "")
    cleaned = pc.if_else(blank, pa.scalar(None, pa.string()), column)
    try:
        values = pc.cast(cleaned, pa.float64())
    except pa.ArrowInvalid:
        # Malformed numbers: those rows are rejected by the SQL step; here they just get no point.
        values = pa.array([_parse_float(v) for v in cleaned.to_pylist()], pa.float64())
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=float)


def _parse_float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _locate(raw: pa.Table, kind: str, resolver: LsoaResolver) -> tuple[pa.Table, int]:
    """``source_line, lsoa21_code`` for rows that need geometry, and the nearest-part count."""
    empty = pa.table(
        {"source_line": pa.array([], pa.int32()), "lsoa21_code": pa.array([], pa.string())}
    )
    if not resolver.loaded:
        return empty, 0
    if kind == "stop_search":
        lon, lat = _to_float(raw["longitude"]), _to_float(raw["latitude"])
        codes = resolver.locate(lon, lat)
        return pa.table(
            {"source_line": raw["source_line"], "lsoa21_code": pa.array(codes, pa.string())}
        ), 0
    if len(resolver.split_codes) == 0:
        return empty, 0
    subset = raw.filter(pc.is_in(raw["lsoa_code"], value_set=resolver.split_codes))
    if subset.num_rows == 0:
        return empty, 0
    codes11 = np.asarray(subset["lsoa_code"].to_numpy(zero_copy_only=False), dtype=object)
    lon, lat = _to_float(subset["longitude"]), _to_float(subset["latitude"])
    codes, nearest = resolver.resolve_split(codes11, lon, lat)
    table = pa.table(
        {"source_line": subset["source_line"], "lsoa21_code": pa.array(codes, pa.string())}
    )
    return table, nearest


def transform(
    cursor: duckdb.DuckDBPyConnection,
    raw: pa.Table,
    name: PoliceFileName,
    source_file: str,
    resolver: LsoaResolver,
) -> Transformed:
    """Validate, convert and locate the rows of one parsed CSV.

    Parameters
    ----------
    cursor : duckdb.DuckDBPyConnection
        A cursor of a connection set up with :func:`prepare_connection`.
    raw : pyarrow.Table
        Output of :func:`crimestats.ingest.csvread.read_police_csv`.
    name : PoliceFileName
        Kind, force and month from the file name.
    source_file : str
        Path within the archive or tree, stored on every row.
    resolver : LsoaResolver
        The loaded geography (possibly empty).

    Returns
    -------
    Transformed
        Accepted rows in the store schema, sorted by ``lsoa21_code`` then category.
    """
    kind = name.kind
    has_codes = kind != "stop_search"
    params: dict[str, object] = {"force": name.force, "source_file": source_file}
    if has_codes:
        params["month"] = name.month
        params["month_label"] = name.month_label
        params["has_geography"] = resolver.loaded
        params["file_is_2021"] = not resolver.loaded and _file_is_2021(raw["lsoa_code"])
    pip, split_nearest = _locate(raw, kind, resolver)
    cursor.register("raw", raw)
    cursor.register("pip", pip)
    try:
        table = cursor.sql(_SQL[kind], params=params).to_arrow_table()
    finally:
        cursor.unregister("raw")
        cursor.unregister("pip")

    n_ok = table["reject_reason"].null_count
    accepted, rejected = table.slice(0, n_ok), table.slice(n_ok)
    lsoa21_missing = accepted["lsoa21_code"].null_count
    outside_month = lsoa2011 = repeated = 0
    if has_codes:
        unlocated = accepted["lsoa_code"].null_count
        lsoa2011 = pc.sum(accepted["is_lsoa2011"]).as_py() or 0
        ids = accepted["crime_id"]
        repeated = (len(ids) - ids.null_count) - pc.count_distinct(ids).as_py()
    else:
        unlocated = accepted["longitude"].null_count
        outside_month = pc.sum(pc.not_equal(accepted["month"], pa.scalar(name.month))).as_py()
    outside = lsoa21_missing - unlocated
    unmapped = 0
    if not resolver.loaded:
        # Without a geography nothing is "outside" it: these rows are simply not mapped yet.
        unmapped, outside = outside, 0
    schema = SCHEMAS[kind]
    accepted = accepted.select(schema.names)
    if accepted.schema != schema:
        accepted = accepted.cast(schema)
    return Transformed(
        accepted=accepted,
        rejected_lines=rejected["source_line"].to_numpy(zero_copy_only=False),
        rejected_reasons=rejected["reject_reason"].to_pylist(),
        unlocated_rows=int(unlocated),
        outside_geography_rows=int(outside),
        repeated_crime_id_rows=int(repeated),
        lsoa2011_rows=int(lsoa2011),
        split_nearest_rows=int(split_nearest),
        outside_month_rows=int(outside_month or 0),
        unmapped_rows=int(unmapped),
    )
