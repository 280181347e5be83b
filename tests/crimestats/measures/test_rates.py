"""Rates with exact Poisson intervals and the comparison with the rest of the force (§2.1–§2.4).

References: counts by hand from the raw CSVs, population from the ONS Census 2021 file, and the
intervals and tests from statsmodels and scipy (tolerance rel=1e-9).
"""

from __future__ import annotations

import pytest
from scipy import stats
from statsmodels.stats import rates as sm_rates

from crimestats.measures import compare, rates
from crimestats.query import Query
from tests.crimestats.measures._raw import (
    NWL,
    census_population,
    lsoa21_lad,
    nwl_codes,
    nwl_rows,
    street_rows,
)
from tests.crimestats.reference import NWL_2025_CRIMES, NWL_2025_DERBYSHIRE_ROWS

pytestmark = pytest.mark.realdata

ASB = "anti-social-behaviour"


def _nwl_population() -> int:
    pops = census_population()
    return sum(pops[c] for c in nwl_codes())


def test_nwl_2025_rate_matches_hand_count_and_statsmodels_interval(engine):
    hand = sum(
        1
        for z in ("leicestershire-2025.zip", "derbyshire-2025.zip")
        for r in nwl_rows(z)
        if r.crime_type != ASB
    )
    population = _nwl_population()
    assert population == 104_713  # data README §1
    result = rates(engine, Query.from_strings(NWL, first="2025-01", last="2025-12"))
    assert (
        result.count
        == hand
        == NWL_2025_CRIMES
        + NWL_2025_DERBYSHIRE_ROWS
        - sum(1 for r in nwl_rows("derbyshire-2025.zip") if r.crime_type == ASB)
    )
    assert result.population == population
    lower, upper = sm_rates.confint_poisson(hand, 1, method="exact-c")
    assert result.rate.rate == pytest.approx(1000 * hand / population, rel=1e-12)
    assert result.rate.lower == pytest.approx(1000 * lower / population, rel=1e-9)
    assert result.rate.upper == pytest.approx(1000 * upper / population, rel=1e-9)
    # Garwood chi-square form as a second reference.
    assert result.rate.lower == pytest.approx(
        1000 * stats.chi2.ppf(0.025, 2 * hand) / 2 / population, rel=1e-9
    )
    assert result.rate.months == 12
    assert result.rate.annualised_rate == pytest.approx(result.rate.rate, rel=1e-12)


def test_rate_provenance_names_the_population_year(engine):
    result = rates(engine, Query.from_strings(NWL, first="2025-01", last="2025-12"))
    p = result.provenance
    assert p.population_year_wanted == 2025
    assert p.population_year_used == 2021
    assert "2021" in p.population_note
    assert "2025" in p.population_note
    assert "§2.1" in p.method
    assert p.months_missing == ()


def test_small_category_is_flagged(engine):
    result = rates(
        engine, Query.from_strings(NWL, first="2025-01", last="2025-01", categories="robbery")
    )
    assert result.count < 10
    assert result.rate.small_number


def test_comparison_with_rest_of_force_matches_hand_counts_and_scipy(engine):
    # Issue #11.8: the rest of the force area is counted by the area's own rule: crimes (of any
    # recording force read) located in the rest-of-force LSOAs. Unlocated rows and rows outside
    # the geography belong to neither side; population = the force area's LSOAs minus NWL's.
    zips = ("leicestershire-2025.zip", "derbyshire-2025.zip")
    a = sum(1 for z in zips for r in nwl_rows(z) if r.crime_type != ASB)
    rest = set(lsoa21_lad()) - nwl_codes()
    b = sum(1 for z in zips for r in street_rows(z) if r.lsoa_code in rest and r.crime_type != ASB)
    # The old rule (every Leicestershire row minus those inside NWL) counted unlocated and
    # outside-area rows on the comparator side only.
    leics = [r for r in street_rows("leicestershire-2025.zip") if r.crime_type != ASB]
    old_b = len(leics) - sum(
        1 for r in leics if r.lsoa_name.startswith("North West Leicestershire")
    )
    assert old_b - b > 1000
    pops = census_population()
    E_a = _nwl_population()
    E_b = sum(pops[c] for c in lsoa21_lad()) - E_a
    assert E_b == 1_121_954 - 104_713  # data README §1

    result = compare(engine, Query.from_strings(NWL, first="2025-01", last="2025-12"))
    assert result.comparator_kind == "rest-of-force"
    assert "rest of Leicestershire" in result.comparator_label
    assert (result.ratio.a, result.ratio.b) == (a, b)
    assert (result.ratio.E_a, result.ratio.E_b) == (E_a, E_b)
    assert result.ratio.rate_ratio == pytest.approx((a / E_a) / (b / E_b), rel=1e-12)
    ci = stats.binomtest(a, a + b).proportion_ci(method="exact")
    to_rr = lambda pi: pi / (1 - pi) * E_b / E_a  # noqa: E731
    assert result.ratio.lower == pytest.approx(to_rr(ci.low), rel=1e-9)
    assert result.ratio.upper == pytest.approx(to_rr(ci.high), rel=1e-9)
    reference = sm_rates.test_poisson_2indep(a, E_a, b, E_b, method="exact-cond").pvalue
    assert result.ratio.p_value == pytest.approx(reference, rel=1e-6)
    assert result.ratio.p_value == pytest.approx(
        stats.binomtest(a, a + b, p=E_a / (E_a + E_b)).pvalue, rel=1e-6
    )
    assert result.ratio.upper < 1  # NWL's rate is below the rest of the force
    assert result.provenance.parameters["comparator"] == result.comparator_label
    assert result.provenance.population_year_used == 2021


