"""Top-N areas, map point wording and concentration (§5.5–§5.7, §9.9)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crimestats.methods import (
    MAP_POINT_FORBIDDEN_WORDS,
    MAP_POINT_LABEL,
    MAP_POINT_NOTE,
    concentration,
    map_point_description,
    poisson_interval,
    top_n_by_count,
    top_n_by_rate,
)


def test_top_n_by_count_breaks_ties_by_code_and_adds_intervals():
    codes = [f"E0100{i:04d}" for i in range(15)][::-1]
    counts = [5, 30, 30, 12, 30, 0, 7, 19, 3, 30, 2, 8, 1, 4, 6]
    r = top_n_by_count(codes, counts)
    assert len(r.codes) == 10
    tied = sorted(c for c, x in zip(codes, counts, strict=True) if x == 30)
    assert list(r.codes[:4]) == tied
    assert r.counts.tolist()[:5] == [30, 30, 30, 30, 19]
    low, high = poisson_interval(30)
    assert r.lower[0] == pytest.approx(low)
    assert r.upper[0] == pytest.approx(high)
    assert r.share[0] == pytest.approx(30 / sum(counts))
    out = r.to_dict()
    json.dumps(out)
    assert out["counts"][0] == 30
    assert isinstance(out["counts"][0], int)


def test_top_n_by_rate_ranks_only_areas_with_ten_or_more():
    r = top_n_by_rate(
        ["A", "B", "C", "D", "E"], [40, 12, 9, 300, 12], [1000, 1500, 10, 1200, 1500],
        population_year=2022, partnership_rate=20.0,
    )  # fmt: skip
    assert r.codes == ("D", "A", "B", "E")  # B and E tie on rate: code ascending
    assert r.small_number_codes == ("C",)
    assert r.rate[0] == pytest.approx(250.0)
    assert r.town_centre.tolist() == [True, False, False, False]  # 250 ≥ 5 × 20
    assert r.population_year == 2022
    assert r.lower[1] == pytest.approx(poisson_interval(40)[0])


def test_map_point_wording_never_uses_forbidden_words():
    assert MAP_POINT_LABEL == "map point (snapped)"
    assert map_point_description(14) == "map point with 14 crimes recorded against it"
    for text in (MAP_POINT_LABEL, map_point_description(3)):
        assert not any(word in text.lower() for word in MAP_POINT_FORBIDDEN_WORDS)
    for place in ("supermarkets", "stations", "parks", "car parks"):
        assert place in MAP_POINT_NOTE


def test_concentration_reference_values():
    # §9.9: Gini = 0.7 exactly; gini_corrected = 0.7636364; 1 unit (8.3 %) holds ≥ 25 %;
    # 2 units (16.7 %) hold ≥ 50 %.
    r = concentration([0, 0, 0, 0, 1, 1, 2, 3, 5, 8, 12, 28])
    assert r.gini == pytest.approx(0.7, rel=1e-12)
    assert r.gini_corrected == pytest.approx(0.7636364, rel=1e-6)
    assert (r.k_25, r.share_units_25) == (1, pytest.approx(1 / 12))
    assert (r.k_50, r.share_units_50) == (2, pytest.approx(2 / 12))
    assert r.lorenz_x[0] == 0
    assert r.lorenz_y[0] == 0
    assert r.lorenz_y[-1] == pytest.approx(1)
    area = np.sum((r.lorenz_x[1:] - r.lorenz_x[:-1]) * (r.lorenz_y[1:] + r.lorenz_y[:-1]) / 2)
    assert 1 - 2 * area == pytest.approx(0.7, rel=1e-12)  # §9.9: = 1 − 2·area under Lorenz


def test_concentration_all_zero_is_undefined():
    r = concentration([0, 0, 0])
    assert r.gini is None
    assert r.k_25 is None
    assert r.reason == "no crimes in any unit"
    json.dumps(r.to_dict())


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=80).filter(lambda v: sum(v) > 0))
@settings(max_examples=80, deadline=None)
def test_gini_in_unit_interval_and_equals_mean_absolute_difference(counts):
    r = concentration(counts)
    x = np.asarray(counts, float)
    assert 0 <= r.gini < 1
    mad = np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size**2 * x.mean())
    assert r.gini == pytest.approx(mad, rel=1e-9, abs=1e-12)
    assert 1 <= r.k_25 <= r.k_50 <= x.size
