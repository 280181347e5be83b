"""Outcome groups and positive outcome shares (§7)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from crimestats.methods import (
    GLOSSARY_NOT_GUILTY,
    OUTCOME_GROUPS,
    clopper_pearson,
    outcome_group,
    outcome_shares,
)


def test_every_reference_string_maps_to_its_group():
    assert len(OUTCOME_GROUPS) == 28
    assert OUTCOME_GROUPS["Defendant found not guilty"] == "charged_or_court"
    assert OUTCOME_GROUPS["Offender given a drugs possession warning"] == "out_of_court"
    assert OUTCOME_GROUPS["Unable to prosecute suspect"] == "evidential_difficulties"
    assert OUTCOME_GROUPS["Further investigation is not in the public interest"] == (
        "not_in_public_interest"
    )
    assert OUTCOME_GROUPS["Action to be taken by another organisation"] == "other_agency"
    assert OUTCOME_GROUPS["Investigation complete; no suspect identified"] == "no_suspect"
    assert OUTCOME_GROUPS["Status update unavailable"] == "under_investigation"
    assert outcome_group(None) == outcome_group("  ") == "under_investigation"


def test_unknown_strings_are_reported_not_dropped():
    r = outcome_shares({"Suspect charged": 5, "Offender given a telling-off": 3, None: 2})
    assert r.unmapped == {"Offender given a telling-off": 3}
    assert r.group_counts["unknown"] == 3
    assert r.total == 10


def test_unknown_strings_are_not_counted_as_finalised():
    # Issue #11.10: an outcome string we cannot read is not known to be final. Before, the
    # finalised denominator was total − under investigation, so 3 unknowns counted as final.
    r = outcome_shares({"Suspect charged": 5, "Offender given a telling-off": 3, None: 2})
    assert r.finalised == 5
    assert r.share_finalised == 1.0
    assert any("telling-off" in n and "not as finalised" in n for n in r.notes)


def test_shares_and_clopper_pearson_match_statsmodels():
    counts = {"Suspect charged": 30, "Local resolution": 12, "Under investigation": 40,
              "Investigation complete; no suspect identified": 118}  # fmt: skip
    r = outcome_shares(counts)
    assert r.positive == 42
    assert r.total == 200
    assert r.finalised == 160
    assert (r.lower, r.upper) == pytest.approx(proportion_confint(42, 200, method="beta"), rel=1e-9)
    assert (r.lower_finalised, r.upper_finalised) == pytest.approx(
        proportion_confint(42, 160, method="beta"), rel=1e-9
    )
    assert r.finalised_label == "among crimes with a final outcome"
    assert GLOSSARY_NOT_GUILTY in r.notes
    json.dumps(r.to_dict())


def test_clopper_pearson_on_random_and_edge_counts():
    # §9.2 cross-check: proportion_confint(45, 75, method="beta") = [0.4803705, 0.7114808].
    assert clopper_pearson(45, 75) == pytest.approx((0.4803705, 0.7114808), rel=1e-6)
    rng = np.random.default_rng(4)
    for n in rng.integers(1, 2000, 30):
        k = int(rng.integers(0, n + 1))
        ref = proportion_confint(k, int(n), method="beta")
        assert clopper_pearson(k, int(n)) == pytest.approx(ref, rel=1e-9, abs=1e-15)


def test_no_crimes_gives_no_share():
    r = outcome_shares({})
    assert r.share is None
    assert r.reason == "no crimes"
