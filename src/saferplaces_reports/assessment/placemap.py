"""The place chapter's map: every neighbourhood (LSOA) shaded by its crime rate.

Drawn here, Django-free, so the command-line build and the web build give the same map. The
rates are each LSOA's crimes over the period per 1,000 residents of the population year the
overall rate used (:func:`crimestats.methods.rates.rate_per_1000`, as the web map computes
them); the shapes are the store's ONS boundaries, drawn as vectors by
:func:`saferplaces_reports.maps.choropleth_svg`.
"""

from __future__ import annotations

from crimestats.chapters import AreaChapters
from crimestats.engines import Engine
from crimestats.measures.population import lsoa_populations
from crimestats.methods.rates import rate_per_1000
from saferplaces_reports.maps import choropleth_svg


def place_map_svg(engine: Engine, chapters: AreaChapters) -> str | None:
    """The choropleth SVG, or ``None`` when the store holds no boundaries for the area."""
    rows = chapters.overall.hotspots.lsoas.to_pylist()
    codes = tuple(row["lsoa21_code"] for row in rows)
    if not codes:
        return None
    table = engine.geography("lsoa_geometry")
    shapes = engine.fetch(table.filter(table.lsoa21_code.isin(list(codes))))
    if shapes.num_rows == 0:
        return None
    year = chapters.overall.rate.provenance.population_year_used
    populations = lsoa_populations(engine, codes, year)
    first, last = chapters.period
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    rates: dict[str, float | None] = {}
    for row in rows:
        rate = rate_per_1000(
            int(row["count"] or 0), populations.get(row["lsoa21_code"]), months=months
        )
        rates[row["lsoa21_code"]] = rate.rate
    features = [
        {"type": "Feature", "properties": {"code": code}, "geometry": geometry}
        for code, geometry in zip(
            shapes["lsoa21_code"].to_pylist(), _geometries(shapes["geojson"].to_pylist()),
            strict=True,
        )
    ]  # fmt: skip
    return choropleth_svg(
        {"type": "FeatureCollection", "features": features},
        rates,
        f"Crime rate by neighbourhood, {chapters.area.label}",
        f"Crimes per 1,000 residents (population {year})" if year else "Crimes per 1,000",
    )


def _geometries(texts: list[str]) -> list[object]:
    import json

    return [json.loads(text) for text in texts]
