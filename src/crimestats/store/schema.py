"""The store's vocabulary: the kinds of record and their Parquet schemas.

Everything that reads or writes the store agrees on these. They live here, not in the importer,
so that reading the store never loads the importer (or shapely, which it uses for geometry):
``crimestats.ingest`` imports ``crimestats.store``, never the reverse (an import-linter contract
in ``pyproject.toml`` enforces it). Month labels (``YYYY-MM``) are read and written with
:mod:`crimestats.months`, the one month module below both.
"""

from __future__ import annotations

import pyarrow as pa

KINDS: tuple[str, ...] = ("street", "outcomes", "stop_search")
"""The kinds of record the store holds; each is a view of the same name."""

STREET_SCHEMA = pa.schema(
    [
        ("force", pa.string()),
        ("month", pa.date32()),
        ("crime_id", pa.string()),
        ("reported_by", pa.string()),
        ("falls_within", pa.string()),
        ("longitude", pa.float64()),
        ("latitude", pa.float64()),
        ("location", pa.string()),
        ("lsoa_code", pa.string()),
        ("lsoa_name", pa.string()),
        ("lsoa21_code", pa.string()),
        ("crime_type", pa.string()),
        ("last_outcome", pa.string()),
        ("source_file", pa.string()),
        ("source_line", pa.int32()),
    ]
)

OUTCOMES_SCHEMA = pa.schema(
    [
        ("crime_id", pa.string()),
        ("month", pa.date32()),
        ("reported_by", pa.string()),
        ("falls_within", pa.string()),
        ("longitude", pa.float64()),
        ("latitude", pa.float64()),
        ("location", pa.string()),
        ("lsoa_code", pa.string()),
        ("lsoa_name", pa.string()),
        ("lsoa21_code", pa.string()),
        ("outcome_type", pa.string()),
        ("force", pa.string()),
        ("source_file", pa.string()),
        ("source_line", pa.int32()),
    ]
)

STOP_SEARCH_SCHEMA = pa.schema(
    [
        ("force", pa.string()),
        ("month", pa.date32()),
        ("datetime", pa.timestamp("us")),
        ("type", pa.string()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("gender", pa.string()),
        ("age_range", pa.string()),
        ("self_defined_ethnicity", pa.string()),
        ("officer_defined_ethnicity", pa.string()),
        ("legislation", pa.string()),
        ("object_of_search", pa.string()),
        ("outcome", pa.string()),
        ("outcome_linked", pa.bool_()),
        ("removal_outer_clothing", pa.bool_()),
        ("lsoa21_code", pa.string()),
        ("part_of_policing_operation", pa.string()),
        ("policing_operation", pa.string()),
        ("source_file", pa.string()),
        ("source_line", pa.int32()),
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "street": STREET_SCHEMA,
    "outcomes": OUTCOMES_SCHEMA,
    "stop_search": STOP_SEARCH_SCHEMA,
}
