"""The CSP profile: every section carries provenance, and gaps stay gaps (None, never 0)."""

from __future__ import annotations

from datetime import date

import pytest

from crimestats.profile import csp_profile
from crimestats.provenance import Provenance
from crimestats.query import Query
from crimestats.serialise import to_dict, to_json

pytestmark = pytest.mark.realdata

NWL = "E07000134"
SECTIONS = ("counts", "asb", "rate", "comparison", "change", "trend", "seasonal", "control",
            "hotspots", "harm", "outcomes", "quality")  # fmt: skip


@pytest.fixture(scope="module")
def profile(engine):
    return csp_profile(engine, Query.from_strings(NWL, months=36, last="2025-12"))


def test_every_section_carries_provenance(profile):
    for name in (*SECTIONS, ""):
        section = getattr(profile, name) if name else profile
        p = section.provenance
        assert isinstance(p, Provenance), name
        assert p.data_months[1] == date(2025, 12, 1), name
        assert p.method, name
        assert p.parameters["area"] == NWL, name
        assert p.catalogue_version, name
        assert p.crimestats_version, name
    for name in ("rate", "comparison", "hotspots"):
        p = getattr(profile, name).provenance
        assert (p.population_year_used, p.population_year_wanted) == (2021, 2024), name
    assert profile.harm.provenance.weights_version == "cchi-v1.1"


def test_missing_months_are_gaps_everywhere(profile):
    missing = [date(2023, m, 1) for m in range(1, 13)] + [date(2024, m, 1) for m in range(5, 13)]
    assert profile.provenance.months_missing == tuple(missing)
    series = dict(zip(profile.counts.by_month["month"].to_pylist(),
                      profile.counts.by_month["count"].to_pylist(), strict=True))  # fmt: skip
    assert all(series[m] is None for m in missing)
    trend = profile.trend.series.to_pylist()
    assert all(r["count"] is None for r in trend if r["month"] in missing)
    assert not profile.change.tested
    assert "2024-05" in profile.change.reason
    data = to_dict(profile)
    assert data["counts"]["by_month"][0]["count"] is None  # 2023-01: JSON null, not 0


def test_profile_totals_agree_between_sections(profile):
    assert profile.counts.total == profile.rate.count == profile.comparison.ratio.a
    assert profile.counts.total == sum(profile.hotspots.lsoas["count"].to_pylist())
    assert profile.asb.total + profile.counts.total == sum(
        profile.quality.area_rows_by_force["rows"].to_pylist()
    )
    assert profile.outcomes.overall.total <= profile.counts.total


def test_profile_serialises_to_valid_json(profile):
    import json

    data = json.loads(to_json(profile))
    assert set(SECTIONS) <= set(data)
    assert data["provenance"]["parameters"]["area"] == NWL


def test_profile_sections_equal_the_standalone_measures(engine, profile):
    from crimestats.measures import change, control, counts

    alone = control(engine, Query.from_strings(NWL, last="2025-12"))
    assert profile.control.chart.to_pylist() == alone.chart.to_pylist()
    assert profile.control.chart["expected"][0].as_py() is not None  # a 3-year baseline is used
    moved = change(engine, Query.from_strings(NWL, last="2025-12"))
    assert (profile.change.x1, profile.change.x2) == (moved.x1, moved.x2)
    assert profile.counts.by_category.equals(
        counts(engine, Query.from_strings(NWL, first="2023-01", last="2025-12")).by_category
    )
