"""A neighbourhood's profile, built from ``crimestats`` measures and made into plain values.

No statistics here: every figure is a field of a ``crimestats`` result (counts, rates with
exact intervals, rate ratios with exact tests, the change test, the trend test, Gi* and map
points); this module picks the fields, words them and returns dicts, lists, strings and numbers
that can be cached, rendered to a page, a PDF and a workbook.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from numbers import Real
from pathlib import Path
from typing import Any

from crimestats import Query, measures
from crimestats.areas import (
    Area,
    Comparator,
    districts_area,
    lsoa_lookup,
    resolve_area,
    resolve_comparator,
)
from crimestats.categories import ASB, CRIME_SLUGS, SLUG_TO_NAME
from crimestats.engines import Engine
from crimestats.geography.age_bands import AGE_BANDS_SOURCE, age_bands_for, read_census_age_bands
from crimestats.months import add_months, as_month
from crimestats.wording import plural
from saferplaces.neighbourhoods.periods import BaselinePeriods, baseline_periods
from saferplaces.neighbourhoods.sentences import direction, ratio_cell, ratio_sentence

PROFILE_MONTHS = 12
TREND_MONTHS = 36
ALL_CRIME = "all-crime"
ALL_CRIME_NAME = "All crime"


@dataclass(frozen=True)
class NeighbourhoodSpec:
    """What a profile is of: the LSOAs, the partnership around them and the baseline month."""

    label: str
    lsoa_codes: tuple[str, ...]
    partnership_name: str
    partnership_code: str
    partnership_lads: tuple[str, ...]
    baseline: date
    age_file: Path | None = None


def _number(value: object) -> float | None:
    if not isinstance(value, Real):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def month_name(value: date | None) -> str:
    return value.strftime("%B %Y") if value else ""


def month_span(first: date, last: date) -> str:
    if first == last:
        return month_name(first)
    if first.year == last.year:
        return f"{first.strftime('%B')} to {month_name(last)}"
    return f"{month_name(first)} to {month_name(last)}"


def partnership_area(engine: Engine, spec: NeighbourhoodSpec) -> Area:
    return districts_area(
        engine, spec.partnership_lads, code=spec.partnership_code, label=spec.partnership_name
    )


def _partnership_comparator(area: Area) -> Comparator:
    # The whole partnership (which contains the neighbourhood): the rate a CSP quotes as "the
    # average"; crimestats notes that the overlap makes the test conservative (§2.4).
    return Comparator("peers", area.label, (), area.lsoa_codes, (), (area,))


def _comparison(result: measures.ComparisonResult, category: str, label: str) -> dict[str, Any]:
    ratio = result.ratio
    value = _number(ratio.rate_ratio) if ratio else None
    lower = _number(ratio.lower) if ratio else None
    upper = ratio.upper if ratio and ratio.upper is not None else None
    upper = float(upper) if upper is not None else None
    p_value = _number(ratio.p_value) if ratio else None
    reason = ratio.reason if ratio else (result.comparator_rate.reason or "no population")
    count = int(result.area_rate.count)
    return {
        "label": label,
        "rate": _number(result.comparator_rate.rate),
        "count": int(result.comparator_count),
        "population": _number(result.comparator_population),
        "ratio": value,
        "lower": lower,
        "upper": upper if upper is None or math.isfinite(upper) else None,
        "p_value": p_value,
        "direction": direction(lower, upper, p_value),
        "text": ratio_cell(value, lower, upper, p_value),
        "sentence": ratio_sentence(
            category,
            label,
            ratio=value,
            lower=lower,
            upper=upper,
            p_value=p_value,
            count=count,
            reason=reason,
        ),  # fmt: skip
        "notes": list(result.notes),
        "method": ratio.method if ratio else "",
    }


def _category_row(
    engine: Engine,
    area: Area,
    slug: str,
    comparators: list[tuple[str, Any, str]],
    computed_at: datetime | None,
) -> dict[str, Any]:
    name = ALL_CRIME_NAME if slug == ALL_CRIME else SLUG_TO_NAME[slug]
    categories = None if slug == ALL_CRIME else (slug,)
    row: dict[str, Any] = {"slug": slug, "name": name, "is_asb": slug == ASB}
    for key, comparator, label in comparators:
        query = Query(area, months=PROFILE_MONTHS, categories=categories, comparator=comparator)
        result = measures.compare(engine, query, computed_at=computed_at)
        rate = result.area_rate
        row.setdefault("count", int(rate.count))
        row.setdefault("rate", _number(rate.rate))
        row.setdefault("rate_lower", _number(rate.lower))
        row.setdefault("rate_upper", _number(rate.upper))
        row.setdefault("small_number", bool(rate.small_number))
        row.setdefault("provenance", result.provenance)
        row[key] = _comparison(result, name, label)
    return row


def _lsoa_rows(engine: Engine, area: Area, populations: dict[str, float]) -> list[dict[str, Any]]:
    lookup = lsoa_lookup(engine)
    wanted = set(area.lsoa_codes)
    rows = [r for r in lookup.to_pylist() if r["lsoa21_code"] in wanted]
    rows.sort(key=lambda r: (r["ward_name"] or "", r["lsoa21_name"] or "", r["lsoa21_code"]))
    return [
        {
            "code": r["lsoa21_code"],
            "name": r["lsoa21_name"] or r["lsoa21_code"],
            "ward": r["ward_name"] or "",
            "population": populations.get(r["lsoa21_code"]),
            "imd_decile": r["imd_decile"],
            "imd_rank": _number(r["imd_rank"]),
        }
        for r in rows
    ]


def _population(
    engine: Engine, spec: NeighbourhoodSpec, area: Area, rate_year: int | None
) -> tuple[dict[str, Any], dict[str, float]]:
    from crimestats.measures.population import lsoa_populations

    populations = lsoa_populations(engine, area.lsoa_codes, 2021)
    total = float(sum(populations.values())) if populations else None
    bands: list[dict[str, Any]] = []
    note = ""
    if spec.age_file is not None and spec.age_file.is_file():
        found = age_bands_for(read_census_age_bands(spec.age_file), area.lsoa_codes)
        band_total = sum(n for _, n in found)
        bands = [
            {"band": band, "residents": n, "share": n / band_total if band_total else None}
            for band, n in found
        ]
        if not bands:
            note = "The Census 2021 age table holds none of these small areas."
    else:
        note = (
            "Age bands are not shown: the Census 2021 age table (census21_pop_lsoa21_*.csv) "
            "is not in the data folder. Only the total population is loaded."
        )
    return {
        "total": total,
        "year": 2021,
        "source": "Census 2021 usual residents",
        "age_bands": bands,
        "age_source": AGE_BANDS_SOURCE if bands else "",
        "age_note": note,
        "rate_year": rate_year,
    }, populations


def _imd(lsoas: list[dict[str, Any]]) -> dict[str, Any]:
    by_decile: dict[int, dict[str, Any]] = {}
    for row in lsoas:
        decile = row["imd_decile"]
        if decile is None:
            continue
        entry = by_decile.setdefault(decile, {"decile": decile, "lsoas": 0, "residents": 0.0})
        entry["lsoas"] += 1
        entry["residents"] += row["population"] or 0
    most = sum(1 for row in lsoas if row["imd_decile"] is not None and row["imd_decile"] <= 3)
    return {
        "deciles": [by_decile[d] for d in sorted(by_decile)],
        "most_deprived_30": most,
        "missing": sum(1 for row in lsoas if row["imd_decile"] is None),
    }


def _change(engine: Engine, area: Area, spec: NeighbourhoodSpec, last: date) -> dict[str, Any]:
    baseline = as_month(spec.baseline)
    if baseline > last:
        return {"tested": False, "reason": f"the baseline, {month_name(baseline)}, is after the "
                f"latest month held ({month_name(last)})", "rule": ""}  # fmt: skip
    counts = measures.counts(engine, Query(area, first=baseline, last=last))
    held = {
        as_month(m)
        for m, c in zip(
            counts.by_month["month"].to_pylist(), counts.by_month["count"].to_pylist(), strict=True
        )
        if c is not None
    }
    periods: BaselinePeriods = baseline_periods(baseline, held, last)
    if periods.period_1 is None or periods.period_2 is None:
        return {"tested": False, "reason": periods.reason, "rule": periods.rule}
    result = measures.change(
        engine, Query(area), period_1=periods.period_1, period_2=periods.period_2
    )
    verdict = result.test.verdict
    return {
        "tested": bool(result.tested and verdict is not None),
        "reason": result.reason or "",
        "rule": periods.rule,
        "period_1": month_span(*periods.period_1),
        "period_2": month_span(*periods.period_2),
        "x1": result.x1,
        "x2": result.x2,
        "x1_text": plural(result.x1, "crime"),
        "x2_text": plural(result.x2, "crime"),
        "headline": verdict.headline if verdict else "",
        "estimate_text": verdict.estimate_text if verdict else "",
        "direction": verdict.direction if verdict else "none",
        "small_number": bool(result.test.small_number),
        "caveat": result.test.caveat or "",
        "method": result.test.method,
        "rate_ratio": _number(result.test.rate_ratio),
        "rr_lower": _number(result.test.rr_lower),
        "rr_upper": _number(result.test.rr_upper),
        "p_value": _number(result.test.p),
    }


def _trend(engine: Engine, area: Area, last: date) -> dict[str, Any]:
    result = measures.trend(engine, Query(area, last=last, months=TREND_MONTHS))
    test = result.trend
    series = [
        {
            "month": month_name(as_month(r["month"])),
            "count": r["count"],
            "rolling_12": r["rolling_12"],
            "missing": r["count"] is None,
        }
        for r in result.series.to_pylist()
    ]
    return {
        "run": test.run,
        "verdict": test.verdict or "",
        "verdict_text": test.verdict_text,
        "reason": test.reason or "",
        "caveat": test.caveat,
        "months": test.n_months,
        "series": series,
        "period": month_span(add_months(last, -(TREND_MONTHS - 1)), last),
        "method": test.method,
    }


def _hotspots(engine: Engine, area: Area, last: date) -> dict[str, Any]:
    result = measures.hotspots(engine, Query(area, last=last, months=PROFILE_MONTHS), top=10)
    top = [
        {
            "rank": r["rank"],
            "code": r["lsoa21_code"],
            "name": r["lsoa21_name"] or r["lsoa21_code"],
            "count": r["count"],
            "lower": _number(r["lower"]),
            "upper": _number(r["upper"]),
            "share": _number(r["share"]),
        }
        for r in result.top_by_count.to_pylist()
    ]
    points = [
        {"rank": r["rank"], "location": r["location"], "count": r["count"],
         "description": r["description"]}
        for r in result.map_points.to_pylist()
    ]  # fmt: skip
    spots = [
        {"code": r["lsoa21_code"], "name": r["lsoa21_name"], "count": r["count"],
         "label": r["label"]}
        for r in result.significant.to_pylist()
    ]  # fmt: skip
    return {
        "top": top,
        "points": points,
        "spots": spots,
        "gi_reason": result.gi.reason or "",
        "notes": list(result.provenance.notes),
        "method": result.gi.method,
    }


def _provenance(provenance: Any, area: Area) -> dict[str, Any]:
    first, last = provenance.data_months
    return {
        "period": month_span(first, last),
        "months_used": len(provenance.months_used),
        "months_missing": [month_name(m) for m in provenance.months_missing],
        "forces": [f.replace("-", " ").title() for f in provenance.forces],
        "population_year": provenance.population_year_used,
        "population_note": provenance.population_note or "",
        "catalogue_version": provenance.catalogue_version,
        "crimestats_version": provenance.crimestats_version,
        "computed_at": provenance.computed_at,
        "lsoas": list(area.lsoa_codes),
        "notes": list(provenance.notes),
    }


def build_profile(
    engine: Engine, spec: NeighbourhoodSpec, *, computed_at: datetime | None = None
) -> dict[str, Any]:
    """Every section of the profile page for ``spec`` (raises ValueError if the data cannot)."""
    area = resolve_area(engine, list(spec.lsoa_codes), label=spec.label)
    whole = partnership_area(engine, spec)
    force = resolve_comparator(engine, area, "force")
    comparators = [
        ("partnership", _partnership_comparator(whole), whole.label),
        ("force", force, force.label),
    ]
    rows = [
        _category_row(engine, area, slug, comparators, computed_at)
        for slug in (ALL_CRIME, *CRIME_SLUGS, ASB)
    ]
    provenance = rows[0]["provenance"]
    for row in rows:
        del row["provenance"]
    first, last = provenance.data_months
    population, populations = _population(engine, spec, area, provenance.population_year_used)
    lsoas = _lsoa_rows(engine, area, populations)
    crime_rows = [r for r in rows[1:] if not r["is_asb"]]
    return {
        "label": spec.label,
        "period": month_span(first, last),
        "first": first,
        "last": last,
        "baseline": month_name(as_month(spec.baseline)),
        "n_lsoas": area.n_lsoas,
        "lsoas": lsoas,
        "partnership_label": whole.label,
        "force_label": force.label,
        "population": population,
        "imd": _imd(lsoas),
        "categories": rows,
        "headline": rows[0],
        "higher": [
            r["partnership"]["sentence"]
            for r in crime_rows
            if r["partnership"]["direction"] == "higher"
        ],
        "lower": [
            r["partnership"]["sentence"]
            for r in crime_rows
            if r["partnership"]["direction"] == "lower"
        ],
        "n_crime_categories": len(crime_rows),
        "change": _change(engine, area, spec, last),
        "trend": _trend(engine, area, last),
        "hotspots": _hotspots(engine, area, last),
        "provenance": _provenance(provenance, area),
    }
