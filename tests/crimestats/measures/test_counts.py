"""Counts against hand counts from the raw files (data README §4, §5).

Attribution: the measure counts a row in North West Leicestershire when the 2021 LSOA of its map
point is one of the LAD's 60 LSOAs; README §4 counts rows whose ``LSOA name`` starts with "North
West Leicestershire". For the 2025 files (2021 codes) both rules pick the same rows, which
``test_name_prefix_and_lsoa_code_attribution_agree`` checks on the raw files. Rows with no map
point are attributed to no area (they appear only in the force-level ``unlocated`` figures).
"""

from __future__ import annotations

from datetime import date

import pyarrow.compute as pc
import pytest

from crimestats.measures import counts
from crimestats.query import Query
from tests.crimestats.measures._raw import NWL, as_dict, by, nwl_codes, nwl_rows, street_rows
from tests.crimestats.reference import (
    NWL_2025_ASB,
    NWL_2025_BY_TYPE,
    NWL_2025_CRIMES,
    NWL_2025_DERBYSHIRE_ROWS,
    NWL_2025_ROWS,
)

NWL_2025_BOTH_FORCES = NWL_2025_ROWS + NWL_2025_DERBYSHIRE_ROWS  # 7,978

pytestmark = pytest.mark.realdata


def test_nwl_2025_from_leicestershire_files_matches_hand_count(engine):
    result = counts(
        engine,
        Query.from_strings(
            NWL, first="2025-01", last="2025-12", categories="all", forces=["leicestershire"]
        ),
    )
    assert result.total == NWL_2025_ROWS
    found = dict(
        zip(
            result.by_category["crime_type"].to_pylist(),
            result.by_category["count"].to_pylist(),
            strict=True,
        )
    )
    assert found == NWL_2025_BY_TYPE
    assert result.complete


def test_name_prefix_and_lsoa_code_attribution_agree(engine):
    codes = nwl_codes()
    assert len(codes) == 60
    by_code = [r for r in street_rows("leicestershire-2025.zip") if r.lsoa_code in codes]
    by_name = nwl_rows("leicestershire-2025.zip")
    assert len(by_code) == len(by_name) == NWL_2025_ROWS
    assert set(counts(engine, Query.from_strings(NWL, months=1)).area.lsoa_codes) == codes


def test_nwl_2025_by_category_and_month_match_the_raw_csvs(engine):
    rows = nwl_rows("leicestershire-2025.zip")
    result = counts(
        engine,
        Query.from_strings(
            NWL, first="2025-01", last="2025-12", categories="all", forces=["leicestershire"]
        ),
    )
    found = as_dict(result.by_category, "crime_type", "count")
    assert found == dict(by(rows, "crime_type"))
    months = [m.strftime("%Y-%m") for m in result.by_month["month"].to_pylist()]
    assert dict(zip(months, result.by_month["count"].to_pylist(), strict=True)) == dict(
        by(rows, "month")
    )
    lsoas = as_dict(result.by_lsoa, "lsoa21_code", "count")
    hand = by(rows, "lsoa_code")
    assert lsoas == {code: hand.get(code, 0) for code in nwl_codes()}
    # ASB rows are exactly the rows with a blank Crime ID (README §4: 1,274).
    assert sum(1 for r in rows if not r.crime_id) == found["anti-social-behaviour"] == NWL_2025_ASB


def test_derbyshire_rows_inside_nwl_match_the_raw_csvs(engine):
    hand = by(nwl_rows("derbyshire-2025.zip"), "crime_type")
    result = counts(
        engine,
        Query.from_strings(
            NWL, first="2025-01", last="2025-12", categories="all", forces=["derbyshire"]
        ),
    )
    found = as_dict(result.by_category, "crime_type", "count")
    assert found == dict(hand)
    assert result.total == NWL_2025_DERBYSHIRE_ROWS


