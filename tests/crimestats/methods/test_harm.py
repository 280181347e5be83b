"""Harm weights tables and harm totals (§6)."""

from __future__ import annotations

import json

import pytest

from crimestats.categories import ALL_SLUGS, ASB
from crimestats.methods import (
    DEFAULT_WEIGHTS_VERSION,
    harm_quadrants,
    harm_totals,
    harm_weights,
    weights_versions,
)

# §6.2 harm-weights v1.1 (CCHI 2020 scores, days).
CCHI_V11 = {
    "anti-social-behaviour": 0, "bicycle-theft": 2, "burglary": 19, "criminal-damage-arson": 1,
    "drugs": 2, "other-crime": 10, "other-theft": 2, "possession-of-weapons": 5,
    "public-order": 3, "robbery": 365, "shoplifting": 1, "theft-from-the-person": 2,
    "vehicle-crime": 2, "violent-crime": 10,
}  # fmt: skip
# §6.3 indicative CSS-style weights.
CSS_APPROX = {
    "anti-social-behaviour": 0, "bicycle-theft": 10, "burglary": 180, "criminal-damage-arson": 15,
    "drugs": 30, "other-crime": 30, "other-theft": 15, "possession-of-weapons": 90,
    "public-order": 15, "robbery": 500, "shoplifting": 10, "theft-from-the-person": 40,
    "vehicle-crime": 25, "violent-crime": 50,
}  # fmt: skip


def test_default_table_has_reference_weights_for_every_slug():
    table = harm_weights()
    assert DEFAULT_WEIGHTS_VERSION == "cchi-v1.1" == table.version
    assert table.weights == CCHI_V11
    assert set(table.weights) == set(ALL_SLUGS)
    assert not table.development_only
    assert table.warning is None
    assert table.status["robbery"] == "verified"
    assert "approximation" in table.status["violent-crime"]
    assert all(table.notes[slug] for slug in ALL_SLUGS)


def test_css_table_is_development_only_with_warning():
    table = harm_weights("css-approx-v1")
    assert table.weights == CSS_APPROX
    assert table.development_only
    assert "must not appear in published outputs" in table.warning
    r = harm_totals({"burglary": 1}, "css-approx-v1")
    assert r.development_only
    assert r.warnings == (table.warning,)


def test_versions_and_unknown_version():
    assert weights_versions() == ("cchi-v1.1", "css-approx-v1")
    with pytest.raises(ValueError, match="unknown harm weights version"):
        harm_weights("cchi-v9")


def test_harm_total_excludes_asb_and_proactive_by_default():
    counts = {slug: 10 for slug in ALL_SLUGS}
    r = harm_totals(counts)
    assert ASB not in r.included
    assert "drugs" not in r.included
    assert set(r.excluded) == {ASB, "drugs", "possession-of-weapons"}
    expected = sum(10 * w for s, w in CCHI_V11.items() if s not in r.excluded)
    assert r.total == pytest.approx(expected)
    assert r.harm_by_category["robbery"] == 3650
    assert r.weights_version == "cchi-v1.1"
    json.dumps(r.to_dict())


def test_include_proactive_adds_drugs_and_weapons_but_never_asb():
    r = harm_totals({"drugs": 4, "possession-of-weapons": 2, ASB: 100}, include_proactive=True)
    assert r.included == ("drugs", "possession-of-weapons")
    assert r.total == 4 * 2 + 2 * 5
    assert r.excluded == {ASB: "not a crime: never in harm totals"}


def test_unknown_slug_is_refused():
    with pytest.raises(ValueError, match="unknown category slugs"):
        harm_totals({"burglery": 3})


def test_quadrants_split_at_median_and_mark_small_numbers_hollow():
    r = harm_quadrants(["a", "b", "c", "d"], [50, 5, 60, 4], [100, 900, 20, 3])
    assert r.quadrant == ("priority", "hidden harm", "volume", "low count, low harm")
    assert r.hollow.tolist() == [False, True, False, True]
    assert r.count_share.sum() == pytest.approx(1)
    assert r.harm_share.sum() == pytest.approx(1)


# --- Issue #11.6: harm totals and ranks with an interval; ranks driven by few crimes flagged ---

