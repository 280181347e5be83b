"""Rates per 1,000 residents and comparisons with a comparator (methods reference §2.1–§2.4)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import pyarrow as pa

from crimestats.areas import Area, Comparator, principal_forces, resolve_comparator
from crimestats.engines import Engine
from crimestats.measures._scope import (
    NO_MONTHS,
    Cube,
    Scope,
    build_scope,
    fetch_cube,
    fetch_sorted,
    missing_months,
    no_months_rate,
    rolled,
)
from crimestats.measures.population import population_choice, population_total
from crimestats.methods.comparison import RateRatioResult, rate_ratio
from crimestats.methods.rates import RateResult, pooled_rate, rate_per_1000
from crimestats.months import month_ranges
from crimestats.provenance import Provenance
from crimestats.query import ComparatorSpec, Query

__all__ = [
    "ComparisonResult",
    "RateMeasure",
    "compare",
    "compare_from_cube",
    "rates",
    "rates_from_cube",
]

OVERLAP_NOTE = (
    "the comparator contains the area, so the counts overlap and the rate ratio test is "
    "conservative (methods reference §2.4)"
)


@dataclass(frozen=True, slots=True)
class RateMeasure:
    """An area's rate per 1,000 residents for a period.

    Attributes
    ----------
    area : Area
    categories : tuple of str
    count : int
        Crimes in the months used.
    population : float or None
    rate : RateResult
        Rate for the stated period with exact (Garwood) interval, the annualised rate and the
        small-number flag (``crimestats.methods.rates``).
    provenance : Provenance
        Carries ``population_year_used``/``population_year_wanted`` and the note.
    """

    area: Area
    categories: tuple[str, ...]
    count: int
    population: float | None
    rate: RateResult
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class ComparisonResult:
    """An area's rate beside a comparator's, with the exact rate ratio (§2.3, §2.4).

    Attributes
    ----------
    area : Area
    categories : tuple of str
    area_rate : RateResult
    comparator_kind : str
        ``rest-of-force``, ``force``, ``loaded`` or ``peers``.
    comparator_label : str
    comparator_count : int
    comparator_population : float or None
    comparator_rate : RateResult
    ratio : RateRatioResult or None
        Area rate / comparator rate with exact conditional interval and test; ``None`` when
        either population is missing.
    peers : pyarrow.Table or None
        ``area, label, count, population, rate`` for a peer group (pooled rate ``Σx/ΣP``).
    notes : tuple of str
    provenance : Provenance
    """

    area: Area
    categories: tuple[str, ...]
    area_rate: RateResult
    comparator_kind: str
    comparator_label: str
    comparator_count: int
    comparator_population: float | None
    comparator_rate: RateResult
    ratio: RateRatioResult | None
    peers: pa.Table | None
    notes: tuple[str, ...]
    provenance: Provenance


def _area_count(scope: Scope, cube: Cube) -> tuple[int, pa.Table]:
    by_force = rolled(scope, cube, ["force"])
    total = sum(int(v) for v in by_force["n"].to_pylist())
    return total, by_force


def _with_population(scope: Scope, provenance: Provenance) -> tuple[Provenance, int | None]:
    choice = population_choice(scope.engine, scope.first, scope.last)
    return (
        replace(
            provenance,
            population_year_used=choice.year_used,
            population_year_wanted=choice.year_wanted,
            population_note=choice.note,
        ),
        choice.year_used,
    )


def rates_from_cube(scope: Scope, cube: Cube, computed_at: datetime | None = None) -> RateMeasure:
    """Area rate from a (possibly materialised) area cube."""
    count, _ = _area_count(scope, cube)
    provenance, year = _with_population(
        scope,
        scope.provenance("rate per 1,000 residents (methods reference §2.1, §2.2)", computed_at),
    )
    population = population_total(scope.engine, scope.area.lsoa_codes, year)
    result = rate_per_1000(count, population, months=max(len(scope.months_used), 1))
    if not scope.months_used:
        result = no_months_rate(result)
    return RateMeasure(scope.area, scope.categories, count, population, result, provenance)


def rates(
    engine: Engine,
    query: Query,
    *,
    computed_at: datetime | None = None,
) -> RateMeasure:
    """Crimes per 1,000 residents with an exact Poisson interval (§2.1), population by §2.2.

    Parameters
    ----------
    engine, query, computed_at
        As :func:`crimestats.measures.counts`.

    Returns
    -------
    RateMeasure

    Notes
    -----
    The population year is that of the period's midpoint month; when it is not loaded the
    nearest loaded year is used (ties: the earlier) and the provenance says so. Missing months
    are left out of the count and of the months used to annualise.
    """
    scope = build_scope(engine, query, default_months=12)
    return rates_from_cube(scope, fetch_cube(scope, scope.categories), computed_at)


def _comparator_count(
    scope: Scope, comparator: Comparator, area_by_force: pa.Table
) -> tuple[int, pa.Table | None]:
    """The comparator's crimes, counted by the same rule as the area's own count.

    The area counts rows (of the forces read) whose 2021 LSOA is one of its LSOAs, in the used
    months; unlocated rows and rows outside the loaded geography belong to no area. The
    comparator is counted the same way over its own LSOAs — never "every row the force
    recorded", which added the force's unlocated and outside-area rows to one side only and
    biased the rate ratio (issue #11.8).
    """
    engine, cats, used = scope.engine, scope.categories, list(scope.months_used)
    if comparator.kind == "loaded":
        table = engine.street((scope.first, scope.last), scope.forces)
        table = table.filter(table.month.isin(used), table.crime_type.isin(list(cats)))
        table = table.filter(table.lsoa21_code.notnull())
        return int(engine.fetch(table.count().name("n").as_table())["n"][0].as_py() or 0), None
    counts = _lsoa_counts(scope)
    found = {c: counts[c] for c in comparator.lsoa_codes if c in counts}
    return sum(found.values()), pa.table(
        {"lsoa21_code": pa.array(list(found), pa.string()),
         "n": pa.array(list(found.values()), pa.int64())}
    )  # fmt: skip


def _lsoa_counts(scope: Scope) -> dict[str, int]:
    """Crimes per LSOA (every LSOA, all forces read) for the scope's months and categories.

    One scan per period, categories and forces, cached on the engine, so comparing many areas
    with the rest of their force area (a walk over every ward) costs one query, not one each.
    """
    engine, used = scope.engine, sorted(scope.months_used)
    key = (
        f"lsoa_counts:{scope.first}:{scope.last}:{','.join(sorted(scope.categories))}:"
        f"{scope.forces}:{','.join(str(m) for m in used)}"
    )

    def build() -> dict[str, int]:
        table = engine.street((scope.first, scope.last), scope.forces)
        table = table.filter(
            table.month.isin(used), table.crime_type.isin(list(scope.categories)),
            table.lsoa21_code.notnull(),
        )  # fmt: skip
        grouped = table.group_by("lsoa21_code").aggregate(n=table.count())
        by_lsoa = fetch_sorted(engine, grouped, [])
        return dict(zip(by_lsoa["lsoa21_code"].to_pylist(), by_lsoa["n"].to_pylist(), strict=True))

    return engine.cached(key, build)


def _comparator_gaps(scope: Scope, comparator: Comparator) -> dict[date, str]:
    """Months of the period missing for a force the comparator depends on (gaps, not zeros).

    A peer in another force area, or a comparator force, may miss months the area's own forces
    hold; those months are left out of both sides so the two rates cover the same months.
    """
    forces = set(comparator.forces)
    for peer in comparator.peers:
        forces.update(principal_forces(scope.engine, peer))
    forces -= set(scope.principal)
    parts = scope.engine.partitions("street")
    gaps: dict[date, str] = {}
    for force in sorted(forces):
        for month, why in missing_months(parts, force, scope.months).items():
            if month not in scope.missing:
                gaps.setdefault(month, f"{force} (comparator): {why}")
    return gaps


def compare_from_cube(
    scope: Scope,
    cube: Cube,
    comparator: ComparatorSpec = "rest-of-force",
    computed_at: datetime | None = None,
) -> ComparisonResult:
    """Comparison of the area's rate with a comparator, from an area cube."""
    engine = scope.engine
    chosen = resolve_comparator(engine, scope.area, comparator)
    gaps = _comparator_gaps(scope, chosen)
    if gaps:  # both sides over the same months: the comparator's gaps leave the area's too
        scope = replace(scope, missing={**scope.missing, **gaps})
    count, by_force = _area_count(scope, cube)
    provenance, year = _with_population(
        scope,
        scope.provenance(
            "rate ratio with exact conditional interval and test (methods reference §2.3, §2.4)",
            computed_at,
            comparator=chosen.label,
        ),
    )
    months_used = max(len(scope.months_used), 1)
    population = population_total(engine, scope.area.lsoa_codes, year)
    area_rate = rate_per_1000(count, population, months=months_used)
    other, by_lsoa = _comparator_count(scope, chosen, by_force)
    notes: list[str] = []
    peers_table = None
    other_pop: float | None  # no population loaded for the comparator: no rate, with a reason
    if chosen.kind == "peers":
        assert by_lsoa is not None
        found = dict(zip(by_lsoa["lsoa21_code"].to_pylist(), by_lsoa["n"].to_pylist(), strict=True))
        peer_counts = [sum(found.get(c, 0) for c in p.lsoa_codes) for p in chosen.peers]
        peer_pops = [population_total(engine, p.lsoa_codes, year) for p in chosen.peers]
        pooled = pooled_rate(peer_counts, [p or float("nan") for p in peer_pops], months_used)
        other, other_pop = pooled.count, pooled.population
        peers_table = pa.table(
            {
                "area": [p.code for p in chosen.peers],
                "label": [p.label for p in chosen.peers],
                "count": pa.array(peer_counts, pa.int64()),
                "population": pa.array(peer_pops, pa.float64()),
                "rate": pa.array(
                    [
                        rate_per_1000(c, p, months_used).rate
                        for c, p in zip(peer_counts, peer_pops, strict=True)
                    ],
                    pa.float64(),
                ),
            }
        )
        notes.append("peer rate is pooled: sum of crimes / sum of residents (§2.4)")
    else:
        other_pop = population_total(engine, chosen.lsoa_codes, year)
    if chosen.kind in ("force", "loaded") or (
        chosen.kind == "peers" and set(scope.area.lsoa_codes) & set(chosen.lsoa_codes)
    ):
        notes.append(OVERLAP_NOTE)
    notes.append(
        "both sides count crimes located in their own LSOAs in the same months; crimes with "
        "no map point or outside the loaded geography belong to neither (issue #11.8)"
    )
    if gaps:
        notes.append(
            "months missing for the comparator are left out of both sides: "
            + month_ranges(sorted(gaps))
        )
    comparator_rate = rate_per_1000(other, other_pop, months=months_used)
    ratio = None
    if not scope.months_used:
        area_rate, comparator_rate = no_months_rate(area_rate), no_months_rate(comparator_rate)
        notes.append(NO_MONTHS)
    elif population and other_pop:
        ratio = rate_ratio(count, population, other, other_pop)
    return ComparisonResult(
        scope.area, scope.categories, area_rate, chosen.kind, chosen.label, int(other),
        other_pop, comparator_rate, ratio, peers_table, tuple(notes),
        provenance.with_notes(*notes),
    )  # fmt: skip


def compare(
    engine: Engine,
    query: Query,
    *,
    computed_at: datetime | None = None,
) -> ComparisonResult:
    """Compare an area's rate with a comparator: rate ratio with exact interval and test.

    Parameters
    ----------
    engine, query, computed_at
        As :func:`crimestats.measures.counts`.
        The comparator is ``query.comparator`` (default "rest-of-force"); see
        :func:`crimestats.areas.resolve_comparator`.

    Returns
    -------
    ComparisonResult

    Notes
    -----
    Rate ratio and exact conditional (Clopper–Pearson) interval and binomial test of RR = 1
    (§2.3), computed by :func:`crimestats.methods.comparison.rate_ratio`. The default comparator
    excludes the area, so the counts do not overlap (§2.4).
    """
    scope = build_scope(engine, query, default_months=12)
    return compare_from_cube(
        scope, fetch_cube(scope, scope.categories), query.comparator, computed_at
    )
