"""A measure asked through a :class:`Query` gives the README's hand counts; misuse is refused."""

from __future__ import annotations

from datetime import date

import pytest

from crimestats.measures import counts, quality
from crimestats.profile import csp_profile
from crimestats.query import Query
from tests.crimestats.measures._raw import NWL
from tests.crimestats.reference import NWL_2025_BY_TYPE, NWL_2025_CRIMES, NWL_2025_ROWS

pytestmark = pytest.mark.realdata


def test_counts_with_a_typed_query_match_the_hand_counts(engine):
    query = Query(
        NWL, first=date(2025, 1, 1), last=date(2025, 12, 1), categories="all",
        forces=("leicestershire",),
    )  # fmt: skip
    result = counts(engine, query)
    assert result.total == NWL_2025_ROWS
    found = dict(zip(*(result.by_category[c].to_pylist() for c in ("crime_type", "count")),
                     strict=True))  # fmt: skip
    assert found == NWL_2025_BY_TYPE
    typed = Query.from_strings(NWL, first="2025-01", last="2025-12", forces=["leicestershire"])
    assert counts(engine, typed).total == NWL_2025_CRIMES  # default: all crime, ASB excluded


def test_measures_refuse_a_field_they_cannot_honour(engine):
    burglary = Query.from_strings(NWL, last="2025-12", categories="burglary")
    with pytest.raises(ValueError, match="profile covers every category"):
        csp_profile(engine, burglary)
    with pytest.raises(ValueError, match="data quality covers every category"):
        quality(engine, burglary)