def test_counts_carry_provenance(engine):
    result = counts(engine, Query.from_strings(NWL, first="2025-01", last="2025-12"))
    p = result.provenance
    assert p.data_months == (date(2025, 1, 1), date(2025, 12, 1))
    assert len(p.months_used) == 12
    assert p.months_missing == ()
    assert p.forces == ("derbyshire", "leicestershire")
    assert "§1.5" in p.method
    assert p.parameters["area"] == NWL
    assert p.catalogue_version


def test_nwl_2025_with_both_forces_counts_each_row_once(engine):
    result = counts(
        engine, Query.from_strings(NWL, first="2025-01", last="2025-12", categories="all")
    )
    assert result.total == NWL_2025_BOTH_FORCES
    by_force = dict(
        zip(result.by_force["force"].to_pylist(), result.by_force["count"].to_pylist(), strict=True)
    )
    assert by_force == {"derbyshire": NWL_2025_DERBYSHIRE_ROWS, "leicestershire": NWL_2025_ROWS}
    assert pc.sum(result.by_month["count"]).as_py() == NWL_2025_BOTH_FORCES
    assert pc.sum(result.by_lsoa["count"]).as_py() == NWL_2025_BOTH_FORCES
    assert pc.sum(result.by_ward["count"]).as_py() == NWL_2025_BOTH_FORCES


def test_all_crime_excludes_asb_by_default(engine):
    result = counts(
        engine, Query.from_strings(NWL, first="2025-01", last="2025-12", forces=["leicestershire"])
    )
    assert result.total == NWL_2025_CRIMES
    assert "anti-social-behaviour" not in result.by_category["crime_type"].to_pylist()


@pytest.mark.parametrize(
    ("year", "rows"),
    [(2020, 97_979), (2021, 99_007), (2022, 96_760), (2024, 34_601), (2025, 106_149)],
)
def test_force_year_totals_match_readme(engine, year, rows):
    result = counts(
        engine,
        Query.from_strings(
            NWL, first=f"{year}-01", last=f"{year}-12", categories="all", forces=["leicestershire"]
        ),
    )
    # Force-level rows of the months held (missing months hold none) - README §4.
    assert result.unlocated["rows"].to_pylist() == [rows]


def test_missing_months_are_gaps_not_zeros(engine):
    result = counts(engine, Query.from_strings(NWL, first="2024-01", last="2024-12"))
    by_month = dict(
        zip(result.by_month["month"].to_pylist(), result.by_month["count"].to_pylist(), strict=True)
    )
    assert all(by_month[date(2024, m, 1)] is None for m in range(5, 13))
    assert all(by_month[date(2024, m, 1)] > 0 for m in range(1, 5))
    assert not result.complete
    assert result.provenance.months_missing == tuple(date(2024, m, 1) for m in range(5, 13))
    assert "missing" in result.by_month["status"].to_pylist()[5]


def test_every_lsoa_is_listed_with_zero_counts(engine):
    result = counts(
        engine, Query.from_strings(NWL, first="2025-01", last="2025-01", categories="bicycle-theft")
    )
    assert result.by_lsoa.num_rows == len(result.area.lsoa_codes)
    assert 0 in result.by_lsoa["count"].to_pylist()


def test_unlocated_rows_are_reported_at_force_level(engine):
    result = counts(
        engine,
        Query.from_strings(
            NWL, first="2025-01", last="2025-12", categories="all", forces=["leicestershire"]
        ),
    )
    assert result.unlocated_n > 0
    assert result.unlocated_share == pytest.approx(result.unlocated_n / 106_149)


def test_unknown_area_and_category_are_refused(engine):
    with pytest.raises(ValueError, match="not in the loaded geography"):
        counts(engine, Query.from_strings("E07000999"))
    with pytest.raises(ValueError, match="unknown crime categories"):
        counts(engine, Query.from_strings(NWL, categories="burglaries"))
    with pytest.raises(ValueError, match="starts"):
        counts(engine, Query.from_strings(NWL, first="2025-05", last="2025-01"))