NWL_2025 = {
    "violent-crime": 2994, "robbery": 28, "burglary": 327, "other-crime": 222,
    "public-order": 713, "other-theft": 502, "vehicle-crime": 472,
    "criminal-damage-arson": 720, "shoplifting": 446, "theft-from-the-person": 47,
    "bicycle-theft": 31,
}  # fmt: skip


def test_harm_total_variance_is_compound_poisson_and_robbery_dominates():
    from crimestats.methods.harm import harm_interval, harm_weights

    w = harm_weights().weights
    r = harm_interval(NWL_2025, w, phi_star=1.0)
    assert r.total == 54_002.0  # the figure
    assert r.variance == sum(w[c] ** 2 * n for c, n in NWL_2025.items())
    assert 1_950 < r.sd < 2_050  # "a standard deviation of about 2,000"
    assert r.variance_share["robbery"] == pytest.approx(28 * 365**2 / r.variance)
    assert 0.88 < r.variance_share["robbery"] < 0.90  # "robbery supplies 89 % of its variance"
    r4 = harm_interval(NWL_2025, w, phi_star=4.0)
    assert r4.variance == pytest.approx(4 * r.variance)
    assert r4.lower < r.lower < r.total < r.upper < r4.upper


def test_single_category_interval_is_the_exact_poisson_interval_scaled():
    # Fay-Feuer reduces to the exact (Garwood) interval for one category (φ* = 1).
    from scipy import stats

    from crimestats.methods.harm import harm_interval

    for x in (0, 1, 3, 28):
        r = harm_interval({"robbery": x}, {"robbery": 365.0})
        lower = 0.0 if x == 0 else 365 * stats.chi2.ppf(0.025, 2 * x) / 2
        upper = 365 * stats.chi2.ppf(0.975, 2 * x + 2) / 2
        assert r.lower == pytest.approx(lower, rel=1e-9, abs=1e-9)
        assert r.upper == pytest.approx(upper, rel=1e-9)


def test_driving_events_counts_the_heaviest_crimes_first():
    from crimestats.methods.harm import driving_events, harm_interval, harm_weights

    w = harm_weights().weights
    # 2 robberies (730) + 30 violent (300) + 40 shoplifting (40): 2 robberies are over half.
    few = {"robbery": 2, "violent-crime": 30, "shoplifting": 40}
    assert driving_events(few, w) == 2
    assert harm_interval(few, w).driven_by_few
    # 1 robbery (365) + 60 violent (600): half is 482.5; 1 robbery + 12 violent (485) pass it.
    many = {"robbery": 1, "violent-crime": 60}
    assert driving_events(many, w) == 13
    assert not harm_interval(many, w).driven_by_few
    assert driving_events({"robbery": 0}, w) == 0


def test_harm_dispersion_is_an_upper_bound_that_grows_when_months_are_empty():
    from scipy import stats

    from crimestats.methods.dispersion import estimate_dispersion, not_estimated
    from crimestats.methods.harm import harm_dispersion

    months = [f"{2019 + (11 + i) // 12}-{(11 + i) % 12 + 1:02d}" for i in range(35)]
    nwl = [517, 588, 467, 493, 456, 522, 551, 607, 661, 644, 597, 497, 460, 477, 484, 595,
           594, 565, 626, 598, 586, 559, 672, 608, 596, 610, 636, 792, 635, 688, 825, 658,
           745, 666, 758]  # fmt: skip
    d = estimate_dispersion(nwl, months)
    assert harm_dispersion(d, 35) == pytest.approx(141.054 / stats.chi2.ppf(0.10, 22), rel=1e-4)
    assert harm_dispersion(d, 20) > harm_dispersion(d, 35) > d.phi
    assert harm_dispersion(not_estimated("short"), 0) == 1.0


def test_rank_intervals_cover_the_point_rank_and_separate_clear_cases():
    from crimestats.methods.harm import harm_rank_intervals

    totals = [5000.0, 4900.0, 100.0, 0.0]
    variances = [500.0**2, 500.0**2, 30.0**2, 0.0]
    best, worst = harm_rank_intervals(totals, variances)
    assert best.tolist()[:2] == [1, 1]
    assert worst.tolist()[:2] == [2, 2]
    assert (best[2], worst[2]) == (3, 3)
    assert (best[3], worst[3]) == (4, 4)
    again = harm_rank_intervals(totals, variances)
    assert again[0].tolist() == best.tolist()  # seeded: the same table every time
