"""Two-period change (§3.1) on the real data, against statsmodels and scipy.

2020 and 2021 are complete Leicestershire years (data README §2); they use 2011 LSOA codes, so
the counts also check the 2011→2021 recoding against the 2011 LSOA names of the raw files.
"""

from __future__ import annotations

from datetime import date

import pytest
from scipy import stats
from statsmodels.stats import rates as sm_rates

from crimestats.measures import change
from crimestats.query import Query, parse_period
from tests.crimestats.measures._raw import NWL, nwl_rows

pytestmark = pytest.mark.realdata

ASB = "anti-social-behaviour"


def _hand(zip_name: str, category: str | None = None) -> int:
    return sum(
        1
        for r in nwl_rows(zip_name)
        if r.crime_type != ASB and (category is None or r.crime_type == category)
    )


def test_2020_vs_2021_matches_hand_counts_and_statsmodels(engine):
    x1, x2 = _hand("leicestershire-2020.zip"), _hand("leicestershire-2021.zip")
    result = change(
        engine,
        Query.from_strings(NWL, forces=["leicestershire"]),
        period_1=parse_period("2020-01", "2020-12"),
        period_2=parse_period("2021-01", "2021-12"),
    )
    assert (result.x1, result.x2, result.diff) == (x1, x2, x2 - x1)
    assert result.tested
    assert result.reason is None
    etest = sm_rates.test_poisson_2indep(x1, 12, x2, 12, method="etest-wald")
    exact = sm_rates.test_poisson_2indep(x1, 12, x2, 12, method="exact-cond")
    assert result.test.p_etest == pytest.approx(etest.pvalue, rel=1e-6)
    assert result.test.p_exact_cond == pytest.approx(exact.pvalue, rel=1e-6)
    # scipy's E-test is the same test (methods reference §3.1).
    assert result.test.p_etest == pytest.approx(
        stats.poisson_means_test(x1, 12, x2, 12).pvalue, rel=1e-6
    )
    assert result.test.verdict is not None
    # φ from the 25 complete months 2019-12 … 2021-12 (the most recent run up to 2021-12).
    window = result.dispersion_window
    assert (window.first, window.last, window.months) == (date(2019, 12, 1), date(2021, 12, 1), 25)
    assert result.test.dispersion.estimated
    assert result.test.dispersion.months_used == 25
    assert result.wheeler is not None
    assert result.wheeler.z == pytest.approx(2 * (x2**0.5 - x1**0.5), rel=1e-12)
    p = result.provenance
    assert p.parameters["period_1"] == "2020-01..2020-12"
    assert p.parameters["period_2"] == "2021-01..2021-12"
    assert p.months_missing == ()
    assert "E-test" in p.method or "etest" in p.method.lower()


def test_unequal_periods_use_months_as_exposure(engine):
    x1 = _hand("leicestershire-2021.zip", "burglary")
    x2 = sum(
        1 for r in nwl_rows("leicestershire-2022.zip") if r.crime_type == "burglary"
    )  # 2022-01..2022-10: ten months
    result = change(
        engine,
        Query.from_strings(NWL, categories="burglary", forces=["leicestershire"]),
        period_1=parse_period("2021-01", "2021-12"),
        period_2=parse_period("2022-01", "2022-10"),
    )
    assert (result.x1, result.x2) == (x1, x2)
    # Unequal periods: no raw difference (issue 11, finding 4), only the change on equal length.
    assert result.diff is None
    assert "differ in length" in result.diff_reason
    assert result.test.diff_adjusted == pytest.approx(x2 - x1 * 10 / 12)
    reference = sm_rates.test_poisson_2indep(x1, 12, x2, 10, method="etest-wald").pvalue
    assert result.test.p_etest == pytest.approx(reference, rel=1e-6)
    assert result.test.rate_ratio == pytest.approx((x2 / 10) / (x1 / 12), rel=1e-12)


