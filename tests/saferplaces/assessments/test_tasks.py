"""The build as the worker runs it: the immediate backend, on the real North West
Leicestershire data (2024 and 2025 from the shared data pack)."""

from __future__ import annotations

from datetime import date
from typing import Any

from saferplaces.accounts.models import Role
from saferplaces.assessments import services
from saferplaces.assessments.models import AssessmentStatus
from saferplaces.assessments.selectors import crime_months_held
from saferplaces.audit.models import AuditEvent


def test_the_task_drafts_the_assessment_from_the_real_data(
    nwl: Any, analyst: Any, nwl_store: Any, django_capture_on_commit_callbacks: Any
) -> None:
    held = crime_months_held(partnership=nwl)
    assert (held.first, held.last) == (date(2024, 1, 1), date(2025, 12, 1))
    choices = {"last_month": None, "months": 12, "trend_months": 36,
               "comparator": "rest-of-force", "include_harm": True}  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        assessment = services.assessment_build_request(
            partnership=nwl, by=analyst, roles={Role.ANALYST}, choices=choices, held=held
        )

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT, assessment.error_message
    assert (assessment.progress, assessment.progress_message) == (100, "Done")
    document = assessment.document
    assert document["area_code"] == "E07000134"
    assert document["period"] == ["2025-01-01", "2025-12-01"]
    assert assessment.title == document["title"]
    assert "North West Leicestershire" in assessment.title
    # Every figure says what it was computed from.
    figures = [figure for section in document["sections"] for figure in _walk_figures(section)]
    assert figures
    for figure in figures:
        assert figure["provenance"].get("crimestats_version"), figure["key"]
        assert figure["provenance"].get("forces"), figure["key"]
    verbs = list(
        AuditEvent.objects.filter(object_id=str(assessment.pk))
        .order_by("sequence")
        .values_list("verb", flat=True)
    )
    assert verbs == [services.VERB_BUILD_REQUESTED, services.VERB_BUILT]


def _walk_figures(section: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(section.get("figures") or [])
    for child in section.get("children") or []:
        found += _walk_figures(child)
    return found


def test_a_period_with_no_data_fails_with_the_engines_message(
    make_assessment: Any, nwl_store: Any
) -> None:
    from saferplaces.assessments.tasks import assessment_build_run

    queued = make_assessment(
        AssessmentStatus.QUEUED,
        options={"area": "E07000134", "last_month": "2021-12-01", "months": 12},
    )

    assert assessment_build_run(assessment_id=str(queued.pk)) == "failed"

    queued.refresh_from_db()
    assert queued.status == AssessmentStatus.FAILED
    assert "2021" in queued.error_message
    assert queued.error_message[0].isupper()
    assert queued.error_message.endswith(".")
    assert queued.document is None
