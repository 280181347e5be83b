"""Hand counts straight from the raw police.uk CSVs and ONS files (no crimestats code).

Every reference number the measures tests compare with is counted here with ``csv.DictReader``
over the members of the zips in ``../shared/data`` (data README §4 method), so a mismatch is a
bug in the import or the measure, not in the reference.

Attribution. The README §4 counts attribute a row to North West Leicestershire when its
``LSOA name`` starts with "North West Leicestershire". The measures attribute a row to an area
when its (2021) LSOA code is one of the area's LSOAs in the ONS lookup. For files that carry
2021 codes (2024 on) the two rules select the same rows (checked in ``test_counts``); for the
2011-coded files (up to 2022-10) the 2011 LSOAs of NWL map to 2021 LSOAs of NWL (U and S only,
data README §1), so the name prefix of the 2011 name selects the same rows as well.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from dataclasses import dataclass
from functools import cache

from crimestats.categories import CRIME_TYPES
from tests.shared_data import shared_data_dir

SHARED = shared_data_dir()
POLICE = SHARED / "police-uk"
NWL = "E07000134"
NWL_PREFIX = "North West Leicestershire"


@dataclass(frozen=True, slots=True)
class Row:
    """One street row, as read from the CSV (slug for the crime type)."""

    force: str
    month: str
    crime_id: str
    lsoa_code: str
    lsoa_name: str
    crime_type: str
    outcome: str
    longitude: str
    latitude: str


@cache
def street_rows(zip_name: str, needle: str | None = None) -> tuple[Row, ...]:
    """Every data row of every ``*-street.csv`` member of one zip.

    With ``needle``, only lines containing that text are parsed (a quick pre-filter: the
    caller still tests the parsed fields, so it only saves time). The files have no quoted
    newlines (data README §3), so a line is a row.
    """
    rows: list[Row] = []
    with zipfile.ZipFile(POLICE / zip_name) as archive:
        for member in sorted(archive.namelist()):
            if not member.endswith("-street.csv"):
                continue
            name = member.rsplit("/", 1)[-1]
            month, force = name[:7], name[8:].removesuffix("-street.csv")
            with archive.open(member) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                if needle is not None:
                    lines = text.read().splitlines(keepends=True)
                    text = [lines[0], *(line for line in lines[1:] if needle in line)]
                for r in csv.DictReader(text):
                    rows.append(
                        Row(
                            force, month, r["Crime ID"], r["LSOA code"], r["LSOA name"],
                            CRIME_TYPES[r["Crime type"]], r["Last outcome category"],
                            r["Longitude"], r["Latitude"],
                        )
                    )  # fmt: skip
    return tuple(rows)


def months_held(zip_name: str) -> list[str]:
    """``YYYY-MM`` of the street members of a zip."""
    with zipfile.ZipFile(POLICE / zip_name) as archive:
        return sorted(m.split("/")[0] for m in archive.namelist() if m.endswith("-street.csv"))


def nwl_rows(*zip_names: str) -> list[Row]:
    """Rows whose LSOA name starts with "North West Leicestershire" (README §4 rule)."""
    return [
        r
        for z in zip_names
        for r in street_rows(z, NWL_PREFIX)
        if r.lsoa_name.startswith(NWL_PREFIX)
    ]


def by(rows: list[Row], attribute: str) -> Counter:
    """Count rows by one attribute."""
    return Counter(getattr(r, attribute) for r in rows)


@cache
def lsoa21_lad() -> dict[str, str]:
    """2021 LSOA → LAD code from the ONS best-fit ward lookup."""
    path = SHARED / "ons" / "lsoa21_ward24_lad24_leicestershire.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {r["lsoa21_code"]: r["ltla24_code"] for r in csv.DictReader(handle)}


@cache
def census_population() -> dict[str, int]:
    """Census 2021 usual residents by 2021 LSOA (sum of the six age groups)."""
    path = SHARED / "ons" / "census21_pop_lsoa21_leicestershire.csv"
    totals: Counter = Counter()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for r in csv.DictReader(handle):
            totals[r["lsoa21_code"]] += int(float(r["usual_residents"]))
    return dict(totals)


def nwl_codes() -> set[str]:
    """The 2021 LSOAs of North West Leicestershire."""
    return {code for code, lad in lsoa21_lad().items() if lad == NWL}


def as_dict(table, key: str, value: str) -> dict:
    """Two columns of an Arrow table as a dict."""
    return dict(zip(table[key].to_pylist(), table[value].to_pylist(), strict=True))