def test_default_periods_with_missing_months_give_no_test_and_say_why(engine):
    result = change(engine, Query.from_strings(NWL, last="2025-12"))
    assert result.period_1 == (date(2024, 1, 1), date(2024, 12, 1))
    assert not result.tested
    assert result.months_missing_1 == tuple(date(2024, m, 1) for m in range(5, 13))
    assert "2024-05" in result.reason
    assert "2024-12" in result.reason
    assert result.test.p_etest is None
    assert result.test.verdict is None
    # An untested comparison carries no difference (issue 11, finding 4), with its reason.
    assert result.diff is None
    assert result.test.diff is None
    assert result.diff_reason.startswith("no test")
    counts = dict(
        zip(result.by_month["month"].to_pylist(), result.by_month["count"].to_pylist(), strict=True)
    )
    assert counts[date(2024, 6, 1)] is None  # a gap, not a zero
    assert counts[date(2024, 3, 1)] > 0


def test_bad_periods_are_refused(engine):
    with pytest.raises(ValueError, match="both periods"):
        change(engine, Query.from_strings(NWL), period_1=parse_period("2020-01", "2020-12"))
    with pytest.raises(ValueError, match="ends before it starts"):
        change(
            engine,
            Query.from_strings(NWL),
            period_1=(date(2020, 12, 1), date(2020, 1, 1)),
            period_2=(date(2021, 1, 1), date(2021, 12, 1)),
        )
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_period("2020-12", "2020-01")
    with pytest.raises(ValueError, match="not a first month"):
        change(engine, Query.from_strings(NWL, first="2020-01", last="2021-12"))
    with pytest.raises(ValueError, match="not a month"):
        change(
            engine,
            Query.from_strings(NWL),
            period_1=parse_period("2020-13", "2020-12"),
            period_2=parse_period("2021-01", "2021-12"),
        )


def test_nwl_jan_apr_2025_vs_2024_is_no_longer_strong_evidence(engine):
    # Issue 11, finding 1: 2452 → 2270 (−182) was "strong evidence" at p = 0.008 (Poisson).
    result = change(
        engine,
        Query.from_strings(NWL),
        period_1=parse_period("2024-01", "2024-04"),
        period_2=parse_period("2025-01", "2025-04"),
    )
    t = result.test
    assert (result.x1, result.x2, result.diff) == (2452, 2270, -182)
    assert t.p_etest == pytest.approx(0.00808, abs=1e-4)  # the Poisson result, kept beside it
    assert t.p_exact_cond < 0.01
    assert t.test_kind == "wald"
    # φ from the most recent run of ≥ 18 complete months before the periods: 2019-12 … 2022-10
    # (35 months; 2022-11 … 2023-12 and 2024-05 … 2024-12 are gaps), the §10.1 reference value.
    assert t.dispersion.phi == pytest.approx(6.4115, abs=1e-4)
    assert t.phi_star == pytest.approx(6.4115, abs=1e-4)
    assert result.dispersion_window.months == 35
    assert "ends before the periods compared" in result.dispersion_window.note
    assert 0.1 < t.p < 0.5
    assert t.verdict.direction == "none"
    assert "strong evidence" not in t.verdict.text
    assert t.rr_lower < 1 < t.rr_upper
    assert t.diff_lower < 0 < t.diff_upper
    assert "phi = 6.41" in result.provenance.parameters["dispersion"]


def test_robbery_small_counts_are_flagged_never_a_bare_percentage(engine):
    # Issue 11, finding 3: small counts showed "+100.0 %" with no flag.
    result = change(
        engine,
        Query.from_strings(NWL, categories="robbery", forces=["leicestershire"]),
        period_1=parse_period("2024-01", "2024-04"),
        period_2=parse_period("2025-01", "2025-04"),
    )
    t = result.test
    assert (result.x1, result.x2) == (8, 10)
    assert t.tested
    assert t.small_number
    assert t.percent_change is None
    assert t.percent_reason.startswith("too few for a percentage")
    assert "change +" not in t.verdict.text
    assert t.verdict.direction == "none"
    assert t.diff_lower < 0 < t.diff_upper
    # Robbery averages under 10 a month: φ from the trend-only model, and it says so.
    assert not result.dispersion_window.seasonal
    assert "trend only" in t.dispersion.description


def test_anti_social_behaviour_is_counted_in_incidents_not_crimes() -> None:
    from crimestats.methods.comparison import two_period_test

    words = two_period_test(400, 600, 12, 12, unit="incidents").verdict
    assert words is not None
    assert "more incidents" in words.estimate_text
    assert "crimes" not in words.estimate_text
