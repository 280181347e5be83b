"""Names of places and police forces for pages, so people read names and codes come second.

District names come from the crime store's geography (ONS names, loaded with the crime data:
``saferplaces geography load``), cached; a code the geography does not hold is shown as the code.
Police force names are those data.police.uk gives its force identifiers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from crimestats.areas import force_label, lsoa_lookup
from crimestats.engines import open_engine
from crimestats.store import Store

NAMES_CACHE_SECONDS = 60 * 60

# data.police.uk force identifiers and the forces' own names (England, Wales, Northern Ireland).
POLICE_FORCE_NAMES = {
    "avon-and-somerset": "Avon and Somerset Constabulary",
    "bedfordshire": "Bedfordshire Police",
    "btp": "British Transport Police",
    "cambridgeshire": "Cambridgeshire Constabulary",
    "cheshire": "Cheshire Constabulary",
    "city-of-london": "City of London Police",
    "cleveland": "Cleveland Police",
    "cumbria": "Cumbria Constabulary",
    "derbyshire": "Derbyshire Constabulary",
    "devon-and-cornwall": "Devon and Cornwall Police",
    "dorset": "Dorset Police",
    "durham": "Durham Constabulary",
    "dyfed-powys": "Dyfed-Powys Police",
    "essex": "Essex Police",
    "gloucestershire": "Gloucestershire Constabulary",
    "greater-manchester": "Greater Manchester Police",
    "gwent": "Gwent Police",
    "hampshire": "Hampshire and Isle of Wight Constabulary",
    "hertfordshire": "Hertfordshire Constabulary",
    "humberside": "Humberside Police",
    "kent": "Kent Police",
    "lancashire": "Lancashire Constabulary",
    "leicestershire": "Leicestershire Police",
    "lincolnshire": "Lincolnshire Police",
    "merseyside": "Merseyside Police",
    "metropolitan": "Metropolitan Police Service",
    "norfolk": "Norfolk Constabulary",
    "north-wales": "North Wales Police",
    "north-yorkshire": "North Yorkshire Police",
    "northamptonshire": "Northamptonshire Police",
    "northern-ireland": "Police Service of Northern Ireland",
    "northumbria": "Northumbria Police",
    "nottinghamshire": "Nottinghamshire Police",
    "south-wales": "South Wales Police",
    "south-yorkshire": "South Yorkshire Police",
    "staffordshire": "Staffordshire Police",
    "suffolk": "Suffolk Constabulary",
    "surrey": "Surrey Police",
    "sussex": "Sussex Police",
    "thames-valley": "Thames Valley Police",
    "warwickshire": "Warwickshire Police",
    "west-mercia": "West Mercia Police",
    "west-midlands": "West Midlands Police",
    "west-yorkshire": "West Yorkshire Police",
    "wiltshire": "Wiltshire Police",
}


def police_force_name(slug: str) -> str:
    """``"leicestershire"`` → ``"Leicestershire Police"``; an unknown slug is spelt out."""
    slug = (slug or "").strip()
    return POLICE_FORCE_NAMES.get(slug) or (f"{force_label(slug)} Police" if slug else "")


def _all_district_names(data_dir: Path) -> dict[str, str]:
    engine = open_engine(Store(data_dir))
    try:
        table = lsoa_lookup(engine)
    finally:
        engine.close()
    return {
        code: name
        for code, name in zip(
            table["lad_code"].to_pylist(), table["lad_name"].to_pylist(), strict=True
        )
        if code and name
    }


def district_names(codes: Iterable[str]) -> dict[str, str]:
    """ONS names of the given local authority district codes that the geography holds."""
    data_dir = Path(settings.DATA_DIR)
    key = "core:district-names:" + hashlib.sha256(str(data_dir).encode()).hexdigest()[:12]
    names = cache.get(key)
    if names is None:
        try:
            names = _all_district_names(data_dir)
        except (OSError, ValueError):
            names = {}  # no geography loaded: the page shows codes
        cache.set(key, names, NAMES_CACHE_SECONDS)
    return {code: names[code] for code in codes if code in names}
