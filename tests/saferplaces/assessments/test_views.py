"""The assessment pages through the test client: forms, error summaries, who sees what."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from saferplaces.accounts.models import Role
from saferplaces.assessments import services
from saferplaces.assessments.models import Assessment, AssessmentStatus
from saferplaces.audit.models import AuditEvent
from tests.conftest import mark_second_factor_verified


@pytest.fixture
def signed_in(client: Any) -> Any:
    def sign_in(user: Any) -> Any:
        client.force_login(user)
        mark_second_factor_verified(client, user)
        return client

    return sign_in


def _url(name: str, assessment: Assessment, **kwargs: Any) -> str:
    return reverse(f"assessments:{name}", kwargs={"assessment_id": assessment.pk, **kwargs})


def test_urls_live_under_staff_assessments() -> None:
    assert reverse("assessments:list") == "/staff/assessments/"


def test_board_members_see_approved_versions_only(
    signed_in: Any, member: Any, make_assessment: Any
) -> None:
    approved = make_assessment(AssessmentStatus.APPROVED, number=1, title="Approved 2024")
    draft = make_assessment(title="Draft 2025")
    client = signed_in(member(Role.BOARD_MEMBER))

    listing = client.get(reverse("assessments:list")).content.decode()

    assert "Approved 2024" in listing
    assert "Draft 2025" not in listing
    assert client.get(_url("detail", approved)).status_code == 200
    assert client.get(_url("detail", draft)).status_code == 404
    assert "Start a new draft" not in listing


def test_analysts_see_drafts_and_the_start_button(
    signed_in: Any, analyst: Any, make_assessment: Any
) -> None:
    make_assessment(title="Draft 2025")
    listing = signed_in(analyst).get(reverse("assessments:list")).content.decode()
    assert "Draft 2025" in listing
    assert "Start a new draft" in listing


def test_new_form_defaults_to_the_latest_month_held(
    signed_in: Any, analyst: Any, nwl_store: Any
) -> None:
    html = signed_in(analyst).get(reverse("assessments:new")).content.decode()

    assert "runs from January 2024 to December 2025" in html
    assert 'name="last_month_month" type="text" value="12"' in html
    assert 'name="last_month_year" type="text" value="2025"' in html
    assert 'name="months" type="text" value="12"' in html
    assert 'name="trend_months" type="text" value="36"' in html


def test_a_period_outside_the_data_shows_an_error_summary_and_saves_nothing(
    signed_in: Any, analyst: Any, nwl_store: Any
) -> None:
    response = signed_in(analyst).post(
        reverse("assessments:new"),
        {"last_month_month": "6", "last_month_year": "2026", "months": "12",
         "trend_months": "36", "comparator": "rest-of-force", "include_harm": "yes"},
    )  # fmt: skip

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Choose a last month from December 2024 to December 2025" in html
    assert '<a href="#id_last_month_month">' in html
    assert not Assessment.objects.exists()


def test_bad_numbers_show_an_error_summary(signed_in: Any, analyst: Any, nwl_store: Any) -> None:
    response = signed_in(analyst).post(
        reverse("assessments:new"),
        {"last_month_month": "13", "last_month_year": "2025", "months": "30",
         "trend_months": "6", "comparator": "rest-of-force", "include_harm": "yes",
         "weight_harm": "-1"},
    )  # fmt: skip

    html = response.content.decode()
    assert "The month must be a number from 1 to 12" in html
    assert "The assessment period must be between 1 and 24 months" in html
    assert "The harm weight must be 0 to 10" in html
    assert not Assessment.objects.exists()


def test_status_page_refreshes_itself_while_building(
    signed_in: Any, analyst: Any, make_assessment: Any
) -> None:
    building = make_assessment(
        AssessmentStatus.BUILDING, progress=40, progress_message="Drafting the chapters"
    )
    html = signed_in(analyst).get(_url("status", building)).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert 'value="40"' in html
    assert "Drafting the chapters" in html


def test_status_page_of_a_failed_build_shows_the_message_without_refreshing(
    signed_in: Any, analyst: Any, make_assessment: Any
) -> None:
    failed = make_assessment(AssessmentStatus.FAILED, error_message="No data for 2031.")
    html = signed_in(analyst).get(_url("status", failed)).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "govuk-error-summary" in html
    assert "No data for 2031." in html


def test_detail_shows_the_analysts_narrative_in_place_of_the_drafted_text(
    signed_in: Any, analyst: Any, make_assessment: Any
) -> None:
    draft = make_assessment(
        narrative={"executive-summary": '<p class="govuk-body">Our own words.</p>'}
    )
    html = signed_in(analyst).get(_url("detail", draft)).content.decode()
    assert '<p class="govuk-body">Our own words.</p>' in html
    assert "Crime fell." not in html
    assert "Shoplifting rose." not in html
    assert "Where this figure comes from" in html


def test_editing_a_section_saves_sanitised_text(
    signed_in: Any, analyst: Any, make_assessment: Any
) -> None:
    draft = make_assessment()
    client = signed_in(analyst)
    url = _url("section_edit", draft, section_key="executive-summary")
    assert "Crime fell." in client.get(url).content.decode()  # the drafted text to start from

    response = client.post(url, {"text": 'Better.<img src=x onerror="alert(1)">'})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.narrative == {"executive-summary": '<p class="govuk-body">Better.</p>'}


def test_an_override_without_a_reason_shows_the_error_summary(
    signed_in: Any, analyst: Any, make_assessment: Any
) -> None:
    draft = make_assessment()
    response = signed_in(analyst).post(
        _url("override", draft, category="burglary"), {"score": "5", "reason": ""}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter a reason for changing the score" in html
    draft.refresh_from_db()
    assert draft.overrides == {}


def test_an_override_with_a_reason_is_saved_and_can_be_removed(
    signed_in: Any, analyst: Any, make_assessment: Any
) -> None:
    draft = make_assessment()
    client = signed_in(analyst)
    url = _url("override", draft, category="burglary")

    client.post(url, {"score": "4.5", "reason": "Survey: burglary is residents' top worry"})
    draft.refresh_from_db()
    assert draft.overrides["burglary"]["score"] == 4.5
    detail = client.get(_url("detail", draft)).content.decode()
    assert "Survey: burglary is residents&#39; top worry" in detail

    client.post(url, {"remove": "1"})
    draft.refresh_from_db()
    assert draft.overrides == {}


def test_submit_then_the_analyst_is_refused_approval_with_a_clear_message(
    signed_in: Any, analyst: Any, make_assessment: Any
) -> None:
    draft = make_assessment()
    client = signed_in(analyst)
    assert client.post(_url("submit", draft)).status_code == 302

    response = client.post(_url("review", draft), {"decision": "approve", "note": ""})

    html = response.content.decode()
    assert response.status_code == 403
    assert "govuk-error-summary" in html
    assert "Only a partnership manager can approve a strategic assessment" in html
    draft.refresh_from_db()
    assert (draft.status, draft.number) == (AssessmentStatus.SUBMITTED, None)


def test_manager_who_submitted_sees_no_approve_option_and_is_refused_if_they_try(
    signed_in: Any, manager: Any, member: Any, make_assessment: Any
) -> None:
    member(Role.PARTNERSHIP_MANAGER)
    draft = make_assessment(AssessmentStatus.SUBMITTED, submitted_by=manager)
    client = signed_in(manager)

    page = client.get(_url("review", draft)).content.decode()
    assert 'value="approve"' not in page
    assert "another partnership manager must approve it" in page

    response = client.post(_url("review", draft), {"decision": "approve"})
    assert "govuk-error-summary" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SUBMITTED


def test_a_manager_approves_and_the_version_is_numbered(
    signed_in: Any, analyst: Any, manager: Any, make_assessment: Any
) -> None:
    draft = make_assessment(AssessmentStatus.SUBMITTED, submitted_by=analyst)

    response = signed_in(manager).post(
        _url("review", draft), {"decision": "approve", "note": "Agreed by the board"}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.number) == (AssessmentStatus.APPROVED, 1)
    detail = signed_in(manager).get(_url("detail", draft)).content.decode()
    assert "Approved version 1" in detail
    assert "Change<span" not in detail  # nothing to edit on a frozen version


def test_sending_back_without_a_note_shows_an_error(
    signed_in: Any, analyst: Any, manager: Any, make_assessment: Any
) -> None:
    draft = make_assessment(AssessmentStatus.SUBMITTED, submitted_by=analyst)
    response = signed_in(manager).post(_url("review", draft), {"decision": "return", "note": ""})
    assert "Enter what needs to change before the draft is approved" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SUBMITTED


def test_editing_a_frozen_version_sends_you_back_with_a_message(
    signed_in: Any, analyst: Any, make_assessment: Any
) -> None:
    approved = make_assessment(AssessmentStatus.APPROVED, number=3)
    response = signed_in(analyst).post(
        _url("section_edit", approved, section_key="executive-summary"), {"text": "New"}
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.narrative == {}


@pytest.mark.parametrize(
    ("file_format", "magic", "content_type"),
    [
        ("pdf", b"%PDF", "application/pdf"),
        ("xlsx", b"PK", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("html", b"<!DOCTYPE html>", "text/html; charset=utf-8"),
    ],
)
def test_downloads_are_marked_and_audited(
    signed_in: Any, analyst: Any, make_assessment: Any, file_format: str, magic: bytes,
    content_type: str,
) -> None:  # fmt: skip
    draft = make_assessment()

    response = signed_in(analyst).get(_url("download", draft, file_format=file_format))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    assert (
        f'filename="strategic-assessment-2025-12-draft.{file_format}"'
        in (response["Content-Disposition"])
    )
    if file_format == "xlsx":
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            assert "xl/workbook.xml" in book.namelist()
            strings = book.read("xl/sharedStrings.xml").decode()
            assert "Draft: not approved" in strings
    if file_format == "html":
        assert "Draft: not approved" in response.content.decode()
    event = AuditEvent.objects.get(verb=services.VERB_DOWNLOADED)
    assert event.summary == {"format": file_format, "status": "draft", "number": None}
    assert event.action == "export"


def test_an_approved_download_carries_its_version_number(
    signed_in: Any, analyst: Any, make_assessment: Any
) -> None:
    approved = make_assessment(AssessmentStatus.APPROVED, number=2)
    response = signed_in(analyst).get(_url("download", approved, file_format="html"))
    html = response.content.decode()
    assert "Approved version 2" in html
    assert "Draft" not in html.split("<body>")[-1][:2000]
    assert "strategic-assessment-2025-12-version-2.html" in response["Content-Disposition"]


def test_unknown_download_format_is_not_found(
    signed_in: Any, analyst: Any, make_assessment: Any
) -> None:
    draft = make_assessment()
    assert signed_in(analyst).get(_url("download", draft, file_format="docx")).status_code == 404


def test_public_concern_page_shows_suggestions_and_saves(
    signed_in: Any, analyst: Any, make_assessment: Any, monkeypatch: Any
) -> None:
    from saferplaces.core import resident_voice

    monkeypatch.setattr(
        resident_voice,
        "_public_concern",
        {
            "t": lambda p, since: [
                resident_voice.PublicConcernSuggestion("burglary", 4, "ranked 2nd of 5 by 312")
            ]
        },
    )
    draft = make_assessment()
    client = signed_in(analyst)
    url = _url("public_concern", draft)
    page = client.get(url).content.decode()
    assert "Suggested 4: ranked 2nd of 5 by 312" in page
    assert '<option value="4" selected' in page  # pre-filled while nothing is entered

    response = client.post(url, {"burglary": "5", "source": "Survey 2027"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.public_concern["scores"] == {"burglary": 5}


def test_public_concern_without_a_source_shows_the_error_summary(
    signed_in: Any, analyst: Any, make_assessment: Any
) -> None:
    draft = make_assessment()
    response = signed_in(analyst).post(_url("public_concern", draft), {"burglary": "3"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Say where these scores come from" in html
    draft.refresh_from_db()
    assert draft.public_concern == {}


def test_a_viewer_is_refused_the_public_concern_page(
    signed_in: Any, member: Any, make_assessment: Any
) -> None:
    # A draft is not visible to a viewer at all, so the page is not found (as for overrides).
    draft = make_assessment()
    viewer = member(Role.VIEWER)
    assert signed_in(viewer).get(_url("public_concern", draft)).status_code == 404
    assert (
        signed_in(viewer).post(_url("public_concern", draft), {"burglary": "5"}).status_code == 404
    )
    draft.refresh_from_db()
    assert draft.public_concern == {}
