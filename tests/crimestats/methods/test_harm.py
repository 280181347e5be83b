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
