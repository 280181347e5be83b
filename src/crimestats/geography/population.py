"""Resident population by 2021 LSOA: Census 2021 and ONS mid-year estimates.

Both loaders return the same table, ``(lsoa21_code, year, population, source)``, so rates can name
the population year they used (methods reference §2.2).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from crimestats.geography.ons import find_column, read_ons_csv, to_number

POPULATION_SCHEMA = pa.schema(
    [
        ("lsoa21_code", pa.string()),
        ("year", pa.int32()),
        ("population", pa.int64()),
        ("source", pa.string()),
    ]
)

CENSUS_SOURCE = "Census 2021 usual residents"


def read_census_population(path: Path) -> pa.Table:
    """Census 2021 usual residents per 2021 LSOA, summing the age groups of the file.

    Parameters
    ----------
    path : Path
        A CSV with one row per LSOA and age group: ``lsoa21_code`` (or ONS's ``Lower layer Super
        Output Areas Code``) and ``usual_residents`` (or ``Observation``).

    Returns
    -------
    pyarrow.Table
        ``POPULATION_SCHEMA``; year 2021, source ``"Census 2021 usual residents"``.
    """
    table = read_ons_csv(path)
    codes = find_column(
        table, [r"lsoa21_code", r"LSOA21CD", r"Lower layer Super Output Areas Code"], "LSOA", path
    )
    counts = find_column(table, [r"usual_residents", r"Observation", r"count"], "residents", path)
    summed = (
        pa.table({"lsoa21_code": codes, "population": to_number(counts)})
        .group_by("lsoa21_code")
        .aggregate([("population", "sum")])
        .rename_columns(["lsoa21_code", "population"])
        .sort_by("lsoa21_code")
    )
    return _population_table(summed["lsoa21_code"], summed["population"], 2021, CENSUS_SOURCE)


def _population_table(
    codes: pa.ChunkedArray, values: pa.ChunkedArray | pa.Array, year: int, source: str
) -> pa.Table:
    n = len(codes)
    return pa.table(
        {
            "lsoa21_code": codes,
            "year": pa.array([year] * n, pa.int32()),
            "population": pc.cast(values, pa.int64()),
            "source": pa.array([source] * n, pa.string()),
        },
        schema=POPULATION_SCHEMA,
    )


def read_mid_year_estimates(path: Path, *, year: int | None = None) -> pa.Table:
    """ONS mid-year population estimates for 2021 LSOAs, from a sheet saved as CSV.

    Parameters
    ----------
    path : Path
        One sheet of ONS's "Lower layer Super Output Area population estimates" workbook (e.g.
        ``sapelsoasyoa20222024.xlsx``, sheet ``Mid-2022 LSOA 2021``) saved as CSV. As ONS
        publishes it, a few title lines come first, then a header with ``LAD 2021 Code``,
        ``LAD 2021 Name``, ``LSOA 2021 Code``, ``LSOA 2021 Name``, ``Total`` and one column per
        sex and single year of age (``F0`` … ``M90``).
    year : int, optional
        The estimate's year. If omitted it is read from ``Mid-YYYY`` in the title lines or the
        file name.

    Returns
    -------
    pyarrow.Table
        ``POPULATION_SCHEMA`` with source ``"ONS mid-YYYY population estimate"``.

    Raises
    ------
    ValueError
        If no header row with ``LSOA 2021 Code`` and ``Total`` is found, or the year is unknown.
    """
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    lines = data.split(b"\n")
    header_index = next(
        (i for i, line in enumerate(lines[:50]) if b"LSOA 2021 Code" in line and b"Total" in line),
        None,
    )
    if header_index is None:
        raise ValueError(
            f"{path}: no header row with 'LSOA 2021 Code' and 'Total' in the first 50 lines; "
            "save the 'Mid-YYYY LSOA 2021' sheet of the ONS workbook as CSV"
        )
    if year is None:
        preamble = b"\n".join(lines[:header_index]).decode("utf-8", errors="replace")
        found = re.search(r"[Mm]id-?(\d{4})", preamble + " " + path.name)
        if found is None:
            raise ValueError(f"{path}: cannot tell the year; pass year= explicitly")
        year = int(found.group(1))
    table = pacsv.read_csv(
        pa.BufferReader(data),
        read_options=pacsv.ReadOptions(skip_rows=header_index),
        convert_options=pacsv.ConvertOptions(
            include_columns=["LSOA 2021 Code", "Total"],
            column_types={"LSOA 2021 Code": pa.string(), "Total": pa.string()},
            strings_can_be_null=False,
        ),
    )
    codes = pc.utf8_trim_whitespace(table["LSOA 2021 Code"])
    keep = pc.not_equal(codes, "")
    table = pa.table({"code": codes, "total": table["Total"]}).filter(keep)
    source = f"ONS mid-{year} population estimate"
    return _population_table(table["code"], to_number(table["total"]), year, source)
