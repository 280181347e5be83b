"""The three police.uk CSV layouts and why rows are refused.

The Parquet schemas the store keeps live in :mod:`crimestats.store.schema` (re-exported here).

Headers are compared exactly (after removing a UTF-8 BOM): police.uk has used the same headers
since 2013, so a different header means a different or edited file, and guessing would risk
putting values in the wrong column (methods reference §1.1, §1.3, §1.4).
"""

from __future__ import annotations

from crimestats.store.schema import (
    OUTCOMES_SCHEMA,
    SCHEMAS,
    STOP_SEARCH_SCHEMA,
    STREET_SCHEMA,
)

__all__ = [
    "HEADERS",
    "OUTCOMES_HEADER",
    "OUTCOMES_SCHEMA",
    "RAW_COLUMNS",
    "REJECT_REASONS",
    "SCHEMAS",
    "STOP_SEARCH_HEADER",
    "STOP_SEARCH_SCHEMA",
    "STREET_HEADER",
    "STREET_SCHEMA",
]

STREET_HEADER: tuple[str, ...] = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)

OUTCOMES_HEADER: tuple[str, ...] = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Outcome type",
)

STOP_SEARCH_HEADER: tuple[str, ...] = (
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
)

HEADERS: dict[str, tuple[str, ...]] = {
    "street": STREET_HEADER,
    "outcomes": OUTCOMES_HEADER,
    "stop_search": STOP_SEARCH_HEADER,
}

# Internal snake_case names used while reading the CSV (same order as the header).
RAW_COLUMNS: dict[str, tuple[str, ...]] = {
    "street": (
        "crime_id",
        "month",
        "reported_by",
        "falls_within",
        "longitude",
        "latitude",
        "location",
        "lsoa_code",
        "lsoa_name",
        "crime_type",
        "last_outcome",
        "context",
    ),
    "outcomes": (
        "crime_id",
        "month",
        "reported_by",
        "falls_within",
        "longitude",
        "latitude",
        "location",
        "lsoa_code",
        "lsoa_name",
        "outcome_type",
    ),
    "stop_search": (
        "type",
        "date",
        "part_of_policing_operation",
        "policing_operation",
        "latitude",
        "longitude",
        "gender",
        "age_range",
        "self_defined_ethnicity",
        "officer_defined_ethnicity",
        "legislation",
        "object_of_search",
        "outcome",
        "outcome_linked",
        "removal_outer_clothing",
    ),
}

# Why a row was refused. The codes are stable: they appear in the JSON summary and rejects file.
REJECT_REASONS: dict[str, str] = {
    "wrong-field-count": "the row does not have the header's number of fields",
    "month-mismatch": "the Month column disagrees with the month in the file name",
    "bad-coordinates": "longitude/latitude not numeric, out of range, or only one of them given",
    "unknown-crime-type": "Crime type is not one of the 14 police.uk categories",
    "bad-date": "Date is not an ISO 8601 date-time",
    "bad-boolean": "a True/False column holds another value",
}
