"""Reads for the crime map: LSOA rates, Gi* hot and cold spots and repeat locations as GeoJSON.

One :class:`MapData` feeds the Leaflet map (its ``geojson``, fetched by the browser), the
accessible table beside it (its ``rows``) and a static map in a PDF
(:func:`saferplaces_reports.maps.choropleth_svg`). The figures come from ``crimestats``: the
counts, Gi* classes and map points from :func:`crimestats.measures.hotspots`, each
neighbourhood's rate from :func:`crimestats.methods.rates.rate_per_1000` with the population
year the measure chose, as :func:`crimestats.measures.rates` would give for that LSOA alone.

Geometry (:mod:`saferplaces.analytics.mapgeometry`): the store's ONS generalised boundaries,
simplified with shapely (``preserve_topology=True``, about 10 m) and rounded to 5 decimal places
(about a metre), so a partnership's map stays well under 200 KB. The simplified shapes are cached
per area on the engine (one per import); the whole result is cached in Django's cache under the
store's catalogue version, like the crime data page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from crimestats import Query, measures
from crimestats.areas import Area, lsoa_lookup, principal_forces, resolve_area
from crimestats.categories import resolve_categories
from crimestats.engines import Engine
from crimestats.measures.hotspots import SNAP_NOTE
from crimestats.measures.population import lsoa_populations
from crimestats.methods.rates import SMALL_NUMBER_THRESHOLD, rate_per_1000
from crimestats.months import add_months, month_label
from crimestats.store import Store
from crimestats.synthetic import store_is_synthetic
from saferplaces.accounts.models import Partnership
from saferplaces.analytics.engine import engine_for
from saferplaces.analytics.mapgeometry import COARSE_GRID_M, area_geometry, coarsen_points
from saferplaces.analytics.mapquery import (
    MapQuery,
    MapQueryError,
    categories_label,
    counted_noun,
    map_query_parse,
)
from saferplaces.analytics.permissions import NOT_ALLOWED, can_view_crime_data
from saferplaces.analytics.selectors import (
    CACHE_SECONDS,
    NO_AREA,
    NO_DATA,
    NOT_COMPUTED,
    READY,
    SUMMARY_FORMAT,
    crime_data_store,
    partnership_area_get,
)
from saferplaces.analytics.summary import month_ranges, month_span
from saferplaces_reports.maps import (
    GI_CLASSES,
    NO_CLASS_COLOUR,
    class_colours,
    class_labels,
    classify,
    quantile_breaks,
)

__all__ = [
    "COARSE_GRID_M",
    "MapData",
    "MapQuery",
    "MapQueryError",
    "map_data_get",
    "map_data_prepare",
    "map_query_parse",
]

REPEAT_LOCATIONS = 10
MAP_MONTHS = 12
RATE_CLASSES = 5
# Row figures the browser does not need (the popup takes the population year from the meta):
# leaving them out keeps a city's GeoJSON under 200 KB.
TABLE_ONLY = frozenset({"population_year", "rate_class_label", "gi_z"})
SMALL_NUMBER_TEXT = f"fewer than {SMALL_NUMBER_THRESHOLD} crimes: too few to colour"


def _fingerprint() -> str:
    # The crime data page's fingerprint (crimestats and its summary) plus the map's modules, so
    # a change to the map's shape misses old cache entries instead of serving them.
    digest = hashlib.sha256(SUMMARY_FORMAT.encode())
    for name in ("mapdata.py", "mapgeometry.py", "mapquery.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:12]


MAP_FORMAT = _fingerprint()


@dataclass(frozen=True)
class MapData:
    """The map of one area, period and categories: GeoJSON, legend and the table's rows.

    ``geojson`` is a FeatureCollection: one Polygon/MultiPolygon feature per LSOA (``kind``
    ``"lsoa"``) and one Point per repeat location (``kind`` ``"repeat_location"``); its
    ``saferplaces`` member carries the legend, period and provenance for the browser.
    """

    state: str
    message: str = ""
    is_synthetic: bool = False
    stand_in: str = ""
    geojson: dict[str, Any] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    points: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    catalogue_version: int = 0

    @property
    def caption(self) -> str:
        """'Burglary per 1,000 residents by neighbourhood, North West Leicestershire, 2025'."""
        if not self.meta:
            return "Crime map"
        return (
            f"{self.meta['categories']} per 1,000 residents by neighbourhood, "
            f"{self.meta['area']['label']}, {self.meta['period']}"
        )


# -- the figures ---------------------------------------------------------------------------------


def _period(engine: Engine, area: Area, query: MapQuery) -> tuple[date, date]:
    """The period asked for, checked against the months the area's forces hold."""
    parts = engine.partitions("street")
    forces = principal_forces(engine, area)
    if forces:
        parts = parts.filter(pc.is_in(parts["force"], value_set=_strings(forces)))
    held = sorted(set(parts["month"].to_pylist()))
    if not held:
        raise MapQueryError(f"No crime data is loaded for {area.label}.")
    last = query.last or (add_months(query.first, MAP_MONTHS - 1) if query.first else held[-1])
    last = min(last, held[-1]) if query.first and not query.last else last
    first = query.first or add_months(last, -(MAP_MONTHS - 1))
    if last < held[0] or first > held[-1] or not any(first <= m <= last for m in held):
        raise MapQueryError(
            f"No crime data for {month_span(first, last)}: the data held for {area.label} runs "
            f"from {month_span(held[0], held[-1])}, with gaps where months are missing."
        )
    return first, last


