"""Data quality (§1.2, §1.5) against the coverage table of data README §2 and the raw CSVs."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from crimestats.measures import quality
from crimestats.query import Query
from tests.crimestats.measures._raw import NWL, months_held, nwl_rows, street_rows
from tests.crimestats.reference import NWL_2025_DERBYSHIRE_ROWS, NWL_2025_ROWS

pytestmark = pytest.mark.realdata

LEICS_ZIPS = [f"leicestershire-{y}.zip" for y in (2018, 2019, 2020, 2021, 2022, 2024, 2025)]


def _months(first: date, last: date) -> list[str]:
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def test_leicestershire_months_present_and_missing_as_readme_section_2(engine):
    held = {m for z in LEICS_ZIPS for m in months_held(z)}
    assert len(held) == 56  # data README §2
    period = _months(date(2018, 10, 1), date(2025, 12, 1))
    readme_missing = (
        _months(date(2019, 3, 1), date(2019, 11, 1))
        + _months(date(2022, 11, 1), date(2023, 12, 1))
        + _months(date(2024, 5, 1), date(2024, 12, 1))
    )
    assert sorted(set(period) - held) == readme_missing

    result = quality(
        engine, Query.from_strings(NWL, first="2018-10", last="2025-12", forces=["leicestershire"])
    )
    leics = [r for r in result.months.to_pylist() if r["force"] == "leicestershire"]
    present = [r["month"].strftime("%Y-%m") for r in leics if r["status"] == "ok"]
    missing = [r["month"].strftime("%Y-%m") for r in leics if r["status"] != "ok"]
    assert sorted(present) == sorted(held)
    assert missing == readme_missing
    gaps = [r for r in leics if r["status"] != "ok"]
    assert all(r["rows"] is r["unlocated"] is r["outside_geography"] is None for r in gaps)
    assert [m.strftime("%Y-%m") for m in result.months_missing] == readme_missing
    assert result.provenance.months_missing == result.months_missing
    assert len(result.provenance.months_used) == 56


def test_unlocated_rows_and_repeated_ids_match_the_raw_csvs(engine):
    leics = street_rows("leicestershire-2025.zip")
    unlocated = sum(1 for r in leics if not r.lsoa_code)
    result = quality(engine, Query.from_strings(NWL, first="2025-01", last="2025-12"))
    assert result.forces == ("derbyshire", "leicestershire")
    assert result.unlocated_n == unlocated
    assert result.unlocated_share == pytest.approx(unlocated / len(leics))
    assert dict(zip(result.area_rows_by_force["force"].to_pylist(),
                    result.area_rows_by_force["rows"].to_pylist(), strict=True)) == {
        "derbyshire": NWL_2025_DERBYSHIRE_ROWS, "leicestershire": NWL_2025_ROWS,
    }  # fmt: skip

    rows = nwl_rows("leicestershire-2025.zip", "derbyshire-2025.zip")
    seen = Counter((r.force, r.month, r.crime_id) for r in rows if r.crime_id)
    repeated = Counter()
    for (force, month, _), n in seen.items():
        if n > 1:
            repeated[(force, month)] += 1
    found = {
        (r["force"], r["month"].strftime("%Y-%m")): r["crime_ids"]
        for r in result.repeated_crime_ids.to_pylist()
    }
    assert found == dict(repeated)
    assert not any(force == "leicestershire" for force, _ in found)  # README §3
    if found:
        assert any("counted once, as published" in note for note in result.notes)
    assert any("Derbyshire" in note for note in result.notes)  # the other recording force
    assert result.provenance.months_missing == ()
