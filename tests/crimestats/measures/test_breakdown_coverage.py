"""Category × place counts and the months held, against the counts measure on the real data."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from crimestats import Query
from crimestats.engines import Engine
from crimestats.measures import counts
from crimestats.measures.breakdown import category_by_place
from crimestats.measures.coverage import months_held

pytestmark = pytest.mark.realdata

NWL = "E07000134"


def test_category_by_ward_sums_to_the_counts_measure(engine: Engine) -> None:
    whole = counts(engine, Query.from_strings(NWL, first="2025-01", last="2025-12"))
    cross = category_by_place(
        engine, Query.from_strings(NWL, first="2025-01", last="2025-12"), place="ward"
    )

    by_category: dict[str, int] = defaultdict(int)
    by_ward: dict[str, int] = defaultdict(int)
    for row in cross.table.to_pylist():
        by_category[row["crime_type"]] += row["count"]
        by_ward[row["place_code"]] += row["count"]
    expected = {r["crime_type"]: r["count"] for r in whole.by_category.to_pylist()}
    assert {k: v for k, v in by_category.items() if v} == expected
    assert dict(by_ward) == {r["ward_code"]: r["count"] for r in whole.by_ward.to_pylist()}
    assert cross.provenance.parameters["place"] == "ward"


def test_category_by_lsoa_lists_every_lsoa_and_category(engine: Engine) -> None:
    cross = category_by_place(
        engine,
        Query.from_strings(NWL, first="2025-03", last="2025-03", categories="burglary"),
        place="lsoa",
    )
    assert cross.table.num_rows == 60  # every LSOA of the district, zeros included
    assert set(cross.table["crime_type"].to_pylist()) == {"burglary"}


def test_unknown_place_level_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="place must be one of"):
        category_by_place(engine, Query(NWL), place="county")


def test_months_held_leave_out_the_gaps(engine: Engine) -> None:
    held = months_held(engine, NWL)
    series = counts(engine, Query(NWL, held[0], held[-1])).by_month.to_pylist()
    assert held == tuple(r["month"] for r in series if r["count"] is not None)
    assert date(2024, 4, 1) in held
    assert date(2024, 5, 1) not in held  # May–Dec 2024 are missing (data README)
    assert held[-1] == date(2025, 12, 1)
