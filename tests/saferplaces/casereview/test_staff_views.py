from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from saferplaces.accounts.models import Role
from saferplaces.audit.models import AuditEvent
from saferplaces.casereview import services
from saferplaces.casereview.models import CaseReview, Status
from saferplaces.core.home_panels import resident_work_for
from tests.conftest import mark_second_factor_verified
from tests.saferplaces.casereview.factories import member, submitted
from tests.saferplaces.factories import OrganisationFactory

TODAY = timezone.localdate()


def _sign_in(client, user) -> None:
    client.force_login(user)
    mark_second_factor_verified(client, user)


def _detail(case_review) -> str:
    return reverse("casereview:detail", kwargs={"case_review_id": case_review.pk})


def _met(partnership, lead):
    case_review = submitted(partnership, today=TODAY)
    services.case_review_decide_threshold(
        case_review=case_review, by=member(partnership), roles={Role.PARTNERSHIP_MANAGER},
        met=True, reason="Met", lead_organisation=lead,
    )  # fmt: skip
    case_review.refresh_from_db()
    return case_review


def test_manager_sees_personal_data_and_the_view_is_audited(client, partnership, site_reports):
    case_review = submitted(partnership, today=TODAY)
    _sign_in(client, member(partnership))
    page = client.get(_detail(case_review)).content.decode()
    assert "Loud music every night" in page
    assert "alex@example.org" in page
    event = AuditEvent.objects.get(verb="casereview.personal_data_viewed")
    assert event.object_id == str(case_review.pk)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.PARTNER_OFFICER])
def test_others_see_progress_but_not_personal_data(client, partnership, site_reports, role):
    case_review = submitted(partnership, today=TODAY)
    _sign_in(client, member(partnership, role))
    page = client.get(_detail(case_review)).content.decode()
    assert case_review.reference in page
    assert "Loud music" not in page
    assert "alex@example.org" not in page
    assert not AuditEvent.objects.filter(verb="casereview.personal_data_viewed").exists()


def test_lead_organisation_officer_sees_personal_data(client, partnership, site_reports):
    lead = OrganisationFactory(partnership=partnership)
    case_review = _met(partnership, lead)
    _sign_in(client, member(partnership, Role.PARTNER_OFFICER, organisation=lead))
    page = client.get(_detail(case_review)).content.decode()
    assert "Loud music" in page
    assert "Record the review" in page


def test_list_shows_clock_and_overdue(client, partnership, site_reports):
    late = submitted(partnership, today=TODAY - timedelta(days=40))
    submitted(partnership, today=TODAY)
    _sign_in(client, member(partnership))
    page = client.get(reverse("casereview:list")).content.decode()
    assert late.reference in page
    assert "Overdue by" in page
    assert "working days left" in page
    sections = resident_work_for(
        user=member(partnership), partnership=partnership, roles={Role.PARTNERSHIP_MANAGER}
    )
    status = next(s.status for s in sections if s.title == "ASB case reviews")
    assert status == "2 case reviews waiting for a decision, 1 overdue"


def test_resident_work_hidden_from_viewers(partnership):
    assert not [
        s
        for s in resident_work_for(
            user=member(partnership, Role.VIEWER), partnership=partnership, roles={Role.VIEWER}
        )  # fmt: skip
        if s.title == "ASB case reviews"
    ]


def test_threshold_form_decides_and_mails(client, partnership, site_reports):
    case_review = submitted(partnership, today=TODAY)
    lead = OrganisationFactory(partnership=partnership)
    _sign_in(client, member(partnership))
    url = reverse("casereview:threshold", kwargs={"case_review_id": case_review.pk})
    missing = client.post(url, {"met": "yes", "reason": "Three reports"})
    assert missing.status_code == 400
    assert "Choose the organisation that will lead" in missing.content.decode()
    response = client.post(url, {"met": "yes", "reason": "Three reports",
                                 "lead_organisation": str(lead.pk)})  # fmt: skip
    assert response.status_code == 302
    case_review.refresh_from_db()
    assert case_review.status == Status.REVIEW_DUE
    assert AuditEvent.objects.filter(verb="casereview.threshold_decided").exists()


def test_analyst_may_not_open_the_threshold_form(client, partnership, site_reports):
    case_review = submitted(partnership, today=TODAY)
    _sign_in(client, member(partnership, Role.ANALYST))
    url = reverse("casereview:threshold", kwargs={"case_review_id": case_review.pk})
    assert client.get(url).status_code == 403


def test_case_review_of_another_partnership_is_not_found(client, partnership, site_reports):
    from tests.saferplaces.factories import PartnershipFactory

    elsewhere = submitted(PartnershipFactory(), today=TODAY)
    _sign_in(client, member(partnership))
    assert client.get(_detail(elsewhere)).status_code == 404


