"""Residents' concerns suggest the strategic assessment's public concern scores."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from saferplaces.core.resident_voice import public_concern_suggestions
from tests.saferplaces.concerns.helpers import nwl_partnership
from tests.saferplaces.concerns.test_staff import make_concern

pytestmark = pytest.mark.django_db


def test_concerns_map_to_crime_types_scored_by_share(db: Any) -> None:
    partnership = nwl_partnership()
    for category in ["street_drinking", "noise", "rowdy", "vehicle_nuisance"]:
        make_concern(partnership, category=category)  # four ASB reports
    make_concern(partnership, category="drugs")
    make_concern(partnership, category="damage")
    make_concern(partnership, category="litter")  # no crime type: not counted

    since = timezone.localdate().replace(day=1)
    found = public_concern_suggestions(partnership=partnership, since=since)
    from_concerns = {c: [s for s in v if "concerns" in s.because] for c, v in found.items()}
    assert from_concerns["anti-social-behaviour"][0].score == 5
    assert from_concerns["drugs"][0].score == 1  # 1 of 4 → 1.25 → 1
    assert from_concerns["criminal-damage-arson"][0].score == 1
    assert "4 of the 6 related concerns" in from_concerns["anti-social-behaviour"][0].because

    later = public_concern_suggestions(partnership=partnership, since=date(2099, 1, 1))
    assert not any("concerns" in s.because for v in later.values() for s in v)