def _strings(values: Any) -> Any:
    import pyarrow as pa

    return pa.array(list(values), pa.string())


def _area(engine: Engine, partnership_area: Area, query: MapQuery) -> Area:
    if not query.area:
        return partnership_area
    try:
        area = resolve_area(engine, query.area, label=query.area_label or None)
    except ValueError as error:
        raise MapQueryError(
            f"Area {query.area[:40]} is not in the loaded geography: {error}."
        ) from error
    outside = sorted(set(area.lsoa_codes) - set(partnership_area.lsoa_codes))
    if outside:
        raise MapQueryError(
            f"Area {area.label} is not inside {partnership_area.label}: "
            f"{len(outside)} of its neighbourhoods lie outside it (for example {outside[0]})."
        )
    return area


def _gi_class(bin_: int, testable: bool) -> tuple[str, str, str]:
    wanted: int | None = int(bin_) if testable else None
    for key, value, label, colour in GI_CLASSES:
        if value == wanted:
            return key, label, colour
    raise AssertionError(bin_)


def _rate_figures(count: int, population: float | None, months: int) -> dict[str, Any]:
    rate = rate_per_1000(count, population, months=max(months, 1))
    return {
        "rate": None if rate.rate is None else round(rate.rate, 2),
        "rate_lower": None if rate.lower is None else round(rate.lower, 2),
        "rate_upper": None if rate.upper is None else round(rate.upper, 2),
        "small_number": rate.small_number,
    }


