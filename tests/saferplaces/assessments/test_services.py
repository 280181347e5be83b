"""Services: the workflow's rules, each refusal saving nothing, each write audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from saferplaces.accounts.models import Role
from saferplaces.assessments import services
from saferplaces.assessments.models import Assessment, AssessmentStatus
from saferplaces.assessments.selectors import MonthsHeld
from saferplaces.audit.models import AuditEvent
from saferplaces.core.exceptions import ApplicationError

DRAFTER = {Role.ANALYST}
MANAGER = {Role.PARTNERSHIP_MANAGER}
HELD = MonthsHeld(date(2024, 1, 1), date(2025, 12, 1))
CHOICES = {"last_month": date(2025, 12, 1), "months": 12, "trend_months": 36,
           "comparator": "rest-of-force", "include_harm": True}  # fmt: skip


def _verbs(assessment: Assessment) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(assessment.pk))
        .order_by("sequence")
        .values_list("verb", flat=True)
    )


def _snapshot(assessment: Assessment) -> dict[str, Any]:
    row = Assessment.objects.get(pk=assessment.pk)
    return {
        field: getattr(row, field)
        for field in ("status", "number", "document", "narrative", "overrides", "approval_note")
    }


# -- approved versions are frozen ----------------------------------------------------------


def test_an_approved_version_refuses_every_change(make_assessment: Any, analyst: Any) -> None:
    approved = make_assessment(
        AssessmentStatus.APPROVED, number=1, narrative={"executive-summary": "<p>Agreed.</p>"}
    )
    before = _snapshot(approved)

    with pytest.raises(ApplicationError, match="Version 1 was approved"):
        services.assessment_narrative_change(
            assessment=approved, by=analyst, roles=DRAFTER,
            section_key="executive-summary", text="Rewritten after approval",
        )  # fmt: skip
    with pytest.raises(ApplicationError, match="Version 1 was approved"):
        services.assessment_priority_override(
            assessment=approved, by=analyst, roles=DRAFTER,
            category="burglary", score=5, reason="Residents' survey",
        )  # fmt: skip
    with pytest.raises(ApplicationError, match="Version 1 was approved"):
        services.assessment_submit(assessment=approved, by=analyst, roles=DRAFTER)

    assert _snapshot(approved) == before
    assert _verbs(approved) == []


def test_a_later_approval_supersedes_but_keeps_the_earlier_version(
    make_assessment: Any, analyst: Any, manager: Any
) -> None:
    first = make_assessment(AssessmentStatus.SUBMITTED, submitted_by=analyst)
    services.assessment_approve(assessment=first, by=manager, roles=MANAGER)
    kept = _snapshot(first)
    second = make_assessment(AssessmentStatus.SUBMITTED, submitted_by=analyst)

    services.assessment_approve(assessment=second, by=manager, roles=MANAGER, note="Agreed")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.number, first.status) == (1, AssessmentStatus.SUPERSEDED)
    assert (second.number, second.status) == (2, AssessmentStatus.APPROVED)
    assert second.approval_note == "Agreed"
    assert {**kept, "status": AssessmentStatus.SUPERSEDED} == _snapshot(first)


# -- a new draft starts from the last version ----------------------------------------------


def test_a_new_draft_copies_narrative_and_overrides_from_the_last_approved_version(
    nwl: Any, make_assessment: Any, analyst: Any, django_capture_on_commit_callbacks: Any
) -> None:
    override = {"score": 5.0, "reason": "Residents' survey", "by": "A", "at": "2025-01-01"}
    make_assessment(AssessmentStatus.SUPERSEDED, number=1, narrative={"overall": "<p>Old</p>"})
    last = make_assessment(
        AssessmentStatus.APPROVED,
        number=2,
        narrative={"executive-summary": '<p class="govuk-body">Our words</p>'},
        overrides={"burglary": override},
    )

    with django_capture_on_commit_callbacks(execute=False) as queued:
        draft = services.assessment_build_request(
            partnership=nwl, by=analyst, roles=DRAFTER, choices=CHOICES, held=HELD
        )

    assert draft.status == AssessmentStatus.QUEUED
    assert draft.based_on == last
    assert draft.narrative == {"executive-summary": '<p class="govuk-body">Our words</p>'}
    assert draft.overrides == {"burglary": override}
    assert len(queued) == 1  # the build is queued once the row is committed
    assert _verbs(draft) == [services.VERB_BUILD_REQUESTED]


def test_build_finish_drops_what_has_no_place_in_the_new_document(
    make_assessment: Any,
) -> None:
    from tests.saferplaces.assessments._documents import small_document

    row = make_assessment(
        AssessmentStatus.BUILDING,
        narrative={"executive-summary": "<p>Kept</p>", "crime-robbery": "<p>Gone</p>"},
        overrides={"burglary": {"score": 4, "reason": "r"}, "robbery": {"score": 5, "reason": "r"}},
    )

    services.assessment_build_finish(assessment_id=row.pk, document=small_document())

    row.refresh_from_db()
    assert row.status == AssessmentStatus.DRAFT
    assert row.narrative == {"executive-summary": "<p>Kept</p>"}
    assert set(row.overrides) == {"burglary"}
    event = AuditEvent.objects.get(object_id=str(row.pk), verb=services.VERB_BUILT)
    assert event.summary["dropped_sections"] == ["crime-robbery"]
    assert event.summary["dropped_overrides"] == ["robbery"]


# -- a period outside the data ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_month", "months", "expected"),
    [
        (date(2026, 3, 1), 12, "Choose a last month from December 2024 to December 2025"),
        (date(2024, 6, 1), 12, "Choose a last month from December 2024 to December 2025"),
        (date(2025, 11, 1), 24, "Choose a last month from December 2025 to December 2025"),
    ],
)
def test_a_period_outside_the_data_is_refused_and_nothing_is_saved(
    nwl: Any, analyst: Any, last_month: date, months: int, expected: str
) -> None:
    choices = {**CHOICES, "last_month": last_month, "months": months, "trend_months": 36}

    with pytest.raises(ApplicationError, match=expected):
        services.assessment_build_request(
            partnership=nwl, by=analyst, roles=DRAFTER, choices=choices, held=HELD
        )

    assert not Assessment.objects.exists()
    assert not AuditEvent.objects.filter(verb=services.VERB_BUILD_REQUESTED).exists()


def test_no_data_at_all_is_refused(nwl: Any, analyst: Any) -> None:
    with pytest.raises(ApplicationError, match="No crime data has been loaded"):
        services.assessment_build_request(
            partnership=nwl, by=analyst, roles=DRAFTER, choices=CHOICES,
            held=MonthsHeld(None, None),
        )  # fmt: skip
    assert not Assessment.objects.exists()


def test_a_board_member_cannot_start_a_draft(nwl: Any, member: Any) -> None:
    board = member(Role.BOARD_MEMBER)
    with pytest.raises(PermissionDenied):
        services.assessment_build_request(
            partnership=nwl, by=board, roles={Role.BOARD_MEMBER}, choices=CHOICES, held=HELD
        )
    assert not Assessment.objects.exists()


# -- narrative and overrides -----------------------------------------------------------------


def test_narrative_is_sanitised_saved_and_audited(make_assessment: Any, analyst: Any) -> None:
    draft = make_assessment()

    services.assessment_narrative_change(
        assessment=draft, by=analyst, roles=DRAFTER, section_key="executive-summary",
        text='Crime fell.<script>alert(1)</script>\n\n<a href="javascript:alert(1)">x</a>',
    )  # fmt: skip

    draft.refresh_from_db()
    html = draft.narrative["executive-summary"]
    assert "script" not in html
    assert "javascript" not in html
    assert "Crime fell." in html
    assert _verbs(draft) == [services.VERB_NARRATIVE_CHANGED]


def test_empty_narrative_puts_the_drafted_text_back(make_assessment: Any, analyst: Any) -> None:
    draft = make_assessment(narrative={"executive-summary": "<p>Ours</p>"})

    services.assessment_narrative_change(
        assessment=draft, by=analyst, roles=DRAFTER, section_key="executive-summary", text="  "
    )

    draft.refresh_from_db()
    assert draft.narrative == {}


def test_a_section_the_document_does_not_have_is_refused(
    make_assessment: Any, analyst: Any
) -> None:
    draft = make_assessment()
    with pytest.raises(ApplicationError, match="no section called 'harm'"):
        services.assessment_narrative_change(
            assessment=draft, by=analyst, roles=DRAFTER, section_key="harm", text="Text"
        )


def test_an_override_without_a_reason_is_refused_and_nothing_is_saved(
    make_assessment: Any, analyst: Any
) -> None:
    draft = make_assessment()

    with pytest.raises(ApplicationError, match="Enter a reason for changing the score"):
        services.assessment_priority_override(
            assessment=draft, by=analyst, roles=DRAFTER, category="burglary", score=5,
            reason="   ",
        )  # fmt: skip

    draft.refresh_from_db()
    assert draft.overrides == {}
    assert _verbs(draft) == []


def test_an_override_with_a_reason_reranks_and_is_audited(
    make_assessment: Any, analyst: Any
) -> None:
    from saferplaces.assessments.document import priority_rows

    draft = make_assessment()
    assert [r.category for r in priority_rows(draft)][0] == "shoplifting"

    services.assessment_priority_override(
        assessment=draft, by=analyst, roles=DRAFTER, category="burglary", score=5,
        reason="Residents rank burglary first in the 2025 survey",
    )  # fmt: skip

    draft.refresh_from_db()
    rows = priority_rows(draft)
    assert rows[0].category == "burglary"
    assert rows[0].override_reason == "Residents rank burglary first in the 2025 survey"
    event = AuditEvent.objects.get(object_id=str(draft.pk))
    assert event.verb == services.VERB_PRIORITY_OVERRIDDEN
    assert event.summary["score_after"] == 5.0
    assert event.summary["reason"].startswith("Residents rank")


def test_an_override_out_of_range_is_refused(make_assessment: Any, analyst: Any) -> None:
    draft = make_assessment()
    with pytest.raises(ApplicationError, match="between 0 and 5"):
        services.assessment_priority_override(
            assessment=draft, by=analyst, roles=DRAFTER, category="burglary", score=7,
            reason="Because",
        )  # fmt: skip
    draft.refresh_from_db()
    assert draft.overrides == {}


# -- submit, approve, return -----------------------------------------------------------------


def test_an_analyst_cannot_approve_even_their_own_draft(make_assessment: Any, analyst: Any) -> None:
    draft = make_assessment()
    services.assessment_submit(assessment=draft, by=analyst, roles=DRAFTER)

    with pytest.raises(PermissionDenied, match="Only a partnership manager can approve"):
        services.assessment_approve(assessment=draft, by=analyst, roles=DRAFTER)

    draft.refresh_from_db()
    assert (draft.status, draft.number) == (AssessmentStatus.SUBMITTED, None)
    assert _verbs(draft) == [services.VERB_SUBMITTED]


def test_a_manager_may_not_approve_a_draft_they_submitted_when_another_manager_exists(
    make_assessment: Any, manager: Any, member: Any
) -> None:
    member(Role.PARTNERSHIP_MANAGER)  # a second manager, who can approve it
    draft = make_assessment()
    services.assessment_submit(assessment=draft, by=manager, roles=MANAGER)

    with pytest.raises(ApplicationError, match="another partnership manager must approve it"):
        services.assessment_approve(assessment=draft, by=manager, roles=MANAGER)

    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SUBMITTED


def test_the_only_manager_may_approve_a_draft_they_submitted(
    make_assessment: Any, manager: Any
) -> None:
    draft = make_assessment()
    services.assessment_submit(assessment=draft, by=manager, roles=MANAGER)

    services.assessment_approve(assessment=draft, by=manager, roles=MANAGER)

    draft.refresh_from_db()
    assert (draft.status, draft.number) == (AssessmentStatus.APPROVED, 1)
    event = AuditEvent.objects.get(object_id=str(draft.pk), verb=services.VERB_APPROVED)
    assert event.summary["submitted_by_approver"] is True


def test_only_a_submitted_draft_can_be_approved(make_assessment: Any, manager: Any) -> None:
    draft = make_assessment()
    with pytest.raises(ApplicationError, match="waiting for approval"):
        services.assessment_approve(assessment=draft, by=manager, roles=MANAGER)


def test_sending_back_needs_a_note_and_reopens_the_draft(
    make_assessment: Any, analyst: Any, manager: Any
) -> None:
    draft = make_assessment(AssessmentStatus.SUBMITTED, submitted_by=analyst)
    with pytest.raises(ApplicationError, match="Enter what needs to change"):
        services.assessment_return(assessment=draft, by=manager, roles=MANAGER, note=" ")
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SUBMITTED

    services.assessment_return(
        assessment=draft, by=manager, roles=MANAGER, note="Add the survey findings"
    )

    draft.refresh_from_db()
    assert (draft.status, draft.return_note) == (AssessmentStatus.DRAFT, "Add the survey findings")
    assert _verbs(draft) == [services.VERB_RETURNED]


def test_a_submitted_draft_cannot_be_edited(make_assessment: Any, analyst: Any) -> None:
    draft = make_assessment(AssessmentStatus.SUBMITTED)
    with pytest.raises(ApplicationError, match="Only a draft can be changed"):
        services.assessment_narrative_change(
            assessment=draft, by=analyst, roles=DRAFTER, section_key="executive-summary",
            text="Late change",
        )  # fmt: skip


# -- the build -------------------------------------------------------------------------------


def test_a_build_without_data_fails_with_a_clear_message(
    make_assessment: Any, settings: Any, tmp_path: Any
) -> None:
    from saferplaces.assessments.tasks import assessment_build_run

    settings.DATA_DIR = tmp_path / "empty"
    queued = make_assessment(AssessmentStatus.QUEUED, options={"area": "E07000134"})

    assert assessment_build_run(assessment_id=str(queued.pk)) == "failed"

    queued.refresh_from_db()
    assert queued.status == AssessmentStatus.FAILED
    assert queued.error_message.startswith("No crime data has been loaded into the data folder")
    assert queued.document is None
    assert _verbs(queued) == [services.VERB_BUILD_FAILED]


def test_an_unexpected_error_fails_the_build_without_keeping_anything(
    make_assessment: Any, monkeypatch: Any, nwl_store: Any
) -> None:
    import saferplaces_reports.assessment as assessment_package
    from saferplaces.assessments.tasks import assessment_build_run

    def broken(*args: Any, **kwargs: Any) -> Any:
        kwargs["progress"]("Reading the data for the area", 0.05)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(assessment_package, "build_assessment", broken)
    queued = make_assessment(AssessmentStatus.QUEUED, options={"area": "E07000134"})

    assert assessment_build_run(assessment_id=str(queued.pk)) == "failed"

    queued.refresh_from_db()
    assert queued.status == AssessmentStatus.FAILED
    assert "error in SaferPlaces (RuntimeError)" in queued.error_message
    assert "disk on fire" not in queued.error_message  # no internals shown to the analyst
    assert queued.progress == 5
