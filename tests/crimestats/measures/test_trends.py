"""Trend, seasonality and control chart on the real monthly series (§3.3–§3.6).

The longest unbroken Leicestershire run is 2019-12 … 2022-10 (35 months, data README §2); the
default test there is the seasonal Kendall test with the seasonal Sen slope (issue #11: the plain
test reads a season as a trend on 24-35 months), compared with pymannkendall on the series
counted by hand from the raw files.
"""

from __future__ import annotations

import numpy as np
import pymannkendall
import pytest
from scipy import stats

from crimestats.measures import control, seasonal, trend
from crimestats.methods.control import control_chart, prediction_distribution
from crimestats.methods.dispersion import estimate_dispersion
from crimestats.query import Query
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


def test_seasonal_kendall_on_the_longest_run_matches_pymannkendall(engine):
    hand = _monthly()
    months = [m for m in sorted(hand) if "2019-12" <= m <= "2022-10"]
    assert len(months) == 35
    x = np.array([hand[m] for m in months], dtype=float)

    result = trend(
        engine, Query.from_strings(NWL, first="2019-12", last="2022-10", forces=["leicestershire"])
    )
    assert result.series["count"].to_pylist() == [hand[m] for m in months]
    assert result.trend.run
    assert result.trend.test == "seasonal_kendall"
    mk = result.trend.result
    ref = pymannkendall.seasonal_test(x, period=12, alpha=0.05)
    assert mk.s == ref.s
    assert mk.var_s == pytest.approx(ref.var_s, rel=1e-12)
    assert mk.z == pytest.approx(ref.z, rel=1e-9)
    assert mk.p == pytest.approx(ref.p, rel=1e-9)
    assert mk.tau == pytest.approx(ref.Tau, rel=1e-9)
    assert mk.slope == pytest.approx(pymannkendall.seasonal_sens_slope(x, 12).slope, rel=1e-9)
    assert mk.trend == ref.trend
    assert mk.slope_lower < mk.slope < mk.slope_upper
    # Sensitivity checks on the deseasonalised series, as pymannkendall computes them.
    month_means = np.array([x[m::12].mean() for m in range(12)])
    adjusted = x - month_means[np.arange(35) % 12]
    hr, tfpw = result.trend.checks
    assert hr.p == pytest.approx(pymannkendall.hamed_rao_modification_test(adjusted).p, rel=1e-9)
    assert tfpw.p == pytest.approx(
        pymannkendall.trend_free_pre_whitening_modification_test(adjusted).p, rel=1e-9
    )
    # The plain test still matches pymannkendall (and scipy's slope) on these counts.
    assert stats.theilslopes(x).slope == pytest.approx(pymannkendall.original_test(x).slope)
    # Rolling 12 months: present only once 12 months are in the window.
    rolling = result.series["rolling_12"].to_pylist()
    assert rolling[:11] == [None] * 11
    assert rolling[11] == int(x[:12].sum())
    p = result.provenance
    assert p.months_missing == ()
    assert len(p.months_used) == 35
    assert any("autocorrelated" in note for note in p.notes)
    assert any("recording" in note for note in p.notes)


def test_series_across_a_gap_keeps_the_gap_and_says_too_short(engine):
    result = trend(engine, Query.from_strings(NWL, first="2024-01", last="2025-12"))
    counts = result.series["count"].to_pylist()
    assert counts[4:12] == [None] * 8  # 2024-05 … 2024-12 are gaps, not zeros
    assert not result.trend.run
    assert result.trend.reason == "too short for a trend test"
    assert len(result.provenance.months_missing) == 8


def test_no_seasonal_index_without_three_complete_years(engine):
    result = seasonal(
        engine, Query.from_strings(NWL, first="2020-01", last="2022-10", forces=["leicestershire"])
    )
    assert not result.seasonal.computed
    assert "3 complete" in result.seasonal.reason
    assert result.index.num_rows == 0
    assert any("no seasonal index" in note for note in result.provenance.notes)


def test_control_chart_expected_is_the_mean_of_the_same_month_in_three_years(engine):
    hand = _monthly()
    result = control(
        engine, Query.from_strings(NWL, first="2022-01", last="2022-03", forces=["leicestershire"])
    )
    assert result.chart["month"].to_pylist() == ["2022-01", "2022-02", "2022-03"]
    # φ* from the area's own series (the months read: 2019-01 … 2022-03, gaps as gaps).
    months = result.control.months
    series = [hand.get(m) for m in months]
    phi = estimate_dispersion(series, months)
    assert result.control.phi_star == pytest.approx(phi.phi_star, rel=1e-12)
    assert phi.estimated
    for i, month in enumerate(("01", "02", "03")):
        held = [hand[f"{y}-{month}"] for y in (2019, 2020, 2021) if f"{y}-{month}" in hand]
        mu = np.mean(held)
        assert result.chart["expected"][i].as_py() == pytest.approx(mu, rel=1e-12)
        assert result.chart["baseline_years"][i].as_py() == len(held)
        assert result.chart["observed"][i].as_py() == hand[f"2022-{month}"]
        predictive = prediction_distribution(mu, len(held), phi.phi_star)
        assert result.chart["upper_998"][i].as_py() == predictive.ppf(0.999)
        assert result.chart["lower_95"][i].as_py() == predictive.ppf(0.025)
        assert result.chart["upper_998"][i].as_py() > stats.poisson.ppf(0.999, mu)
    assert result.provenance.data_months[0].isoformat() == "2019-01-01"