def test_review_recommendation_outcome_through_the_pages(client, partnership, site_reports):
    lead = OrganisationFactory(partnership=partnership)
    case_review = _met(partnership, lead)
    officer = member(partnership, Role.PARTNER_OFFICER, organisation=lead)
    _sign_in(client, officer)
    kwargs = {"case_review_id": case_review.pk}
    response = client.post(reverse("casereview:review", kwargs=kwargs), {
        "held_on": TODAY.isoformat(), "agencies": [str(lead.pk)], "findings": "Found",
        "decision": "Decided",
    })  # fmt: skip
    assert response.status_code == 302
    response = client.post(reverse("casereview:recommendation", kwargs=kwargs), {
        "text": "Joint visit", "owner_organisation": str(lead.pk),
        "due_date": (TODAY + timedelta(days=30)).isoformat(),
    })  # fmt: skip
    assert response.status_code == 302
    response = client.post(reverse("casereview:outcome", kwargs=kwargs),
                           {"outcome_text": "We will visit together."})  # fmt: skip
    assert response.status_code == 302
    case_review.refresh_from_db()
    assert case_review.status == Status.OUTCOME_SENT
    assert "Joint visit" in mail.outbox[-1].body


def test_appeal_link_and_four_eyes_message(client, partnership, site_reports):
    lead = OrganisationFactory(partnership=partnership)
    case_review = _met(partnership, lead)
    manager = member(partnership)
    roles = {Role.PARTNERSHIP_MANAGER}
    services.case_review_record_review(
        case_review=case_review, by=manager, roles=roles, lead_organisation_ids=set(),
        held_on=TODAY, agencies=[lead], other_agencies="", findings="f", decision="d",
    )  # fmt: skip
    services.case_review_send_outcome(case_review=case_review, by=manager, roles=roles,
                                      lead_organisation_ids=set(), outcome_text="o")  # fmt: skip
    case_review.refresh_from_db()
    appeal_url = reverse("casereview_public:appeal", kwargs={"token": case_review.appeal_token})
    assert appeal_url in mail.outbox[-1].body
    empty = client.post(appeal_url, {"reason": ""})
    assert empty.status_code == 400
    assert "govuk-error-summary" in empty.content.decode()
    assert client.post(appeal_url, {"reason": "Nobody came"}).status_code == 200
    assert CaseReview.objects.get().status == Status.APPEALED

    _sign_in(client, manager)
    url = reverse("casereview:appeal_decide", kwargs={"case_review_id": case_review.pk})
    refused = client.post(url, {"decision": "upheld", "reason": "x"})
    assert refused.status_code == 400
    assert "Ask another partnership manager" in refused.content.decode()
    _sign_in(client, member(partnership))
    assert client.post(url, {"decision": "upheld", "reason": "We agree"}).status_code == 302
    assert CaseReview.objects.get().status == Status.REVIEW_DUE


def test_settings_page_saves(client, partnership):
    _sign_in(client, member(partnership))
    url = reverse("casereview:settings")
    data = {"reports_needed": "2", "window_months": "6", "day_kind": "calendar",
            "decision_days": "14", "review_days": "30", "appeal_days": "20",
            "retention_years": "3", "signposting": "Call 101."}  # fmt: skip
    assert client.post(url, {**data, "reports_needed": "5"}).status_code == 400
    assert client.post(url, data).status_code == 302
    assert partnership.case_review_settings.day_kind == "calendar"


def test_unknown_appeal_token_is_not_found(client, db):
    import uuid

    url = reverse("casereview_public:appeal", kwargs={"token": uuid.uuid4()})
    assert client.get(url).status_code == 404


def test_not_met_letter_counts_in_figures_year_of_decision(partnership, site_reports):
    from saferplaces.casereview.selectors import figures_by_year

    case_review = submitted(partnership, today=date(2026, 3, 30))
    services.case_review_decide_threshold(
        case_review=case_review, by=member(partnership), roles={Role.PARTNERSHIP_MANAGER},
        met=False, reason="no", today=date(2026, 4, 2),
    )  # fmt: skip
    years = {y.year: y for y in figures_by_year(partnership=partnership)}
    assert years[2025].applications == 1
    assert years[2025].threshold_not_met == 0
    assert years[2026].threshold_not_met == 1
    assert years[2026].applications == 0


def test_appeal_honeypot_stores_nothing(client, partnership, site_reports):
    case_review = submitted(partnership, today=TODAY)
    services.case_review_decide_threshold(
        case_review=case_review, by=member(partnership), roles={Role.PARTNERSHIP_MANAGER},
        met=False, reason="no",
    )  # fmt: skip
    url = reverse("casereview_public:appeal", kwargs={"token": case_review.appeal_token})
    response = client.post(url, {"reason": "spam", "website": "http://spam.example"})
    assert response.status_code == 200
    assert "Appeal sent" in response.content.decode()
    case_review.refresh_from_db()
    assert case_review.appealed_on is None


def test_privacy_registries(db):
    from saferplaces.core.privacy import privacy_purposes, retention_rules, subject_data_sources

    assert "casereview" in {p.key for p in privacy_purposes()}
    assert "casereview" in {r.key for r in retention_rules()}
    assert "casereview" in {s.key for s in subject_data_sources()}
