"""Which population to divide by: the §2.2 year rule and population sums over LSOAs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from crimestats.engines import Engine

__all__ = [
    "POPULATION_NOT_IN_INTERVAL",
    "PopulationChoice",
    "choose_population_year",
    "lsoa_populations",
    "population_total",
]

#: Said wherever a population from another year is used: it does not widen any interval.
POPULATION_NOT_IN_INTERVAL = (
    "the 95 % interval does not include the uncertainty of the population figure or of using "
    "another year's population (the population is treated as exact)"
)


@dataclass(frozen=True, slots=True)
class PopulationChoice:
    """The population year used for a period, and why (§2.2).

    Attributes
    ----------
    year_wanted : int
        Calendar year of the period's midpoint month (the later middle month for an even
        number of months).
    year_used : int or None
        The wanted year if loaded, else the nearest loaded year (ties go to the earlier year);
        ``None`` when no population is loaded.
    note : str or None
        Plain-English note when they differ.
    source : str or None
        The population's source (e.g. "Census 2021 usual residents").
    """

    year_wanted: int
    year_used: int | None
    note: str | None
    source: str | None


def choose_population_year(
    available: list[int] | tuple[int, ...], first: date, last: date, source: str | None = None
) -> PopulationChoice:
    """Apply the §2.2 rule: the midpoint's year, else the nearest available (ties earlier).

    Parameters
    ----------
    available : sequence of int
        Population years loaded.
    first, last : date
        The period's first and last month.
    source : str, optional
        Source label to put in the note.

    Returns
    -------
    PopulationChoice

    Examples
    --------
    >>> note = choose_population_year([2021], date(2025, 1, 1), date(2025, 12, 1)).note
    >>> note.split("; ")[0]
    'mid-2021 population used for 2025 (nearest available year)'
    >>> note.split("; ")[1].startswith("the 95 % interval does not include")
    True
    >>> choose_population_year([2022, 2024], date(2023, 7, 1), date(2024, 6, 1)).year_used
    2024
    >>> choose_population_year([2022, 2024], date(2023, 1, 1), date(2023, 12, 1)).year_used
    2022
    """
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    middle = first.year * 12 + first.month - 1 + count // 2  # later middle month when even
    wanted = middle // 12
    years = sorted(set(int(y) for y in available))
    if not years:
        return PopulationChoice(wanted, None, "no population loaded: no rate", source)
    if wanted in years:
        return PopulationChoice(wanted, wanted, None, source)
    used = min(years, key=lambda y: (abs(y - wanted), y))
    label = f"{source} " if source else ""
    note = f"mid-{used} population used for {wanted} (nearest available year)"
    if source and "census" in source.lower():
        note = f"{label}({used}) used for {wanted} (nearest available year)"
    note += f"; {POPULATION_NOT_IN_INTERVAL}"
    return PopulationChoice(wanted, used, note, source)


def _table(engine: Engine) -> pa.Table:
    def build() -> pa.Table:
        table = engine.fetch(engine.geography("population"))
        return (
            table.cast(
                pa.schema(
                    [
                        ("lsoa21_code", pa.string()),
                        ("year", pa.int64()),
                        ("population", pa.float64()),
                        ("source", pa.string()),
                    ]
                )
            )
            if table.num_rows
            else table
        )

    return engine.cached("population", build)


def population_choice(engine: Engine, first: date, last: date) -> PopulationChoice:
    """:func:`choose_population_year` over the years loaded in the store."""
    table = _table(engine)
    years = pc.unique(table["year"]).to_pylist() if table.num_rows else []
    choice = choose_population_year(years, first, last)
    if choice.year_used is None:
        return choice
    rows = table.filter(pc.equal(table["year"], choice.year_used))
    sources = sorted({s for s in rows["source"].to_pylist() if s})
    source = "; ".join(sources) or None
    return choose_population_year(years, first, last, source)


def lsoa_populations(engine: Engine, codes: tuple[str, ...], year: int | None) -> dict[str, float]:
    """Population per LSOA for ``year`` (LSOAs without one are absent)."""
    if year is None:
        return {}
    table = _table(engine)
    rows = table.filter(
        pc.and_(
            pc.equal(table["year"], year),
            pc.is_in(table["lsoa21_code"], pa.array(list(codes), pa.string())),
        )
    )
    return dict(zip(rows["lsoa21_code"].to_pylist(), rows["population"].to_pylist(), strict=True))


def population_total(engine: Engine, codes: tuple[str, ...], year: int | None) -> float | None:
    """Sum of the LSOAs' populations for ``year`` (``None`` when none is loaded)."""
    values = lsoa_populations(engine, codes, year)
    return float(sum(values.values())) if values else None
