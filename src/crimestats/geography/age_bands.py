"""Census 2021 usual residents by 2021 LSOA and age band (the six ONS age categories).

The store keeps one population total per LSOA (:mod:`crimestats.geography.population`); a
neighbourhood profile also shows how that total splits by age, read from the same Census file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from crimestats.geography.ons import find_column, read_ons_csv, to_number

__all__ = ["AGE_BANDS_SOURCE", "age_bands_for", "read_census_age_bands"]

AGE_BANDS_SOURCE = "Census 2021 usual residents by age (6 categories)"


def read_census_age_bands(path: Path) -> pa.Table:
    """Read the Census 2021 LSOA × age file as ``lsoa21_code, age_group, residents``.

    Parameters
    ----------
    path : Path
        A CSV with one row per LSOA and age group: ``lsoa21_code`` (or ONS's ``Lower layer
        Super Output Areas Code``), ``age_group`` (or ``Age (6 categories)``) and
        ``usual_residents`` (or ``Observation``).

    Returns
    -------
    pyarrow.Table
        One row per LSOA and age group, in file order.

    Raises
    ------
    ValueError
        If a needed column is missing (naming the file and the columns found).
    """
    table = read_ons_csv(path)
    codes = find_column(
        table, [r"lsoa21_code", r"LSOA21CD", r"Lower layer Super Output Areas Code"], "LSOA", path
    )
    groups = find_column(table, [r"age_group", r"Age \(6 categories\)$", r"age"], "age", path)
    residents = find_column(table, [r"usual_residents", r"Observation"], "residents", path)
    return pa.table(
        {
            "lsoa21_code": codes,
            "age_group": groups,
            "residents": pc.cast(to_number(residents), pa.int64()),
        }
    )


def age_bands_for(table: pa.Table, codes: Iterable[str]) -> list[tuple[str, int]]:
    """Residents by age group summed over ``codes``, in the order the file lists the groups.

    Examples
    --------
    >>> t = pa.table({"lsoa21_code": ["A", "A", "B", "B"],
    ...               "age_group": ["Aged 15 years and under", "Aged 16 to 24 years"] * 2,
    ...               "residents": [10, 5, 7, 3]})
    >>> age_bands_for(t, ["A", "B"])
    [('Aged 15 years and under', 17), ('Aged 16 to 24 years', 8)]
    """
    wanted = pa.array(sorted(set(codes)), pa.string())
    rows = table.filter(pc.is_in(table["lsoa21_code"], wanted))
    totals: dict[str, int] = {}
    for group, value in zip(
        rows["age_group"].to_pylist(), rows["residents"].to_pylist(), strict=True
    ):
        totals[group] = totals.get(group, 0) + int(value or 0)
    return list(totals.items())
