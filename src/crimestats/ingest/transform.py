"""Validate and convert one parsed CSV, then map it to 2021 LSOAs.

Street and outcomes files (nearly every import) are checked and converted with vectorised Arrow
compute kernels: each rule gives a boolean mask, every refused row keeps its line and the first
reason that applies, and LSOA codes are mapped once per distinct code (dictionary encoding), not
once per row. Stop-and-search files, whose ISO 8601 dates with offsets are easier to parse in SQL,
go through one DuckDB query. Only rows whose 2011 LSOA was split, and stop-and-search rows (which
carry no LSOA), need geometry; that step is vectorised with shapely.
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

# Accepted rows first (so they are one zero-copy slice), then by LSOA and time.
_STOP_SEARCH_SQL = (
    f"SELECT * FROM ({STOP_SEARCH_SQL}) "
    "ORDER BY reject_reason IS NOT NULL, lsoa21_code NULLS LAST, datetime, source_line"
)


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
    # Python also reads "1_000"; SQL and Arrow casts do not, and neither does this.
    if text is None or "_" in text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _locate_points(raw: pa.Table, resolver: LsoaResolver) -> pa.Table:
    """``source_line, lsoa21_code`` of stop-and-search rows, by point in the 2021 polygons."""
    if not resolver.loaded:
        return pa.table(
            {"source_line": pa.array([], pa.int32()), "lsoa21_code": pa.array([], pa.string())}
        )
    lon, lat = _to_float(raw["longitude"]), _to_float(raw["latitude"])
    codes = resolver.locate(lon, lat)
    return pa.table(
        {"source_line": raw["source_line"], "lsoa21_code": pa.array(codes, pa.string())}
    )


# --- Street and outcomes: vectorised with pyarrow compute (no SQL round trip per file) -------

_CRIME_NAMES = pa.array(list(CRIME_TYPES), pa.string())
_CRIME_SLUGS = pa.array(list(CRIME_TYPES.values()), pa.string())


def _array(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _floats(column: pa.Array) -> pa.Array:
    """Text to float64: NULL when blank or not a number (the row is then checked separately)."""
    try:
        return pc.cast(column, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array([_parse_float(v) for v in column.to_pylist()], pa.float64())


def _sort_rank(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Each row's rank among the column's distinct values (byte order, NULL after all of them).

    Examples
    --------
    >>> _sort_rank(pa.array(["b", None, "a", "b"])).tolist()
    [1, 2, 0, 1]
    """
    encoded = pc.dictionary_encode(_array(column))
    size = len(encoded.dictionary)
    rank = np.empty(size + 1, dtype=np.int32)
    rank[np.asarray(pc.sort_indices(encoded.dictionary))] = np.arange(size, dtype=np.int32)
    rank[size] = size
    ranks: np.ndarray = rank[pc.fill_null(encoded.indices, size).to_numpy()]
    return ranks


def _in_range(values: pa.Array, limit: float) -> np.ndarray:
    # NULL becomes NaN, and NaN is in no range.
    numbers = np.asarray(values.to_numpy(zero_copy_only=False), dtype=float)
    inside: np.ndarray = np.abs(numbers) <= limit
    return inside


