"""A map pin (latitude, longitude) → the 2021 small area (LSOA) it falls in.

The boundaries are the ones the crime map and neighbourhood profiles already use: the crime
store's geography (``lsoa_geometry``, loaded with ``saferplaces geography load``). The shapes
of the districts asked for are read once per store version and kept in a spatial index.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PinPlace:
    lsoa_code: str
    lsoa_name: str
    lad_code: str


class PinError(ValueError):
    """The pin cannot be placed; the message is for the resident."""


NO_MAP = (
    "We cannot find places from a map pin at the moment. Enter a postcode or describe the "
    "place instead"
)

_lock = threading.Lock()
_index: dict[tuple[str, int, tuple[str, ...]], tuple[Any, list[PinPlace]]] = {}


def _load(lad_codes: tuple[str, ...]) -> tuple[Any, list[PinPlace]] | None:
    import shapely

    from crimestats.areas import lsoa_lookup
    from saferplaces.analytics.engine import engine_for
    from saferplaces.analytics.selectors import crime_data_store

    store = crime_data_store()
    if not store.data_dir.is_dir() or not store.geography_loaded():
        return None
    version = int(store.catalogue_version())
    key = (str(store.data_dir), version, lad_codes)
    with _lock:
        if key in _index:
            return _index[key]
        with engine_for(store, version) as engine:
            lookup = {
                row["lsoa21_code"]: row
                for row in lsoa_lookup(engine).to_pylist()
                if row["lad_code"] in lad_codes
            }
            table = engine.geography("lsoa_geometry")
            rows = engine.fetch(table.filter(table.lsoa21_code.isin(sorted(lookup))))
        codes = rows["lsoa21_code"].to_pylist()
        shapes = shapely.from_geojson(rows["geojson"].to_pylist())
        places = [
            PinPlace(code, lookup[code]["lsoa21_name"] or code, lookup[code]["lad_code"])
            for code in codes
        ]
        _index[key] = (shapely.STRtree(shapes), places)
        return _index[key]


def pin_place(latitude: float, longitude: float, lad_codes: Collection[str]) -> PinPlace | None:
    """The LSOA of the districts ``lad_codes`` holding the point, or None when outside them.

    Raises :class:`PinError` when no boundaries are loaded.
    """
    import shapely

    loaded = _load(tuple(sorted(lad_codes)))
    if loaded is None:
        raise PinError(NO_MAP)
    tree, places = loaded
    hits = tree.query(shapely.Point(longitude, latitude), predicate="intersects")
    return places[int(hits[0])] if len(hits) else None
