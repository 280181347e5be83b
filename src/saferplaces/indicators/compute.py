"""Values of a bound indicator from the police.uk data, by ``crimestats`` measures.

One :func:`crimestats.measures.monthly_by_category` call per area reads the monthly counts of
every category over every month held (the expensive part); the rolling 12-month totals, their
exact Poisson intervals and the rates per 1,000 (with the population year that
``crimestats.measures.rates`` would choose for the same 12 months) are then arithmetic. Each
value equals what ``measures.counts`` / ``measures.rates`` return for the 12 months ending that
month (tested).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from crimestats import measures
from crimestats.areas import Area, districts_spec, resolve_area
from crimestats.categories import resolve_categories
from crimestats.engines import Engine
from crimestats.measures.population import population_choice, population_total
from crimestats.methods.rates import poisson_interval, rate_per_1000
from crimestats.months import add_months
from crimestats.query import Query

MEASURES = {"count": "Crimes (count)", "rate": "Crimes per 1,000 residents"}
AREA_KINDS = {
    "partnership": "The whole partnership",
    "wards": "Wards",
    "neighbourhood": "A saved neighbourhood",
}


@dataclass(frozen=True)
class ComputedValue:
    month: date
    value: float | None
    low: float | None
    high: float | None
    n: int | None
    months_held: int
    no_data: bool
    population: float | None
    month_n: int | None
    source: str


def categories_of(spec: Mapping[str, Any]) -> tuple[str, ...] | None:
    cats = spec.get("categories")
    return tuple(cats) if cats else None


def check_spec(spec: Mapping[str, Any]) -> str | None:
    """What is wrong with a measure spec (without the store), or None."""
    area = spec.get("area") or {}
    if area.get("kind") not in AREA_KINDS:
        return "Choose the area the indicator counts: the partnership, wards or a neighbourhood."
    if area.get("kind") == "wards" and not area.get("wards"):
        return "Name at least one ward code (for example E05005461)."
    if area.get("kind") == "neighbourhood" and not area.get("neighbourhood_id"):
        return "Choose the neighbourhood the indicator counts."
    if spec.get("measure") not in MEASURES:
        return "Choose whether the indicator is a count of crimes or a rate per 1,000 residents."
    cats = categories_of(spec)
    if cats:
        try:
            resolve_categories(cats)
        except ValueError as error:
            return f"Categories: {error}"
    return None


def area_of(
    engine: Engine, spec: Mapping[str, Any], *, partnership: Any, neighbourhood_lsoas: Any = None
) -> Area:
    """The indicator's area as ``crimestats`` resolves it (ValueError for one not in the data)."""
    area = spec.get("area") or {}
    kind = area.get("kind")
    if kind == "partnership":
        return resolve_area(
            engine, districts_spec(partnership.lad_codes or []), label=partnership.name
        )
    if kind == "wards":
        lsoas: set[str] = set()
        for code in area.get("wards") or []:
            lsoas.update(resolve_area(engine, code).lsoa_codes)
        return resolve_area(engine, tuple(sorted(lsoas)), label=area.get("label") or "wards")
    if kind == "neighbourhood":
        if not neighbourhood_lsoas:
            raise ValueError("the neighbourhood has no small areas (it may have been deleted)")
        return resolve_area(
            engine, tuple(neighbourhood_lsoas), label=area.get("label") or "neighbourhood"
        )
    raise ValueError(f"unknown area kind {kind!r}")


def compute_values(
    engine: Engine,
    spec: Mapping[str, Any],
    area: Area,
    *,
    first: date,
    last: date,
    catalogue_version: int,
    cubes: dict[Any, Any] | None = None,
) -> list[ComputedValue]:
    """The rolling 12-month value for every month from ``first`` + 11 months to ``last``."""
    cats = resolve_categories(categories_of(spec))
    key = (area.code, tuple(area.lsoa_codes), first, last)
    monthly = cubes.get(key) if cubes is not None else None
    if monthly is None:
        # One read of every category per area: the indicators of one area (often several)
        # then cost a sum each (crimestats.measures.monthly_by_category).
        query = Query(area, first=first, last=last, categories="all")
        monthly = measures.monthly_by_category(engine, query)
        if cubes is not None:
            cubes[key] = monthly
    by_month = dict(zip(monthly.months, monthly.series(tuple(cats)), strict=True))
    months = sorted(by_month)
    rate = spec.get("measure") == "rate"
    population_cache: dict[int | None, float | None] = {}
    values = []
    for end in months:
        start = add_months(end, -11)
        if start < first:
            continue
        window = [by_month.get(add_months(start, i)) for i in range(12)]
        held = [c for c in window if c is not None]
        source = (
            f"Computed from police.uk data months {start:%b %Y}–{end:%b %Y}, "
            f"catalogue version {catalogue_version}"
        )
        if by_month.get(end) is None or len(held) < 12:
            # A 12-month figure with months missing would understate the year (and could look
            # green): the period is "no data", saying how many of its months are held.
            if by_month.get(end) is not None:
                source += f" (only {len(held)} of its 12 months are held)"
            values.append(
                ComputedValue(
                    end,
                    None,
                    None,
                    None,
                    None,
                    len(held),
                    True,
                    None,
                    by_month.get(end),  # the month's own count still informs the variation
                    source
                    if by_month.get(end) is not None
                    else source + " (the data for this period is not held)",
                )
            )
            continue
        n = int(sum(held))
        population = None
        if rate:
            year = population_choice(engine, start, end).year_used
            if year not in population_cache:
                population_cache[year] = population_total(engine, area.lsoa_codes, year)
            population = population_cache[year]
            result_rate = rate_per_1000(n, population, months=len(held))
            value, low, high = result_rate.rate, result_rate.lower, result_rate.upper
            source += f", population {year}"
        else:
            lo, hi = poisson_interval(n)
            value, low, high = float(n), float(lo), float(hi)
        values.append(
            ComputedValue(
                end,
                value,
                low,
                high,
                n,
                len(held),
                value is None,
                population,
                by_month.get(end),
                source,
            )
        )
    return values


def held_span(months: Sequence[date]) -> tuple[date, date] | None:
    return (min(months), max(months)) if months else None
