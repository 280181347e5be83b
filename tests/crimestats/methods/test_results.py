"""Every public result is a frozen, slotted dataclass with JSON-able ``to_dict()`` and a method."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

import crimestats.methods as m

MONTHS = [f"{2020 + i // 12}-{i % 12 + 1:02d}" for i in range(48)]
COUNTS = list(np.random.default_rng(0).poisson(25, 48).astype(float))

RESULTS = {
    "rate_per_1000": lambda: m.rate_per_1000(5, 1200),
    "rates_per_1000": lambda: m.rates_per_1000([5, 0], [1200, 0]),
    "rate_ratio": lambda: m.rate_ratio(5, 1, 0, 1),
    "two_period_test": lambda: m.two_period_test(30, 50),
    "wheeler_z": lambda: m.wheeler_z(30, 50),
    "pooled_rate": lambda: m.pooled_rate([1, 2], [100, 200]),
    "rolling_sum": lambda: m.rolling_sum(COUNTS),
    "seasonal_index": lambda: m.seasonal_index(MONTHS, COUNTS),
    "mann_kendall": lambda: m.mann_kendall(COUNTS),
    "trend_test": lambda: m.trend_test(COUNTS),
    "control_chart": lambda: m.control_chart(MONTHS, COUNTS, run_rules=True),
    "gi_star": lambda: m.getis_ord_gi_star([1, 1, 1], [[1], [0, 2], [1]]),
    "bh": lambda: m.benjamini_hochberg([0.01, 0.2]),
    "top_n": lambda: m.top_n_by_count(["a", "b"], [1, 2]),
    "top_n_rate": lambda: m.top_n_by_rate(["a", "b"], [10, 20], [1000, 1000]),
    "concentration": lambda: m.concentration([0, 0]),
    "harm_totals": lambda: m.harm_totals({"burglary": 3}),
    "harm_quadrants": lambda: m.harm_quadrants(["a", "b"], [1, 2], [3, 4]),
    "outcome_shares": lambda: m.outcome_shares({"Suspect charged": 1}),
    "relative_effect": lambda: m.relative_effect(10, 5, 10, 10),
    "wdd": lambda: m.wdd(10, 5, 10, 10),
    "harm_wdd": lambda: m.harm_wdd([1.0], [2.0], [3.0]),
    "wdq": lambda: m.wdq(10, 5, 10, 10, 3, 3),
    "rag_target": lambda: m.rag_target(10, 5),
}


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_result_is_frozen_slotted_and_json_able(name):
    result = RESULTS[name]()
    assert dataclasses.is_dataclass(result)
    assert not hasattr(result, "__dict__")  # slots=True
    field = dataclasses.fields(result)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(result, field, None)
    out = result.to_dict()
    text = json.dumps(out, allow_nan=False)
    assert "null_reasons" in json.loads(text)
    # Every result names its method with a reference section, so the check is unconditional.
    assert "method" in out, f"{name} does not say which method it applied"
    assert "§" in out["method"], out["method"]


def test_non_finite_values_become_none_with_reason():
    out = m.rate_ratio(5, 1, 0, 1).to_dict()
    assert out["rate_ratio"] is None
    assert out["upper"] is None
    assert out["null_reasons"]["upper"] == "unbounded (+infinity)"


def test_all_names_are_exported():
    for name in m.__all__:
        assert hasattr(m, name), name
