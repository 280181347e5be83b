"""Trend, seasonality and control chart on the real monthly series (§3.3–§3.6).

The longest unbroken Leicestershire run is 2019-12 … 2022-10 (35 months, data README §2), so
the default test is the plain Mann–Kendall with Sen's slope, compared with pymannkendall and
scipy on the series counted by hand from the raw files.
"""

from __future__ import annotations

import numpy as np
import pymannkendall
import pytest
from scipy import stats

from crimestats.measures import control, seasonal, trend
from tests.crimestats.measures._raw import NWL, by, nwl_rows

pytestmark = pytest.mark.realdata

ASB = "anti-social-behaviour"
RUN_ZIPS = (
    "leicestershire-2019.zip",
    "leicestershire-2020.zip",
    "leicestershire-2021.zip",
    "leicestershire-2022.zip",
)


def _monthly() -> dict[str, int]:
    rows = [r for r in nwl_rows(*RUN_ZIPS) if r.crime_type != ASB]
    return dict(by(rows, "month"))


def test_mann_kendall_on_the_longest_run_matches_pymannkendall(engine):
    hand = _monthly()
    months = [m for m in sorted(hand) if "2019-12" <= m <= "2022-10"]
    assert len(months) == 35
    x = np.array([hand[m] for m in months], dtype=float)

    result = trend(engine, NWL, first="2019-12", last="2022-10", forces=["leicestershire"])
    assert result.series["count"].to_pylist() == [hand[m] for m in months]
    assert result.trend.run and result.trend.test == "mann_kendall"
    mk = result.trend.result
    ref = pymannkendall.original_test(x, alpha=0.05)
    assert mk.s == ref.s
    assert mk.var_s == pytest.approx(ref.var_s, rel=1e-12)
    assert mk.z == pytest.approx(ref.z, rel=1e-9)
    assert mk.p == pytest.approx(ref.p, rel=1e-9)
    assert mk.tau == pytest.approx(ref.Tau, rel=1e-9)
    assert mk.slope == pytest.approx(ref.slope, rel=1e-9)
    assert mk.intercept == pytest.approx(ref.intercept, rel=1e-9)
    assert mk.trend == ref.trend
    assert mk.slope == pytest.approx(stats.theilslopes(x).slope, rel=1e-9)
    # Rolling 12 months: present only once 12 months are in the window.
    rolling = result.series["rolling_12"].to_pylist()
    assert rolling[:11] == [None] * 11
    assert rolling[11] == int(x[:12].sum())
    p = result.provenance
    assert p.months_missing == () and len(p.months_used) == 35
    assert any("autocorrelated" in note for note in p.notes)
    assert any("recording" in note for note in p.notes)


def test_series_across_a_gap_keeps_the_gap_and_says_too_short(engine):
    result = trend(engine, NWL, first="2024-01", last="2025-12")
    counts = result.series["count"].to_pylist()
    assert counts[4:12] == [None] * 8  # 2024-05 … 2024-12 are gaps, not zeros
    assert not result.trend.run
    assert result.trend.reason == "too short for a trend test"
    assert len(result.provenance.months_missing) == 8


def test_no_seasonal_index_without_three_complete_years(engine):
    result = seasonal(engine, NWL, first="2020-01", last="2022-10", forces=["leicestershire"])
    assert not result.seasonal.computed
    assert "3 complete" in result.seasonal.reason
    assert result.index.num_rows == 0
    assert any("no seasonal index" in note for note in result.provenance.notes)


def test_control_chart_expected_is_the_mean_of_the_same_month_in_three_years(engine):
    hand = _monthly()
    result = control(engine, NWL, first="2022-01", last="2022-03", forces=["leicestershire"])
    assert result.chart["month"].to_pylist() == ["2022-01", "2022-02", "2022-03"]
    for i, month in enumerate(("01", "02", "03")):
        mu = np.mean([hand[f"{y}-{month}"] for y in (2019, 2020, 2021) if f"{y}-{month}" in hand])
        assert result.chart["expected"][i].as_py() == pytest.approx(mu, rel=1e-12)
        assert result.chart["observed"][i].as_py() == hand[f"2022-{month}"]
        assert result.chart["upper_998"][i].as_py() == stats.poisson.ppf(0.999, mu)
        assert result.chart["lower_95"][i].as_py() == stats.poisson.ppf(0.025, mu)
    assert result.provenance.data_months[0].isoformat() == "2019-01-01"
