"""monthly_by_category: one read gives each category group's monthly series, equal to counts."""

from __future__ import annotations

from datetime import date

import pytest

from crimestats import Query
from crimestats.categories import resolve_categories
from crimestats.engines import Engine
from crimestats.measures import counts, monthly_by_category

NWL = "E07000134"
FIRST, LAST = date(2024, 1, 1), date(2025, 12, 1)


@pytest.mark.parametrize(
    "group", [None, ("anti-social-behaviour",), ("acquisitive",), ("burglary", "robbery")]
)
def test_series_equals_the_counts_measure(engine: Engine, group: tuple[str, ...] | None) -> None:
    monthly = monthly_by_category(engine, Query(NWL, first=FIRST, last=LAST, categories="all"))

    direct = counts(engine, Query(NWL, first=FIRST, last=LAST, categories=group))

    assert monthly.series(resolve_categories(group)) == direct.by_month["count"].to_pylist()


def test_missing_months_are_gaps_never_zeros(engine: Engine) -> None:
    monthly = monthly_by_category(engine, Query(NWL, first=FIRST, last=LAST, categories="all"))

    series = dict(zip(monthly.months, monthly.series(("burglary",)), strict=True))

    # The small real store holds January to April 2024 and all of 2025.
    assert series[date(2024, 6, 1)] is None
    assert date(2024, 6, 1) in monthly.missing
    assert series[date(2025, 6, 1)] is not None


def test_a_category_not_counted_is_refused(engine: Engine) -> None:
    monthly = monthly_by_category(
        engine, Query(NWL, first=FIRST, last=LAST, categories=("burglary",))
    )

    with pytest.raises(ValueError, match="not counted"):
        monthly.series(("robbery",))
