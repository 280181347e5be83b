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
        engine, NWL, period_1=("2020-01", "2020-12"), period_2=("2021-01", "2021-12"),
        forces=["leicestershire"],
    )  # fmt: skip
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
        engine, NWL, period_1=("2021-01", "2021-12"), period_2=("2022-01", "2022-10"),
        categories="burglary", forces=["leicestershire"],
    )  # fmt: skip
    assert (result.x1, result.x2) == (x1, x2)
    reference = sm_rates.test_poisson_2indep(x1, 12, x2, 10, method="etest-wald").pvalue
    assert result.test.p_etest == pytest.approx(reference, rel=1e-6)
    assert result.test.rate_ratio == pytest.approx((x2 / 10) / (x1 / 12), rel=1e-12)


def test_default_periods_with_missing_months_give_no_test_and_say_why(engine):
    result = change(engine, NWL, last="2025-12")
    assert result.period_1 == (date(2024, 1, 1), date(2024, 12, 1))
    assert not result.tested
    assert result.months_missing_1 == tuple(date(2024, m, 1) for m in range(5, 13))
    assert "2024-05" in result.reason
    assert "2024-12" in result.reason
    assert result.test.p_etest is None
    assert result.test.verdict is None
    counts = dict(
        zip(result.by_month["month"].to_pylist(), result.by_month["count"].to_pylist(), strict=True)
    )
    assert counts[date(2024, 6, 1)] is None  # a gap, not a zero
    assert counts[date(2024, 3, 1)] > 0


def test_bad_periods_are_refused(engine):
    with pytest.raises(ValueError, match="both periods"):
        change(engine, NWL, period_1=("2020-01", "2020-12"))
    with pytest.raises(ValueError, match="ends before it starts"):
        change(engine, NWL, period_1=("2020-12", "2020-01"), period_2=("2021-01", "2021-12"))
    with pytest.raises(ValueError, match="not a month"):
        change(engine, NWL, period_1=("2020-13", "2020-12"), period_2=("2021-01", "2021-12"))
