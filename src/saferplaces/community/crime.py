"""Crime and ASB figures for the community pages, from the crime store through ``crimestats``.

Two uses: the staff "capacity beside crime" page (recorded crimes and ASB incidents per LSOA
in the latest 12 months held, beside the groups covering each) and the public "you said, we
did" page (the neighbourhood's latest 12 months against the 12 before, in the change verdict's
own words). No statistic is made here: counts and verdicts are fields of ``crimestats`` results.
Results are cached per store catalogue version, so an import makes the next view fresh.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from django.core.cache import cache

from crimestats import Query, measures
from crimestats.categories import ASB
from crimestats.months import as_month
from crimestats.wording import plural

CACHE_SECONDS = 24 * 60 * 60
MONTHS = 12
COVERED_STROKE = "stroke: #0b0c0c; stroke-width: 2.5"


def _ready() -> tuple[Any, int, bool] | None:
    """The store, its catalogue version and whether it is generated; None when nothing loaded."""
    from crimestats.synthetic import store_is_synthetic
    from saferplaces.analytics.selectors import crime_data_store

    store = crime_data_store()
    if not store.data_dir.is_dir() or not store.geography_loaded():
        return None
    forces = {partition.force for partition in store.partitions("street")}
    if not forces:
        return None
    return store, int(store.catalogue_version()), store_is_synthetic(store.data_dir, forces)


def _key(store: Any, version: int, *parts: Any) -> str:
    folder = hashlib.sha256(str(Path(store.data_dir).resolve()).encode()).hexdigest()[:12]
    digest = hashlib.sha256(json.dumps([str(p) for p in parts]).encode()).hexdigest()[:16]
    return f"community:{folder}:{version}:{digest}"


def month_name(value: date) -> str:
    return value.strftime("%B %Y")


def month_span(first: date, last: date) -> str:
    return f"{month_name(first)} to {month_name(last)}"


# --- capacity beside crime ---------------------------------------------------------------------


def partnership_crime(partnership: Any) -> dict[str, Any]:
    """``{"state", "message", "period", "stand_in", "lsoas": [...], "features": [...]}``.

    ``lsoas``: code, name, ward, crimes, asb for every LSOA of the partnership (the stand-in
    district's for generated data); ``features``: their boundaries as GeoJSON features.
    """
    ready = _ready()
    if ready is None:
        return {"state": "no_data", "message": "No crime data has been imported yet."}
    store, version, synthetic = ready
    key = _key(store, version, "capacity", partnership.pk, sorted(partnership.lad_codes or []))
    cached = cache.get(key)
    if isinstance(cached, dict):
        return cached
    from saferplaces.analytics.engine import engine_for
    from saferplaces.analytics.selectors import partnership_area_get

    with engine_for(store, version) as engine:
        found = partnership_area_get(engine, partnership, is_synthetic=synthetic)
        if found.area is None:
            return {"state": "no_area", "message": found.message}
        try:
            crimes = measures.counts(engine, Query(found.area, months=MONTHS))
            asb = measures.counts(engine, Query(found.area, months=MONTHS, categories=(ASB,)))
        except ValueError as error:  # the measures refuse what the data cannot answer
            return {"state": "not_computed", "message": str(error)}
        asb_by = {r["lsoa21_code"]: r["count"] for r in asb.by_lsoa.to_pylist()}
        lsoas = [
            {"code": r["lsoa21_code"], "name": r["lsoa21_name"] or r["lsoa21_code"],
             "ward": r["ward_name"] or "No ward", "crimes": int(r["count"] or 0),
             "asb": int(asb_by.get(r["lsoa21_code"]) or 0)}
            for r in crimes.by_lsoa.to_pylist()
        ]  # fmt: skip
        table = engine.geography("lsoa_geometry")
        codes = [row["code"] for row in lsoas]
        shapes = engine.fetch(table.filter(table.lsoa21_code.isin(codes)))
        features = [
            {"type": "Feature", "properties": {"code": code}, "geometry": json.loads(text)}
            for code, text in zip(
                shapes["lsoa21_code"].to_pylist(), shapes["geojson"].to_pylist(), strict=True
            )
        ]
    first, last = crimes.provenance.data_months
    result = {
        "state": "ready",
        "message": "",
        "period": month_span(as_month(first), as_month(last)),
        "stand_in": found.stand_in,
        "lsoas": lsoas,
        "features": features,
    }
    cache.set(key, result, CACHE_SECONDS)
    return result


def capacity_map_svg(crime: dict[str, Any], covered: set[str]) -> str | None:
    """The choropleth of crimes with the LSOAs that have a group drawn with a thick outline."""
    from saferplaces_reports.maps import choropleth_svg

    features = crime.get("features") or []
    if not features:
        return None
    counts = {row["code"]: float(row["crimes"]) for row in crime["lsoas"]}
    svg = choropleth_svg(
        {"type": "FeatureCollection", "features": features},
        counts,
        "Recorded crime by small area (thick outline: covered by a group)",
        f"Crimes, {crime['period']}",
        places=0,
    )
    # choropleth_svg draws feature N (its polygons only) as <g id="area-N">…</g> groups in
    # order; the covered areas get a thick dark outline so coverage reads without colour.
    covered_index = {i for i, f in enumerate(features) if f["properties"]["code"] in covered}
    part_owner: list[int] = []
    from shapely import from_geojson

    for i, feature in enumerate(features):
        geometry = from_geojson(json.dumps(feature["geometry"]))
        parts = len(getattr(geometry, "geoms", [geometry]))
        part_owner.extend([i] * parts)

    def outline(match: re.Match[str]) -> str:
        index = int(match.group(1))
        block = match.group(0)
        if index < len(part_owner) and part_owner[index] in covered_index:
            block = re.sub(r"stroke: #[0-9a-fA-F]{6}; stroke-width: [0-9.]+", COVERED_STROKE, block)
        return block

    return re.sub(r'<g id="area-(\d+)">.*?</g>', outline, svg, flags=re.DOTALL)


# --- the public trend sentence -----------------------------------------------------------------


def _months_words(months: tuple[date, ...]) -> str:
    """'May 2024 to December 2024' for a run of months, else '3 months between … and …'."""
    ordered = sorted({as_month(m) for m in months})
    if len(ordered) == 1:
        return month_name(ordered[0])
    span = (ordered[-1].year - ordered[0].year) * 12 + ordered[-1].month - ordered[0].month + 1
    if span == len(ordered):
        return month_span(ordered[0], ordered[-1])
    return f"{len(ordered)} months between {month_name(ordered[0])} and {month_name(ordered[-1])}"


def _sentence(result: Any, what: str, noun: str, of_what: str, gap: str) -> dict[str, Any]:
    (p1a, p1b), (p2a, p2b) = result.period_1, result.period_2
    later = month_span(as_month(p2a), as_month(p2b))
    earlier = month_span(as_month(p1a), as_month(p1b))
    counts = (
        f"{plural(result.x2, noun)}{of_what} were recorded from {later}, "
        f"against {plural(result.x1, noun)} from {earlier}."
    )
    if gap:
        counts += f" {gap}"
    verdict = result.test.verdict
    if result.tested and verdict is not None:
        judged = f"{verdict.headline}: {verdict.estimate_text}."
        if verdict.direction == "none":
            plain = "The numbers went up and down by about as much as they usually do."
        elif verdict.direction == "fall":
            plain = f"That is a real fall in {what}, more than the usual ups and downs."
        else:
            plain = f"That is a real rise in {what}, more than the usual ups and downs."
    else:
        judged = ""
        missing = (*result.months_missing_1, *result.months_missing_2)
        why = (
            f"the police data for {_months_words(missing)} is missing"
            if missing
            else "there are too few to tell a real change from the usual ups and downs"
        )
        plain = f"We cannot say whether it went up or down: {why}."
    return {
        "what": what,
        "counts": counts,
        "plain": plain,
        "verdict": judged,
        "direction": verdict.direction if verdict is not None and result.tested else "none",
        "period_1": earlier,
        "period_2": later,
    }


def _change(engine: Any, codes: tuple[str, ...], categories: Any) -> tuple[Any, str]:
    """The latest 12 months against the 12 before; when a month of either is missing, the
    longest run of the same months held in both years (``comparable_periods``, the rule the
    dashboard and the assessment use), with a sentence saying so."""
    from crimestats.months import comparable_periods

    query = Query(codes, months=MONTHS, categories=categories)
    result = measures.change(engine, query)
    missing = (*result.months_missing_1, *result.months_missing_2)
    if result.tested or not missing:
        return result, ""
    spans = comparable_periods(result.period_1, result.period_2, missing)
    if spans is None:
        return result, ""
    shorter = measures.change(
        engine, Query(codes, categories=categories), period_1=spans[0], period_2=spans[1]
    )
    gap = (
        f"The police data for {_months_words(missing)} is missing, so we compare the same "
        "months of each year."
    )
    return shorter, gap


def neighbourhood_trend(lsoa_codes: list[str]) -> dict[str, Any]:
    """Crime and ASB in the latest 12 months held against the 12 before, for these LSOAs."""
    ready = _ready()
    if ready is None or not lsoa_codes:
        return {"state": "no_data"}
    store, version, _synthetic = ready
    codes = tuple(sorted(lsoa_codes))
    key = _key(store, version, "trend", codes)
    cached = cache.get(key)
    if isinstance(cached, dict):
        return cached
    from saferplaces.analytics.engine import engine_for

    with engine_for(store, version) as engine:
        try:
            crime, crime_gap = _change(engine, codes, None)
            asb, asb_gap = _change(engine, codes, (ASB,))
        except ValueError as error:
            return {"state": "not_computed", "message": str(error)}
    result = {
        "state": "ready",
        "sentences": [
            _sentence(crime, "crime", "crime", "", crime_gap),
            _sentence(
                asb, "anti-social behaviour", "incident", " of anti-social behaviour", asb_gap
            ),
        ],
        "n_lsoas": len(codes),
        "method": crime.test.method,
    }
    cache.set(key, result, CACHE_SECONDS)
    return result
