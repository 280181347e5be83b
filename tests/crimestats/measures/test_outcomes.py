"""Outcomes (§7) against the raw ``Last outcome category`` and statsmodels' Clopper–Pearson."""

from __future__ import annotations

from collections import Counter

import pytest
from statsmodels.stats.proportion import proportion_confint

from crimestats.measures import outcomes
from crimestats.query import Query
from tests.crimestats.measures._raw import NWL, as_dict, nwl_rows

pytestmark = pytest.mark.realdata

# §7.1, written out again here rather than imported from crimestats.
POSITIVE = {
    "Suspect charged", "Awaiting court outcome", "Suspect charged as part of another case",
    "Defendant sent to Crown Court", "Offender sent to prison",
    "Offender given suspended prison sentence", "Offender given community sentence",
    "Offender fined", "Offender given conditional discharge", "Offender given absolute discharge",
    "Offender ordered to pay compensation", "Offender deprived of property",
    "Offender otherwise dealt with", "Defendant found not guilty", "Court case unable to proceed",
    "Court result unavailable", "Offender given a caution",
    "Offender given a drugs possession warning", "Offender given penalty notice",
    "Local resolution",
}  # fmt: skip
UNDER_INVESTIGATION = {"", "Under investigation", "Status update unavailable"}


def test_nwl_2025_positive_share_matches_the_raw_csvs(engine):
    rows = [r for r in nwl_rows("leicestershire-2025.zip", "derbyshire-2025.zip") if r.crime_id]
    assert all(r.crime_type != "anti-social-behaviour" for r in rows)
    by_outcome = Counter(r.outcome for r in rows)
    n = len(rows)
    k = sum(v for o, v in by_outcome.items() if o in POSITIVE)
    finalised = n - sum(v for o, v in by_outcome.items() if o in UNDER_INVESTIGATION)

    result = outcomes(engine, Query.from_strings(NWL, first="2025-01", last="2025-12"))
    o = result.overall
    assert (o.total, o.positive, o.finalised) == (n, k, finalised)
    assert o.share == pytest.approx(k / n)
    lower, upper = proportion_confint(k, n, method="beta")
    assert (o.lower, o.upper) == (pytest.approx(lower, rel=1e-9), pytest.approx(upper, rel=1e-9))
    lower_f, upper_f = proportion_confint(k, finalised, method="beta")
    assert o.lower_finalised == pytest.approx(lower_f, rel=1e-9)
    assert o.upper_finalised == pytest.approx(upper_f, rel=1e-9)
    found = {(v or ""): c for v, c in as_dict(result.by_outcome, "last_outcome", "count").items()}
    assert found == dict(by_outcome)
    assert o.unmapped == {}
    assert "anti-social-behaviour" not in result.categories
    assert sum(result.by_category["total"].to_pylist()) == n
    assert "§7.2" in result.provenance.method
    assert any("same age" in note for note in result.provenance.notes)