def _encode(column: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Each row's code and the value of each code; the last code stands for NULL.

    Examples
    --------
    >>> codes, values = _encode(pa.array(["b", None, "a", "b"]))
    >>> codes.tolist(), values.to_pylist()
    ([0, 2, 1, 0], ['b', 'a', None])
    """
    encoded = pc.dictionary_encode(column)
    dictionary = encoded.dictionary
    indices = encoded.indices
    if indices.null_count:
        indices = pc.fill_null(indices, len(dictionary))
    values = pa.concat_arrays([dictionary, pa.nulls(1, dictionary.type)])
    codes: np.ndarray = indices.to_numpy()  # int32, without a copy
    return codes, values


def _take(values: pa.Array, rows: np.ndarray) -> pa.Array:
    return pc.take(values, pa.array(rows))


def _transform_coded(
    raw: pa.Table, name: PoliceFileName, source_file: str, resolver: LsoaResolver
) -> Transformed:
    """Street and outcomes rows: validate, convert, map LSOAs to 2021 and sort, in Arrow.

    The columns with few distinct values (category, LSOA code) are encoded once as integer codes;
    the rules, the 2021 mapping and the sort work on the codes, and each output column is made
    by a single ``take`` in the final order.
    """
    kind = name.kind
    n = raw.num_rows
    text = {c: _array(raw[c]) for c in raw.column_names if c != "source_line"}
    lines = _array(raw["source_line"])
    lon_text, lat_text = text["longitude"], text["latitude"]
    lon, lat = _floats(lon_text), _floats(lat_text)
    # Rejection tests, in the order of precedence of the reasons.
    month_bad = pc.fill_null(pc.not_equal(text["month"], name.month_label), True)
    both_blank = pc.and_(pc.is_null(lon_text), pc.is_null(lat_text)).to_numpy(zero_copy_only=False)
    coords_bad = ~(both_blank | (_in_range(lon, 180) & _in_range(lat, 90)))
    reasons: list[tuple[np.ndarray, str]] = [
        (np.asarray(month_bad.to_numpy(zero_copy_only=False), dtype=bool), "month-mismatch"),
        (coords_bad, "bad-coordinates"),
    ]
    # The category: the crime type's slug (street), or the outcome as written (outcomes).
    category = "crime_type" if kind == "street" else "outcome_type"
    category_codes, category_values = _encode(text[category])
    if kind == "street":
        found = pc.index_in(category_values, value_set=_CRIME_NAMES)
        category_values = pc.take(_CRIME_SLUGS, found)
        unknown = np.asarray(pc.is_null(found).to_numpy(zero_copy_only=False), dtype=bool)
        reasons.append((unknown[category_codes], "unknown-crime-type"))
    # 2021 LSOA: a 2021 code is kept, a U/M 2011 code maps one to one, an S/X code is placed by
    # its point among the parts it became; without geography only 2021-coded files keep codes.
    # Per distinct code first, then per row through the codes.
    codes = text["lsoa_code"]
    lsoa_codes, lsoa_values = _encode(codes)
    lsoa21_codes = lsoa_codes
    split_nearest = 0
    if resolver.loaded:
        lsoa21_values, is_lsoa2011, is_split = resolver.map_codes(lsoa_values)
        split = is_split[lsoa_codes]
        if split.any():
            # Rows of split codes (rejected ones too) get codes of their own, after the
            # distinct codes, each standing for the part that holds the row's point.
            rows = np.flatnonzero(split)
            codes11 = np.asarray(lsoa_values.take(lsoa_codes[rows]).to_pylist(), dtype=object)
            lon_np = np.asarray(_take(lon, rows).to_numpy(zero_copy_only=False), dtype=float)
            lat_np = np.asarray(_take(lat, rows).to_numpy(zero_copy_only=False), dtype=float)
            placed, split_nearest = resolver.resolve_split(codes11, lon_np, lat_np)
            lsoa21_codes = lsoa_codes.copy()
            lsoa21_codes[rows] = len(lsoa21_values) + np.arange(len(rows))
            lsoa21_values = pa.concat_arrays([lsoa21_values, pa.array(placed, pa.string())])
    else:
        is_lsoa2011 = np.zeros(len(lsoa_values), dtype=bool)
        if not _file_is_2021(pa.chunked_array([lsoa_values])):
            lsoa21_values = pa.nulls(len(lsoa_values), pa.string())
        else:
            lsoa21_values = lsoa_values
    bad = reasons[0][0]
    for mask, _ in reasons[1:]:
        bad = bad | mask
    rejected_lines = np.array([], dtype=np.int32)
    rejected_reasons: list[str] = []
    keep: np.ndarray | None = None
    if bad.any():
        reason = np.full(n, None, dtype=object)
        for mask, label in reversed(reasons):  # the first reason that applies wins
            reason[mask] = label
        rejected_lines = lines.to_numpy(zero_copy_only=False)[bad]
        rejected_reasons = reason[bad].tolist()
        keep = np.flatnonzero(~bad)
    # The order that lets DuckDB's zone maps skip row groups on LSOA and category filters:
    # LSOA, then category (each ascending, NULL last), then line. The ranks of the few distinct
    # values make one small integer key per row; a stable sort of it keeps rows with the same
    # key in their order in the file, which is line order.
    lsoa_rank = _sort_rank(lsoa21_values)
    category_rank = _sort_rank(category_values)
    # int64: the product of the two numbers of distinct values can pass 2**31 in a strange file.
    key = lsoa_rank[lsoa21_codes].astype(np.int64) * (int(category_rank.max(initial=0)) + 1)
    key += category_rank[category_codes]
    if keep is not None:
        key = key[keep]
    line_numbers = lines.to_numpy(zero_copy_only=False)
    if keep is not None:
        line_numbers = line_numbers[keep]
    if len(line_numbers) < 2 or bool(np.all(line_numbers[1:] > line_numbers[:-1])):
        if key.max(initial=0) < 1 << 16:
            key = key.astype(np.uint16)  # numpy sorts 16-bit integers by radix: linear time
        order = np.argsort(key, kind="stable")
    else:  # rows not in line order (never from the CSV reader): sort by the line too
        order = np.lexsort((line_numbers, key))
    if keep is not None:
        order = keep[order]
    m = len(order)
    rows_at = pa.array(order)
    lsoa_in_order = lsoa_codes[order]
    columns: dict[str, pa.Array] = {
        "force": pa.repeat(pa.scalar(name.force, pa.string()), m),
        "month": pa.repeat(pa.scalar(name.month, pa.date32()), m),
        "crime_id": pc.take(text["crime_id"], rows_at),
        "reported_by": pc.take(text["reported_by"], rows_at),
        "falls_within": pc.take(text["falls_within"], rows_at),
        "longitude": pc.take(lon, rows_at),
        "latitude": pc.take(lat, rows_at),
        "location": pc.take(text["location"], rows_at),
        "lsoa_code": _take(lsoa_values, lsoa_in_order),
        "lsoa_name": pc.take(text["lsoa_name"], rows_at),
        "lsoa21_code": _take(lsoa21_values, lsoa21_codes[order]),
        category: _take(category_values, category_codes[order]),
        "source_file": pa.repeat(pa.scalar(source_file, pa.string()), m),
        "source_line": pc.take(lines, rows_at),
    }
    if kind == "street":
        columns["last_outcome"] = pc.take(text["last_outcome"], rows_at)
    schema = SCHEMAS[kind]
    accepted = pa.Table.from_arrays([columns[c] for c in schema.names], schema=schema)
    unlocated = columns["lsoa_code"].null_count
    ids = columns["crime_id"]
    distinct = len(pc.unique(ids)) - (1 if ids.null_count else 0)  # NULL is not an ID
    repeated = (len(ids) - ids.null_count) - distinct
    outside = columns["lsoa21_code"].null_count - unlocated
    unmapped = 0
    if not resolver.loaded:
        unmapped, outside = outside, 0
    per_code = np.bincount(lsoa_in_order, minlength=len(lsoa_values))
    lsoa2011_rows = int(per_code[is_lsoa2011].sum())
    return Transformed(
        accepted=accepted,
        rejected_lines=rejected_lines,
        rejected_reasons=rejected_reasons,
        unlocated_rows=unlocated,
        outside_geography_rows=int(outside),
        repeated_crime_id_rows=int(repeated),
        lsoa2011_rows=lsoa2011_rows,
        split_nearest_rows=int(split_nearest),
        outside_month_rows=0,
        unmapped_rows=int(unmapped),
    )


def transform(
    raw: pa.Table,
    name: PoliceFileName,
    source_file: str,
    resolver: LsoaResolver,
    cursor: duckdb.DuckDBPyConnection | None = None,
) -> Transformed:
    """Validate, convert and locate the rows of one parsed CSV.

    Parameters
    ----------
    raw : pyarrow.Table
        Output of :func:`crimestats.ingest.csvread.read_police_csv`; for street and outcomes
        read with ``blank_as_null=True``, for stop and search with blanks as ``""``.
    name : PoliceFileName
        Kind, force and month from the file name.
    source_file : str
        Path within the archive or tree, stored on every row.
    resolver : LsoaResolver
        The loaded geography (possibly empty).
    cursor : duckdb.DuckDBPyConnection, optional
        A DuckDB connection (or cursor) for stop-and-search files, whose dates are parsed in SQL.

    Returns
    -------
    Transformed
        Accepted rows in the store schema, sorted by ``lsoa21_code`` then category.
    """
    if name.kind != "stop_search":
        return _transform_coded(raw, name, source_file, resolver)
    if cursor is None:
        cursor = duckdb.connect()
    params: dict[str, object] = {"force": name.force, "source_file": source_file}
    pip = _locate_points(raw, resolver)
    cursor.register("raw", raw)
    cursor.register("pip", pip)
    try:
        table = cursor.sql(_STOP_SEARCH_SQL, params=params).to_arrow_table()
    finally:
        cursor.unregister("raw")
        cursor.unregister("pip")
    n_ok = table["reject_reason"].null_count
    accepted, rejected = table.slice(0, n_ok), table.slice(n_ok)
    unlocated = accepted["longitude"].null_count
    outside_month = pc.sum(pc.not_equal(accepted["month"], pa.scalar(name.month))).as_py()
    outside = accepted["lsoa21_code"].null_count - unlocated
    unmapped = 0
    if not resolver.loaded:
        # Without a geography nothing is "outside" it: these rows are simply not mapped yet.
        unmapped, outside = outside, 0
    schema = SCHEMAS[name.kind]
    accepted = accepted.select(schema.names)
    if accepted.schema != schema:
        accepted = accepted.cast(schema)
    return Transformed(
        accepted=accepted,
        rejected_lines=rejected["source_line"].to_numpy(zero_copy_only=False),
        rejected_reasons=rejected["reject_reason"].to_pylist(),
        unlocated_rows=int(unlocated),
        outside_geography_rows=int(outside),
        repeated_crime_id_rows=0,
        lsoa2011_rows=0,
        split_nearest_rows=0,
        outside_month_rows=int(outside_month or 0),
        unmapped_rows=int(unmapped),
    )