def test_control_chart_dispersion_is_the_reference_value(engine):
    # Charting up to 2022-10, the latest run of complete months is exactly the §10.1 reference
    # window (2019-12 … 2022-10, 35 months): φ = 6.4115.
    result = control(engine, Query.from_strings(NWL, last="2022-10", forces=["leicestershire"]))
    d = result.control.dispersion
    assert (d.first_month, d.last_month, d.months_used) == ("2019-12", "2022-10", 35)
    assert d.phi == pytest.approx(6.4115, abs=5e-5)
    assert any("phi = 6.41" in note for note in result.provenance.notes)
    # With that dispersion no month of the year is an alert; the old known-mean Poisson limits
    # called 10 of the 12 months (2021-11 … 2022-10) "alert high".
    assert not any(s.startswith("alert") for s in result.chart["status"].to_pylist())
    c = result.control
    old = control_chart(
        c.months, c.observed, dispersion=1.0, baseline_uncertainty=False, min_expected=0
    )
    assert old.status[-12:].count("alert_high") == 10


def test_one_robbery_where_none_was_expected_is_too_few_to_judge(engine):
    # Issue #11: LSOA E01025916, robbery, 2021-12: none in 2018-12, 2019-12 or 2020-12, one in
    # 2021-12. Poisson limits of an expected 0 are 0-0, so it was an "alert high".
    result = control(
        engine, Query.from_strings("E01025916", last="2021-12", categories=["robbery"])
    )
    last = result.chart.to_pylist()[-1]
    assert (last["month"], last["observed"], last["expected"]) == ("2021-12", 1.0, 0.0)
    assert last["status"] == "too_few"
    assert result.exceedances.num_rows == 0
    assert any("too few to judge" in w for w in result.control.warnings)


def test_robbery_seasonal_index_is_withheld_with_the_test_shown(engine):
    # Issue #11: robbery in NWL over the complete years 2020, 2021 and 2025 (61 crimes) printed
    # "Jul 1.77, Nov 0.39"; the months differ no more than chance allows.
    result = seasonal(
        engine, Query.from_strings(NWL, first="2020-01", last="2025-12", categories=["robbery"])
    )
    s = result.seasonal
    assert s.years_used == (2025, 2021, 2020)
    assert s.test.total == 61
    assert not s.computed
    assert s.index is None
    assert result.index.num_rows == 0
    assert s.test.tested
    assert s.test.p > 0.05
    assert f"p = {s.test.p:.2f}" in s.reason
    assert any("no evidence of a seasonal pattern" in n for n in result.provenance.notes)
    # All crime in the same years is seasonal enough to show.
    shown = seasonal(engine, Query.from_strings(NWL, first="2020-01", last="2025-12"))
    assert shown.seasonal.computed == shown.seasonal.test.seasonal


def _text(renderables) -> str:
    from rich.console import Console

    console = Console(width=200, record=True)
    for item in renderables:
        console.print(item)
    return console.export_text()


def test_report_and_json_carry_the_new_verdicts(engine):
    import json

    from crimestats.serialise import to_dict
    from saferplaces_cli.report import to_report

    chart = control(engine, Query.from_strings("E01025916", last="2021-12", categories=["robbery"]))
    text = _text(to_report(chart))
    assert "too few to judge (fewer than 1 crime expected)" in text
    assert "alert" not in text.replace("alerts", "")
    data = to_dict(chart)
    assert data["chart"][-1]["status"] == "too_few"
    assert data["chart"][-1]["baseline_years"] == 3
    assert data["control"]["phi_star"] >= 1
    assert "dispersion" in data["control"]
    json.dumps(data)

    rising = trend(
        engine, Query.from_strings(NWL, first="2019-12", last="2022-10", forces=["leicestershire"])
    )
    text = _text(to_report(rising))
    assert "Sen's slope +81.75 crimes per month per year (95 % CI" in text
    assert "Hamed-Rao" in text
    assert "pre-whitening" in text
    t = to_dict(rising)["trend"]
    assert t["verdict"] == "increasing"
    assert t["result"]["slope_lower"] > 0
    assert [c["name"] for c in t["checks"]] == ["hamed_rao", "trend_free_prewhitening"]

    robbery = seasonal(
        engine, Query.from_strings(NWL, first="2020-01", last="2025-12", categories=["robbery"])
    )
    text = _text(to_report(robbery))
    assert "No seasonal index: no evidence of a seasonal pattern" in text
    assert "Years used: 2020, 2021, 2025 (61 crimes)" in text
    assert "Jul" not in text
    s = to_dict(robbery)["seasonal"]
    assert s["index"] is None
    assert s["test"]["p"] > 0.05


def test_chart_after_a_gap_uses_the_areas_longer_history_like_the_change_test(engine):
    # The 2025 chart reads 2022-01…2025-12, whose longest complete run (2025) is 12 months:
    # its limits assumed Poisson variation while the change test, on the same area, used
    # φ = 6.41 from 2019-12…2022-10. Both verdicts now use that estimate.
    from crimestats.measures._scope import build_scope
    from crimestats.measures.change import area_dispersion

    result = control(engine, Query.from_strings(NWL, last="2025-12"))
    used = result.control.dispersion
    assert used is not None
    assert used.estimated
    assert (used.first_month, used.last_month) == ("2019-12", "2022-10")
    scope = build_scope(engine, Query.from_strings(NWL, first="2025-01", last="2025-12"))
    expected, _window = area_dispersion(scope, scope.last)
    assert used.phi_star == pytest.approx(expected.phi_star)
    assert any("2019-12 to 2022-10" in note for note in result.provenance.notes)