def _compute(engine: Engine, area: Area, query: MapQuery, coarsen: bool) -> dict[str, Any]:
    first, last = _period(engine, area, query)
    categories = resolve_categories(query.category or None)
    result = measures.hotspots(
        engine,
        Query(area, first=first, last=last, categories=categories),
        top=REPEAT_LOCATIONS,
        computed_at=timezone.now(),
    )
    provenance = result.provenance
    months_used = len(provenance.months_used)
    if months_used == 0:
        raise MapQueryError(f"No crime data for {month_span(first, last)}: every month is missing.")
    year = provenance.population_year_used
    populations = lsoa_populations(engine, area.lsoa_codes, year)
    lookup = lsoa_lookup(engine)
    ward_names = (
        lookup["ward_name"].to_pylist()
        if "ward_name" in lookup.column_names
        else [None] * lookup.num_rows
    )
    wards = dict(zip(lookup["lsoa21_code"].to_pylist(), ward_names, strict=True))
    geometry = area_geometry(engine, area.lsoa_codes)

    rows = []
    for lsoa in result.lsoas.to_pylist():
        code = lsoa["lsoa21_code"]
        figures = _rate_figures(int(lsoa["count"]), populations.get(code), months_used)
        gi_key, gi_text, gi_colour = _gi_class(lsoa["bin"], bool(lsoa["testable"]))
        rows.append(
            {
                "code": code,
                "name": lsoa["lsoa21_name"] or code,
                "ward": wards.get(code) or "",
                "count": int(lsoa["count"]),
                "population": populations.get(code),
                "population_year": year,
                **figures,
                "gi_class": gi_key,
                "gi_label": gi_text
                if lsoa["testable"]
                else (lsoa["label"] or "not tested").capitalize(),
                "gi_colour": gi_colour,
                "gi_z": None
                if lsoa["gi_z"] is None or not lsoa["testable"]
                else round(lsoa["gi_z"], 2),
            }
        )

    # §2.5: a rate from fewer than 10 crimes is shown but neither ranked nor coloured, so the
    # breaks are the quantiles of the other neighbourhoods' rates.
    colourable = [r["rate"] for r in rows if r["rate"] is not None and not r["small_number"]]
    breaks = quantile_breaks(colourable, k=RATE_CLASSES)
    colours = class_colours(len(breaks) + 1) if colourable else []
    labels = class_labels(breaks) if colourable else []
    for row in rows:
        cls = None if row["small_number"] else classify(row["rate"], breaks)
        row["rate_class"] = cls
        row["rate_colour"] = NO_CLASS_COLOUR if cls is None else colours[cls]
        row["rate_class_label"] = (
            labels[cls]
            if cls is not None
            else (
                SMALL_NUMBER_TEXT
                if row["small_number"] and row["rate"] is not None
                else "no rate: no population figure"
            )
        )

    raw_points = result.map_points.to_pylist()
    points = (
        coarsen_points(raw_points)
        if coarsen
        else [
            {
                "rank": p["rank"],
                "longitude": p["longitude"],
                "latitude": p["latitude"],
                "count": int(p["count"]),
                "location": p["location"] or "",
                "description": p["description"],
            }
            for p in raw_points
        ]
    )

    features = [
        {
            "type": "Feature",
            "geometry": geometry[row["code"]],
            "properties": {
                "kind": "lsoa",
                **{k: v for k, v in row.items() if k not in TABLE_ONLY},
            },
        }
        for row in rows
        if row["code"] in geometry
    ]
    features += [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [p["longitude"], p["latitude"]]},
            "properties": {
                "kind": "repeat_location",
                "coarsened": coarsen,
                **{k: v for k, v in p.items() if k not in {"longitude", "latitude"}},
            },
        }
        for p in points
    ]
    rows.sort(key=lambda r: (r["rate"] is None, -(r["rate"] or 0.0), -r["count"], r["name"]))

    gi = result.gi
    meta = {
        "area": {"code": area.code, "label": area.label, "kind": area.kind, "lsoas": area.n_lsoas},
        "period": month_span(first, last),
        "from": month_label(first),
        "to": month_label(last),
        "months_used": months_used,
        "months_missing": month_ranges(provenance.months_missing),
        "categories": categories_label(query.category),
        "noun": counted_noun(query.category),
        "category": query.category,
        "population_year": year,
        "population_note": provenance.population_note or "",
        "rates": {
            "title": f"{counted_noun(query.category).capitalize()} per 1,000 residents",
            "method": "quantile breaks: about the same number of neighbourhoods in each class",
            "breaks": breaks,
            "classes": [
                {"label": label, "colour": colour}
                for label, colour in zip(labels, colours, strict=True)
            ],
            "no_class": {"label": SMALL_NUMBER_TEXT, "colour": NO_CLASS_COLOUR},
        },
        "gi": {
            "title": "Hot and cold spots (Getis-Ord Gi*)",
            "classes": [
                {"key": k, "label": label, "colour": colour} for k, _b, label, colour in GI_CLASSES
            ],
            "legend": gi.legend,
            "reason": gi.reason or "",
            "tested": gi.n_testable,
            "method": gi.method,
        },
        "points": {
            "title": "Repeat locations",
            "coarsened": coarsen,
            "grid_m": COARSE_GRID_M if coarsen else None,
            "note": SNAP_NOTE,
            "count": len(points),
        },
        "source": "data.police.uk street-level crime (Open Government Licence v3.0); ONS "
        "boundaries and population (contains OS data © Crown copyright and database "
        "right)",
        "computed_at": provenance.computed_at.isoformat() if provenance.computed_at else "",
        "catalogue_version": provenance.catalogue_version,
    }
    geojson = {"type": "FeatureCollection", "features": features, "saferplaces": meta}
    return {"geojson": geojson, "rows": rows, "points": points, "meta": meta}