def test_force_comparator_says_counts_overlap(engine):
    result = compare(
        engine, Query.from_strings(NWL, comparator="force", first="2025-01", last="2025-12")
    )
    assert result.comparator_kind == "force"
    assert any("overlap" in note for note in result.notes)
    assert result.comparator_population == sum(census_population().values())
    force_lsoas = set(lsoa21_lad())
    zips = ("leicestershire-2025.zip", "derbyshire-2025.zip")
    hand = sum(
        1
        for z in zips
        for r in street_rows(z)
        if r.lsoa_code in force_lsoas and r.crime_type != ASB
    )
    assert result.comparator_count == hand  # located crimes only, as the area's own count


def test_comparator_gap_months_are_left_out_of_both_sides(engine, monkeypatch):
    # Peers whose force misses months: those months are gaps on both sides, never zeros. The
    # shared data has no peer in another force with gaps, so pretend the peer's force is
    # derbyshire (held only from 2024): in 2022 every month is then a gap.
    import importlib

    rates_module = importlib.import_module("crimestats.measures.rates")
    real = rates_module.principal_forces

    def fake(engine_, area):
        return ("derbyshire",) if area.code == "E07000129" else real(engine_, area)

    monkeypatch.setattr(rates_module, "principal_forces", fake)
    result = compare(
        engine,
        Query.from_strings(NWL, comparator="peers:E07000129", first="2022-09", last="2022-10"),
    )
    used = result.provenance.months_used
    assert used == ()  # derbyshire holds no 2022 month: nothing is compared, no zeros
    assert result.ratio is None
    assert any("left out of both sides" in n for n in result.notes)


def test_peer_comparator_pools_counts(engine):
    result = compare(
        engine,
        Query.from_strings(
            NWL, comparator="peers:E07000129,E07000130", first="2025-01", last="2025-12"
        ),
    )
    assert result.peers is not None
    assert result.comparator_count == sum(result.peers["count"].to_pylist())
    assert result.comparator_population == sum(result.peers["population"].to_pylist())
    codes = {c for c, lad in lsoa21_lad().items() if lad in ("E07000129", "E07000130")}
    hand = sum(
        1
        for z in ("leicestershire-2025.zip", "derbyshire-2025.zip")
        for r in street_rows(z)
        if r.lsoa_code in codes and r.crime_type != ASB
    )
    assert result.comparator_count == hand


def test_missing_months_are_left_out_of_the_rate(engine):
    result = rates(engine, Query.from_strings(NWL, first="2024-01", last="2024-12"))
    assert result.rate.months == 4
    assert len(result.provenance.months_missing) == 8


def test_a_period_with_no_data_gives_gaps_not_zeros(engine):
    # 2023 is missing for Leicestershire (data README §2): nothing to count, so no rate.
    result = rates(engine, Query.from_strings(NWL, first="2023-01", last="2023-12"))
    assert result.rate.rate is None
    assert result.rate.lower is None
    assert "every month is missing" in result.rate.reason
    comparison = compare(engine, Query.from_strings(NWL, first="2023-01", last="2023-12"))
    assert comparison.ratio is None
    assert comparison.area_rate.rate is None
    assert comparison.comparator_rate.rate is None


def test_counts_total_is_a_gap_when_every_month_is_missing(engine):
    from crimestats.measures import counts

    result = counts(engine, Query.from_strings(NWL, first="2023-01", last="2023-12"))
    assert result.total is None
    assert result.by_month["count"].to_pylist() == [None] * 12
    assert any("every month is missing" in note for note in result.provenance.notes)


def test_provenance_names_the_police_uk_archives_and_their_month(engine):
    # Issue #11.10: police.uk republishes months, so a figure must say which archive it came
    # from. The store records the archive name (the zip); its month is derived from the name
    # or, for these per-force zips, the latest month the archive supplied.
    result = rates(engine, Query.from_strings(NWL, first="2024-01", last="2025-12"))
    archives = result.provenance.archives
    assert "leicestershire-2024 (latest month held 2024-04)" in archives
    assert "leicestershire-2025 (latest month held 2025-12)" in archives
    assert not any("2022" in a for a in archives)
