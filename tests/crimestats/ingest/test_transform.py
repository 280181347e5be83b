"""The street rules, order and counts of ``transform`` on a hand-made parsed file (no geography)."""

from __future__ import annotations

import pyarrow as pa

from crimestats.geography.resolver import LsoaResolver
from crimestats.ingest.names import parse_file_name
from crimestats.ingest.schemas import RAW_COLUMNS, STREET_SCHEMA
from crimestats.ingest.transform import transform

NAME = parse_file_name("2025-01/2025-01-testforce-street.csv")


def _raw(rows: list[dict[str, str | None]], lines: list[int]) -> pa.Table:
    columns = {c: pa.array([r.get(c) for r in rows], pa.string()) for c in RAW_COLUMNS["street"]}
    columns["source_line"] = pa.array(lines, pa.int32())
    return pa.table(columns)


def _row(
    crime_id: str | None, lsoa: str | None, crime: str | None, **more: str | None
) -> dict[str, str | None]:
    row = {"crime_id": crime_id, "month": "2025-01", "longitude": "-1.2", "latitude": "52.7",
           "lsoa_code": lsoa, "crime_type": crime}  # fmt: skip
    return {**row, **more}


def test_rows_sorted_by_lsoa_then_category_then_line_even_if_lines_are_shuffled() -> None:
    rows = [
        _row("a", "E01035000", "Robbery"),
        _row("b", "E01035000", "Burglary"),
        _row(None, None, "Burglary", longitude=None, latitude=None),  # blank: NULL when parsed
        _row("c", "E01035000", "Burglary"),
        _row("d", "E01034000", "Robbery"),
    ]

    done = transform(_raw(rows, [9, 4, 2, 3, 5]), NAME, "x.csv", LsoaResolver.empty())

    got = done.accepted
    assert got.schema == STREET_SCHEMA
    assert got["source_line"].to_pylist() == [5, 3, 4, 9, 2]
    assert got["crime_type"].to_pylist() == [
        "robbery",
        "burglary",
        "burglary",
        "robbery",
        "burglary",
    ]
    # A file with 2021-only codes keeps them as its 2021 codes without a geography.
    assert got["lsoa21_code"].to_pylist() == got["lsoa_code"].to_pylist()
    assert done.unlocated_rows == 1


def test_first_failing_rule_names_the_reason_and_counts_cover_accepted_rows_only() -> None:
    rows = [
        _row("a", "E01035000", "Made up", month="2024-12"),  # month first
        _row("a", "E01035000", "Made up"),  # unknown crime type
        _row("a", "E01035000", "Drugs", latitude="91"),  # bad coordinates
        _row("a", "E01035000", "Drugs", longitude="1_000"),  # not a number
        _row("a", "E01035000", "Drugs"),
        _row("a", "E01035000", "Drugs"),
        _row(None, "E01035000", "Drugs"),
    ]

    done = transform(_raw(rows, list(range(2, 9))), NAME, "x.csv", LsoaResolver.empty())

    assert done.rejected_lines.tolist() == [2, 3, 4, 5]
    assert done.rejected_reasons == [
        "month-mismatch",
        "unknown-crime-type",
        "bad-coordinates",
        "bad-coordinates",
    ]
    assert done.accepted.num_rows == 3
    assert done.repeated_crime_id_rows == 1  # "a" twice among the kept rows; blank is no ID