# -- the selectors -------------------------------------------------------------------------------


def _cache_key(
    store: Store, version: int, partnership: Partnership, query: MapQuery, coarsen: bool
) -> str:
    folder = hashlib.sha256(str(Path(store.data_dir).resolve()).encode()).hexdigest()[:12]
    wanted = hashlib.sha256(f"{query.cache_part()}|{coarsen}".encode()).hexdigest()[:16]
    return f"analytics:map:{MAP_FORMAT}:{folder}:{version}:{partnership.pk}:{wanted}"


def map_data_get(
    *, user: Any, partnership: Partnership, query: MapQuery | None = None, coarsen: bool = False
) -> MapData:
    """The crime map of the partnership (or an area inside it) for the user (cached per import).

    Raises ``PermissionDenied`` for a user who may not read the partnership's crime data and
    :class:`MapQueryError` for an area outside the partnership or a period outside the data.
    """
    if not can_view_crime_data(user, partnership):
        raise PermissionDenied(NOT_ALLOWED)
    return map_data_prepare(partnership=partnership, query=query, coarsen=coarsen)


def map_data_prepare(
    *, partnership: Partnership, query: MapQuery | None = None, coarsen: bool = False
) -> MapData:
    """:func:`map_data_get` without a user: for documents built by a task or the command line.

    ``coarsen=True`` snaps the repeat locations to a 500 m grid: use it for any public page.
    """
    query = query or MapQuery()
    store = crime_data_store()
    if not store.data_dir.is_dir():
        return MapData(state=NO_DATA, message="No crime data has been loaded yet.")
    forces = {partition.force for partition in store.partitions("street")}
    is_synthetic = store_is_synthetic(store.data_dir, forces)
    if not forces or not store.geography_loaded():
        return MapData(
            state=NO_DATA, message="No crime data has been loaded yet.", is_synthetic=is_synthetic
        )
    version = int(store.catalogue_version())
    key = _cache_key(store, version, partnership, query, coarsen)
    cached = cache.get(key)
    if isinstance(cached, MapData):
        return cached
    result = _prepare(store, version, partnership, query, coarsen, is_synthetic)
    cache.set(key, result, CACHE_SECONDS)
    return result


def _prepare(
    store: Store,
    version: int,
    partnership: Partnership,
    query: MapQuery,
    coarsen: bool,
    is_synthetic: bool,
) -> MapData:
    with engine_for(store, version) as engine:
        found = partnership_area_get(engine, partnership, is_synthetic=is_synthetic, shows="map")
        whole, stand_in = found.area, found.stand_in
        if whole is None:
            return MapData(
                state=NO_AREA,
                message=found.message,
                is_synthetic=is_synthetic,
                catalogue_version=version,
            )
        area = _area(engine, whole, query)
        try:
            parts = _compute(engine, area, query, coarsen)
        except MapQueryError:
            raise
        except ValueError as error:  # the measures refuse a question the data cannot answer
            return MapData(
                state=NOT_COMPUTED,
                message=str(error),
                is_synthetic=is_synthetic,
                stand_in=stand_in,
                catalogue_version=version,
            )
    return MapData(
        state=READY,
        is_synthetic=is_synthetic,
        stand_in=stand_in,
        catalogue_version=version,
        **parts,
    )
