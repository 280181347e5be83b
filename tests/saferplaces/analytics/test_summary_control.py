"""The control chart, trend and seasonal parts of the crime data page, from method results."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from crimestats.methods import control_chart, seasonal_index, trend_test
from saferplaces.analytics.summary import _control, _seasonal, _trend
from tests.saferplaces.analytics._results import control_measure, seasonal_measure, trend_measure


def _chart_table(chart):
    return pa.table(
        {
            "month": list(chart.months),
            "observed": pa.array(chart.observed, from_pandas=True),
            "expected": pa.array(chart.expected, from_pandas=True),
            "baseline_years": [int(n) if n >= 2 else None for n in chart.baseline_n],
            "lower_998": pa.array(chart.lower_998, from_pandas=True),
            "upper_998": pa.array(chart.upper_998, from_pandas=True),
            "status": list(chart.status),
        }
    )


def test_control_words_follow_the_calibrated_statuses():
    months = [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(48)]
    counts = np.random.default_rng(1).poisson(40, 48).astype(float)
    counts[-1] = 200  # far beyond any usual range
    chart = control_chart(months, counts)
    out = _control(control_measure(_chart_table(chart).slice(36), chart))
    assert len(out["rows"]) == 12
    last = out["rows"][-1]
    assert last["month"] == "December 2023"
    assert last["status_text"].startswith("Alert")
    assert out["alerts"] >= 1
    assert "times as much as chance" in out["spread"] or "no more than chance" in out["spread"]


def test_too_few_to_judge_is_worded():
    months = ["2018-12", "2019-12", "2020-12", "2021-12"]
    chart = control_chart(months, [0, 0, 0, 1])
    out = _control(control_measure(_chart_table(chart).slice(len(chart.months) - 1), chart))
    assert out["rows"][0]["status_text"] == "Too few to judge"
    assert out["too_few"] == 1
    assert out["alerts"] == 0


def test_trend_and_seasonal_parts():
    rising = trend_test(np.arange(36.0) * 2 + 50)
    t = _trend(trend_measure(rising))
    assert t["run"]
    assert t["text"].startswith("Crime is rising")
    assert t["slope_lower"] > 0
    refused = _trend(trend_measure(trend_test([0] * 20 + [1, 0, 0, 1])))
    assert not refused["run"]
    assert refused["reason"].startswith("too few crimes")
    months = [f"{y}-{m:02d}" for y in (2021, 2022, 2023) for m in range(1, 13)]
    none = _seasonal(seasonal_measure(seasonal_index(months, [0] * 36)))
    assert not none["shown"]
    assert "no crimes" in none["reason"]
    strong = [30, 28, 35, 38, 42, 45, 47, 44, 40, 37, 33, 31] * 3
    shown = _seasonal(seasonal_measure(seasonal_index(months, strong)))
    assert shown["shown"]
    assert shown["index"][6]["month"] == "Jul"
    assert shown["p_value"] < 0.01


def test_a_renamed_result_field_raises_instead_of_showing_a_blank():
    # The page once read fields through a forgiving getter: a field renamed in crimestats became
    # a blank ("0 crimes") on the page. It now reads typed attributes, so a rename raises here.
    import dataclasses

    from crimestats.measures.change import ChangeResult
    from crimestats.methods import two_period_test
    from saferplaces.analytics.summary import _change
    from tests.saferplaces.analytics._results import change_result

    real = change_result(two_period_test(40, 25, 4, 4))
    assert _change(real)["x1_text"] == "40 crimes"
    renamed_fields = [
        ("count_1" if f.name == "x1" else f.name, f.type) for f in dataclasses.fields(ChangeResult)
    ]
    Renamed = dataclasses.make_dataclass("ChangeResult", renamed_fields, frozen=True)
    values = {f.name: getattr(real, f.name) for f in dataclasses.fields(ChangeResult)}
    values["count_1"] = values.pop("x1")

    with pytest.raises(AttributeError, match="x1"):
        _change(Renamed(**values))
