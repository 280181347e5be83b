"""A resident's postcode → the 2021 small area (LSOA) and district, from the ONS lookup.

The shared data pack holds the ONS postcode → LSOA lookup (May 2022) for the Leicestershire
force area, with **2011** LSOAs; the crime data and the partnership's areas use **2021** LSOAs,
so each 2011 code is mapped with the ONS 2011 → 2021 best-fit lookup. Both files are read once
per process (a few tens of thousands of rows) and kept in memory.

Terminated postcodes are known (``doterm`` set) and refused with their own message, so a
resident with an old letterhead is told why rather than "not found".
"""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

POSTCODE_FILE = Path("postcodes") / "PCD_OA_LSOA_MSOA_LAD_MAY22_UK_LU_leics.csv.gz"
BESTFIT_FILE = Path("ons") / "lsoa11_lsoa21_lad22_bestfit_leicestershire.csv"

# The UK postcode shape (outward code, space optional, inward code), as the GOV.UK pattern checks.
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")

# Postcode areas wholly outside England. A few border areas (CH, LD, SY, TD, NP...) straddle a
# border; only the areas entirely in one country are listed, so no English postcode is refused.
NOT_ENGLAND = {
    **{
        area: "Scotland"
        for area in (
            "AB",
            "DD",
            "DG",
            "EH",
            "FK",
            "G",
            "HS",
            "IV",
            "KA",
            "KW",
            "KY",
            "ML",
            "PA",
            "PH",
            "ZE",
        )
    },
    **{area: "Wales" for area in ("CF", "LL", "SA")},
    "BT": "Northern Ireland",
}


@dataclass(frozen=True)
class PostcodePlace:
    postcode: str  # "LE65 1AA"
    lsoa_code: str  # 2021 LSOA, e.g. "E01025915"
    lsoa_name: str  # "North West Leicestershire 003A"
    lad_code: str
    lad_name: str
    terminated: bool


class PostcodeError(ValueError):
    """A postcode that cannot be used, with the message for the resident."""


def normalise(text: str) -> str:
    """``" le651aa "`` → ``"LE65 1AA"`` (unchanged shape when it is not a postcode)."""
    compact = re.sub(r"\s+", "", (text or "").upper())
    if len(compact) >= 5:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def _data_dir() -> Path:
    return Path(settings.SAFERPLACES_SHARED_DATA)


@lru_cache(maxsize=2)
def _bestfit(folder: Path) -> dict[str, tuple[str, str]]:
    with (folder / BESTFIT_FILE).open(encoding="utf-8-sig", newline="") as handle:
        return {
            row["LSOA11CD"]: (row["LSOA21CD"], row["LSOA21NM"]) for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=2)
def _lookup(folder: Path) -> tuple[dict[str, PostcodePlace], dict[str, str]]:
    """Postcode → place, and district code → name, for the whole file."""
    bestfit = _bestfit(folder)
    places: dict[str, PostcodePlace] = {}
    districts: dict[str, str] = {}
    with gzip.open(folder / POSTCODE_FILE, "rt", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            lsoa21, name21 = bestfit.get(row["lsoa11cd"], (row["lsoa11cd"], row["lsoa11nm"]))
            postcode = normalise(row["pcds"])
            districts[row["ladcd"]] = row["ladnm"]
            places[postcode] = PostcodePlace(
                postcode=postcode,
                lsoa_code=lsoa21,
                lsoa_name=name21,
                lad_code=row["ladcd"],
                lad_name=row["ladnm"],
                terminated=bool(row["doterm"].strip()),
            )
    return places, districts


def district_names() -> dict[str, str]:
    """District code → name, for the districts the lookup covers."""
    return _lookup(_data_dir())[1]


def postcode_find(text: str) -> PostcodePlace | None:
    """The place of a postcode in the lookup (live or terminated), or None."""
    return _lookup(_data_dir())[0].get(normalise(text))


def postcode_place(text: str) -> PostcodePlace:
    """The live postcode's place; a :class:`PostcodeError` saying plainly what is wrong."""
    postcode = normalise(text)
    if not postcode:
        raise PostcodeError("Enter a postcode, like LE65 1AA")
    match = POSTCODE_RE.match(postcode)
    if match is None:
        raise PostcodeError("Enter a real postcode, like LE65 1AA")
    area = re.match(r"[A-Z]+", match.group(1)).group(0)  # type: ignore[union-attr]
    country = NOT_ENGLAND.get(area)
    if country:
        raise PostcodeError(
            f"{postcode} is in {country}. This service is for places in England covered by "
            "this partnership: contact the local council or police where the problem is"
        )
    place = postcode_find(postcode)
    if place is None:
        raise PostcodeError(
            f"We cannot find {postcode} in this partnership's area. Check the postcode, or "
            "choose 'describe the place' instead"
        )
    if place.terminated:
        raise PostcodeError(
            f"{postcode} is no longer in use (Royal Mail has retired it). Enter the postcode "
            "in use now, or describe the place instead"
        )
    return place
