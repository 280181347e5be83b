"""The store's vocabulary: the kinds of record, their Parquet schemas and month labels.

Everything that reads or writes the store agrees on these. They live here, not in the importer,
so that reading the store never loads the importer (or shapely, which it uses for geometry):
``crimestats.ingest`` imports ``crimestats.store``, never the reverse (an import-linter contract
in ``pyproject.toml`` enforces it).
"""

from __future__ import annotations

import re
from datetime import date

import pyarrow as pa

KINDS: tuple[str, ...] = ("street", "outcomes", "stop_search")
"""The kinds of record the store holds; each is a view of the same name."""

# ASCII digits only: Python's \d also matches other scripts' digits, which int() reads.
_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")


def parse_month(label: str) -> date:
    """Parse a ``YYYY-MM`` month label into the first day of that month.

    Parameters
    ----------
    label : str
        Exactly ``YYYY-MM`` with a month from 01 to 12 and a year from 1900 to 2999.

    Returns
    -------
    datetime.date
        The first day of the month.

    Raises
    ------
    ValueError
        If ``label`` is not a valid month label.

    Examples
    --------
    >>> parse_month("2025-01")
    datetime.date(2025, 1, 1)
    """
    match = _MONTH_RE.fullmatch(label) if isinstance(label, str) else None
    if match is None:
        raise ValueError(f"not a month label (expected YYYY-MM): {label!r}")
    year, month = int(match.group(1)), int(match.group(2))
    if not (1900 <= year <= 2999 and 1 <= month <= 12):
        raise ValueError(f"not a month label (month or year out of range): {label!r}")
    return date(year, month, 1)


def format_month(month: date) -> str:
    """Format a date as its ``YYYY-MM`` month label.

    Examples
    --------
    >>> format_month(date(2025, 3, 1))
    '2025-03'
    """
    return f"{month.year:04d}-{month.month:02d}"


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
