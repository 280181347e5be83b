"""Options and documents survive a JSON round trip exactly (the web app stores snapshots)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from saferplaces_reports.assessment import (
    AssessmentDocument,
    AssessmentOptions,
    ChartImage,
    Figure,
    PriorityWeights,
    Section,
)
from saferplaces_reports.assessment.priority import CategoryEvidence, score_priorities
from saferplaces_reports.tables import Table


def test_options_round_trip_through_json() -> None:
    options = AssessmentOptions(
        "districts:E07000134,E07000129", last_month=date(2025, 12, 1), months=6,
        trend_months=48, comparator="force", include_harm=False,
        weights=PriorityWeights(volume=2, trend=0.5, harm=0, public_concern=1, vulnerability=3),
    )  # fmt: skip
    again = AssessmentOptions.from_dict(json.loads(json.dumps(options.to_dict())))
    assert again == options
    assert AssessmentOptions.from_dict({"area": "E07000134"}) == AssessmentOptions("E07000134")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"area": " "}, "choose an area"),
        ({"area": "E07000134", "months": 0}, "between 1 and 24"),
        ({"area": "E07000134", "months": 12, "trend_months": 6}, "at least as long"),
    ],
)
def test_bad_options_are_refused_with_a_message(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AssessmentOptions(**kwargs)


def test_weights_must_be_in_range_and_not_all_zero() -> None:
    with pytest.raises(ValueError, match="harm weight"):
        PriorityWeights(harm=-1)
    with pytest.raises(ValueError, match="at least one"):
        PriorityWeights(0, 0, 0, 0, 0)


def _document() -> AssessmentDocument:
    evidence = [
        CategoryEvidence("burglary", "Burglary", 120, 0.1, "rise", True, "A rise.", None, "",
                         0.2, "20% of harm."),
        CategoryEvidence("anti-social-behaviour", "Anti-social behaviour", 5, 0.004),
    ]  # fmt: skip
    options = AssessmentOptions("E07000134", last_month=date(2025, 12, 1))
    table = Table(
        "by-month", "By month", ("Month", "Crimes", "Rate"),
        ((date(2025, 1, 1), 3, 1.5), (date(2025, 2, 1), None, None)), notes=("a note",),
    )  # fmt: skip
    child = Section("crime-burglary", "Burglary", "Drafted.", [], [], [table])
    section = Section(
        "overall", "The overall picture", "One.\n\nTwo.",
        [Figure("overall-count", "Recorded", "12 crimes", 12.0, {"period": "2025"})],
        [ChartImage("c", "Chart", "<svg></svg>", "A chart.")], [], [child],
    )  # fmt: skip
    return AssessmentDocument(
        title="Strategic assessment", area_name="North West Leicestershire",
        area_code="E07000134", area_kind="LAD",
        period=(date(2025, 1, 1), date(2025, 12, 1)),
        previous_period=(date(2024, 1, 1), date(2024, 12, 1)),
        trend_period=(date(2023, 1, 1), date(2025, 12, 1)), options=options,
        sections=[section],
        priorities=score_priorities(evidence, options.weights, overrides={
            "burglary": (4.5, "Residents' top concern")}),
        evidence=evidence, public_concern={"burglary": 4.0}, caveats=["Gaps."],
        provenance={"months_missing": ["2024-05"]},
        built_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC),
    )  # fmt: skip


def test_document_round_trips_through_json_exactly() -> None:
    doc = _document()
    stored = json.dumps(doc.to_dict())
    again = AssessmentDocument.from_dict(json.loads(stored))
    assert again == doc
    assert again.section("overall").tables == []
    assert again.section("crime-burglary").tables[0].rows[0][0] == date(2025, 1, 1)
    assert again.priorities[0].override_reason == "Residents' top concern"
    assert again.narrative_keys() == ["overall", "crime-burglary"]


def test_a_document_from_a_newer_schema_is_refused() -> None:
    data = _document().to_dict()
    data["schema_version"] = 99
    with pytest.raises(ValueError, match="newer version"):
        AssessmentDocument.from_dict(data)
