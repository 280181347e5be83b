from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from saferplaces.accounts.models import Role
from saferplaces.audit.models import AuditEvent
from saferplaces.casereview import services
from saferplaces.casereview.models import CaseReview, CaseReviewSettings, Status
from saferplaces.core.exceptions import ApplicationError
from tests.saferplaces.casereview.factories import a_request, member, submitted
from tests.saferplaces.factories import OrganisationFactory

TODAY = date(2026, 3, 27)  # a Friday


def test_submit_stores_counts_and_acknowledges(partnership, site_reports) -> None:
    site_reports.add("alex@example.org", "C-2026-00009", date(2026, 1, 10))
    case_review, created = services.case_review_submit(
        partnership=partnership,
        request=a_request(site_email="alex@example.org"),
        key=uuid.uuid4(),
        today=TODAY,
    )
    assert created
    assert case_review.reference == "CR-2026-0001"
    assert case_review.reports_counted == 4
    assert case_review.meets_threshold_on_count
    assert case_review.decision_due == date(2026, 4, 14)  # 10 working days (not Easter)
    assert case_review.platform_reports[0]["reference"] == "C-2026-00009"
    assert case_review.declared_reports.count() == 3
    assert len(mail.outbox) == 1
    assert "CR-2026-0001" in mail.outbox[0].subject
    assert "14 April 2026" in mail.outbox[0].body
    assert "We counted 4 reports since 27 September 2025, 1 of them made on this website" in (
        mail.outbox[0].body
    )
    assert AuditEvent.objects.filter(verb="casereview.requested").count() == 1


def test_references_number_on(partnership, site_reports) -> None:
    submitted(partnership)
    assert submitted(partnership).reference == "CR-2026-0002"


def test_same_key_twice_stores_once_and_mails_once(partnership, site_reports) -> None:
    key = uuid.uuid4()
    first, created = services.case_review_submit(
        partnership=partnership, request=a_request(), key=key, today=TODAY
    )
    again, created_again = services.case_review_submit(
        partnership=partnership, request=a_request(), key=key, today=TODAY
    )
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert CaseReview.objects.count() == 1
    assert len(mail.outbox) == 1


def test_no_reports_at_all_is_refused_and_nothing_stored(partnership, site_reports) -> None:
    with pytest.raises(ApplicationError, match="at least one report"):
        services.case_review_submit(
            partnership=partnership, request=a_request(declared=()), key=uuid.uuid4(),
            today=TODAY,
        )  # fmt: skip
    assert not CaseReview.objects.exists()
    assert not AuditEvent.objects.filter(verb="casereview.requested").exists()
    assert not mail.outbox


def test_below_threshold_is_still_recorded(partnership, site_reports) -> None:
    request = a_request(declared=(services.DeclaredReportInput("Police", date(2026, 3, 1)),))
    case_review, _ = services.case_review_submit(
        partnership=partnership, request=request, key=uuid.uuid4(), today=TODAY
    )
    assert case_review.reports_counted == 1
    assert not case_review.meets_threshold_on_count


def test_duplicate_reference_and_old_report_not_counted(partnership, site_reports) -> None:
    site_reports.add("alex@example.org", "C-2026-00009", date(2026, 1, 10))
    declared = (
        services.DeclaredReportInput("Council", date(2026, 1, 10), "c-2026-00009"),
        services.DeclaredReportInput("Police", date(2025, 1, 1), "OLD"),
    )
    case_review = submitted(partnership, site_email="alex@example.org", declared=declared)
    assert case_review.reports_counted == 1
    assert sorted(case_review.declared_reports.values_list("counted", flat=True)) == [
        False,
        False,
    ]


def test_script_in_text_is_stripped(partnership, site_reports) -> None:
    case_review = submitted(partnership, problem="<script>alert(1)</script>Noise & <b>shouting</b>")
    assert case_review.problem == "Noise & shouting"


def test_partnership_threshold_setting_is_used(partnership, site_reports) -> None:
    CaseReviewSettings.objects.create(
        partnership=partnership, reports_needed=2, window_months=12, day_kind="calendar",
        decision_days=14,
    )  # fmt: skip
    declared = (services.DeclaredReportInput("Police", date(2025, 5, 1)),
                services.DeclaredReportInput("Police", date(2025, 6, 1)))  # fmt: skip
    case_review = submitted(partnership, declared=declared)
    assert case_review.meets_threshold_on_count
    assert case_review.decision_due == date(2026, 4, 10)  # 14 calendar days


def test_decide_threshold_met(partnership, site_reports) -> None:
    case_review = submitted(partnership)
    manager = member(partnership)
    lead = OrganisationFactory(partnership=partnership)
    services.case_review_decide_threshold(
        case_review=case_review, by=manager, roles={Role.PARTNERSHIP_MANAGER}, met=True,
        reason="Three reports in six months.", lead_organisation=lead, today=TODAY,
    )  # fmt: skip
    case_review.refresh_from_db()
    assert case_review.status == Status.REVIEW_DUE
    assert case_review.review_due == date(2026, 5, 6)  # 25 working days (not Easter, 4 May)
    assert case_review.lead_organisation == lead
    assert "will go ahead" in mail.outbox[-1].subject


def test_decide_threshold_not_met_writes_with_appeal_link(partnership, site_reports) -> None:
    case_review = submitted(partnership)
    services.case_review_decide_threshold(
        case_review=case_review, by=member(partnership), roles={Role.PARTNERSHIP_MANAGER},
        met=False, reason="The reports were about different problems.", today=TODAY,
    )  # fmt: skip
    case_review.refresh_from_db()
    assert case_review.status == Status.THRESHOLD_NOT_MET
    body = mail.outbox[-1].body
    assert "3 reports about the same problem" in body
    assert f"/case-reviews/appeal/{case_review.appeal_token}/" in body
    assert "Victim Support" in body


@pytest.mark.parametrize("role", [Role.ANALYST, Role.PARTNER_OFFICER, Role.VIEWER])
def test_only_a_manager_decides_the_threshold(partnership, site_reports, role) -> None:
    case_review = submitted(partnership)
    with pytest.raises(PermissionDenied):
        services.case_review_decide_threshold(
            case_review=case_review, by=member(partnership, role), roles={role}, met=True,
            reason="x", lead_organisation=OrganisationFactory(partnership=partnership),
        )  # fmt: skip
    case_review.refresh_from_db()
    assert case_review.status == Status.RECEIVED


def test_threshold_refusals(partnership, site_reports) -> None:
    case_review = submitted(partnership)
    manager = member(partnership)
    roles = {Role.PARTNERSHIP_MANAGER}
    with pytest.raises(ApplicationError, match="lead"):
        services.case_review_decide_threshold(
            case_review=case_review, by=manager, roles=roles, met=True, reason="ok"
        )
    with pytest.raises(ApplicationError, match="reason"):
        services.case_review_decide_threshold(
            case_review=case_review, by=manager, roles=roles, met=False, reason=" "
        )
    other = OrganisationFactory()
    with pytest.raises(ApplicationError, match="this partnership"):
        services.case_review_decide_threshold(
            case_review=case_review, by=manager, roles=roles, met=True, reason="ok",
            lead_organisation=other,
        )  # fmt: skip
    services.case_review_decide_threshold(
        case_review=case_review, by=manager, roles=roles, met=False, reason="no"
    )
    with pytest.raises(ApplicationError, match="already"):
        services.case_review_decide_threshold(
            case_review=case_review, by=manager, roles=roles, met=False, reason="no"
        )


def _reviewed(partnership, today=TODAY):
    case_review = submitted(partnership)
    manager = member(partnership)
    lead = OrganisationFactory(partnership=partnership)
    officer = member(partnership, Role.PARTNER_OFFICER, organisation=lead)
    services.case_review_decide_threshold(
        case_review=case_review, by=manager, roles={Role.PARTNERSHIP_MANAGER}, met=True,
        reason="Met", lead_organisation=lead, today=today,
    )  # fmt: skip
    services.case_review_record_review(
        case_review=case_review, by=officer, roles={Role.PARTNER_OFFICER},
        lead_organisation_ids={str(lead.pk)}, held_on=date(2026, 4, 15), agencies=[lead],
        other_agencies="Police", findings="Reports were closed without a visit.",
        decision="A joint visit and a noise diary.", today=date(2026, 4, 20),
    )  # fmt: skip
    return case_review, manager, lead, officer


def test_review_recommendation_and_outcome(partnership, site_reports) -> None:
    case_review, _manager, lead, officer = _reviewed(partnership)
    services.recommendation_add(
        case_review=case_review, by=officer, roles={Role.PARTNER_OFFICER},
        lead_organisation_ids={str(lead.pk)}, text="Install noise monitoring",
        owner_organisation=lead, due_date=date(2026, 6, 1),
    )  # fmt: skip
    services.case_review_send_outcome(
        case_review=case_review, by=officer, roles={Role.PARTNER_OFFICER},
        lead_organisation_ids={str(lead.pk)}, outcome_text="We will visit together.",
        today=date(2026, 4, 21),
    )  # fmt: skip
    case_review.refresh_from_db()
    assert case_review.status == Status.OUTCOME_SENT
    assert case_review.appeal_due == date(2026, 5, 20)  # 20 working days (not 4 May)
    body = mail.outbox[-1].body
    assert "Install noise monitoring" in body
    assert "appeal" in body


def test_officer_of_another_organisation_may_not_record_the_review(
    partnership, site_reports
) -> None:
    case_review = submitted(partnership)
    lead = OrganisationFactory(partnership=partnership)
    services.case_review_decide_threshold(
        case_review=case_review, by=member(partnership), roles={Role.PARTNERSHIP_MANAGER},
        met=True, reason="Met", lead_organisation=lead,
    )  # fmt: skip
    outsider_org = OrganisationFactory(partnership=partnership)
    officer = member(partnership, Role.PARTNER_OFFICER, organisation=outsider_org)
    with pytest.raises(PermissionDenied):
        services.case_review_record_review(
            case_review=case_review, by=officer, roles={Role.PARTNER_OFFICER},
            lead_organisation_ids={str(outsider_org.pk)}, held_on=TODAY, agencies=[lead],
            other_agencies="", findings="f", decision="d",
        )  # fmt: skip


def test_review_refusals(partnership, site_reports) -> None:
    case_review = submitted(partnership)
    manager = member(partnership)
    roles = {Role.PARTNERSHIP_MANAGER}
    lead = OrganisationFactory(partnership=partnership)
    kwargs = dict(case_review=case_review, by=manager, roles=roles, lead_organisation_ids=set(),
                  held_on=TODAY, agencies=[lead], other_agencies="", findings="f",
                  decision="d", today=TODAY)  # fmt: skip
    with pytest.raises(ApplicationError, match="threshold is met"):
        services.case_review_record_review(**kwargs)
    services.case_review_decide_threshold(
        case_review=case_review, by=manager, roles=roles, met=True, reason="Met",
        lead_organisation=lead,
    )  # fmt: skip
    with pytest.raises(ApplicationError, match="past"):
        services.case_review_record_review(**{**kwargs, "held_on": date(2026, 3, 28)})
    with pytest.raises(ApplicationError, match="Tick"):
        services.case_review_record_review(**{**kwargs, "agencies": []})
    with pytest.raises(ApplicationError, match="findings"):
        services.case_review_record_review(**{**kwargs, "findings": " "})
    with pytest.raises(ApplicationError, match="Record the review first"):
        services.case_review_send_outcome(
            case_review=case_review, by=manager, roles=roles, lead_organisation_ids=set(),
            outcome_text="x",
        )  # fmt: skip


def _outcome_sent(partnership):
    case_review, manager, lead, officer = _reviewed(partnership)
    services.case_review_send_outcome(
        case_review=case_review, by=manager, roles={Role.PARTNERSHIP_MANAGER},
        lead_organisation_ids=set(), outcome_text="Outcome.", today=date(2026, 4, 21),
    )  # fmt: skip
    case_review.refresh_from_db()
    return case_review, manager


def test_appeal_then_decision_by_another_manager(partnership, site_reports) -> None:
    case_review, decider = _outcome_sent(partnership)
    services.case_review_appeal(
        token=case_review.appeal_token, reason="Nobody visited.", today=date(2026, 4, 30)
    )
    _same, created = services.case_review_appeal(
        token=case_review.appeal_token, reason="Nobody visited.", today=date(2026, 4, 30)
    )
    assert not created
    case_review.refresh_from_db()
    assert case_review.status == Status.APPEALED
    with pytest.raises(ApplicationError, match="cannot decide the appeal"):
        services.case_review_decide_appeal(
            case_review=case_review, by=decider, roles={Role.PARTNERSHIP_MANAGER},
            decision="upheld", reason="x",
        )  # fmt: skip
    other = member(partnership)
    services.case_review_decide_appeal(
        case_review=case_review, by=other, roles={Role.PARTNERSHIP_MANAGER},
        decision="not_upheld", reason="The visit was made on 20 April.",
    )  # fmt: skip
    case_review.refresh_from_db()
    assert case_review.status == Status.CLOSED
    assert "outcome stands" in mail.outbox[-1].body


def test_appeal_refusals(partnership, site_reports) -> None:
    waiting = submitted(partnership)
    with pytest.raises(ApplicationError, match="only after"):
        services.case_review_appeal(token=waiting.appeal_token, reason="x")
    case_review, _decider = _outcome_sent(partnership)
    with pytest.raises(ApplicationError, match="ended on 20 May 2026"):
        services.case_review_appeal(
            token=case_review.appeal_token, reason="late", today=date(2026, 5, 21)
        )
    services.case_review_appeal(token=case_review.appeal_token, reason="first",
                                today=date(2026, 5, 20))  # fmt: skip
    with pytest.raises(ApplicationError, match="already"):
        services.case_review_appeal(token=case_review.appeal_token, reason="second")


def test_officer_may_not_decide_an_appeal(partnership, site_reports) -> None:
    case_review, _decider = _outcome_sent(partnership)
    services.case_review_appeal(token=case_review.appeal_token, reason="x",
                                today=date(2026, 4, 22))  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.case_review_decide_appeal(
            case_review=case_review, by=member(partnership, Role.ANALYST), roles={Role.ANALYST},
            decision="upheld", reason="x",
        )  # fmt: skip


def test_settings_update_by_manager_only_and_within_the_guidance(partnership) -> None:
    manager = member(partnership)
    services.settings_update(partnership=partnership, by=manager,
                             roles={Role.PARTNERSHIP_MANAGER}, reports_needed=2)  # fmt: skip
    assert CaseReviewSettings.objects.get(partnership=partnership).reports_needed == 2
    with pytest.raises(ApplicationError):
        services.settings_update(partnership=partnership, by=manager,
                                 roles={Role.PARTNERSHIP_MANAGER}, reports_needed=4)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.settings_update(partnership=partnership, by=member(partnership, Role.ANALYST),
                                 roles={Role.ANALYST}, reports_needed=1)  # fmt: skip
    assert AuditEvent.objects.filter(verb="casereview.settings_changed").count() == 1


def test_retention_removes_details_after_the_period(partnership, site_reports) -> None:
    case_review = submitted(partnership)
    services.case_review_decide_threshold(
        case_review=case_review, by=member(partnership), roles={Role.PARTNERSHIP_MANAGER},
        met=False, reason="no", today=TODAY,
    )  # fmt: skip
    assert services.retention_apply(datetime(2029, 3, 26, tzinfo=UTC)) == 0
    assert services.retention_apply(datetime(2029, 3, 27, tzinfo=UTC)) == 1
    case_review.refresh_from_db()
    assert case_review.email == ""
    assert case_review.problem == ""
    assert case_review.reports_counted == 3  # the counts behind the figures stay


def test_subject_export_and_erase(partnership, site_reports) -> None:
    submitted(partnership)
    exported = services.subject_export("ALEX@example.org")
    assert exported[0]["problem"].startswith("Loud music")
    assert len(exported[0]["reports_to_other_agencies"]) == 3
    assert services.subject_erase("alex@example.org") == 1
    assert not CaseReview.objects.get().declared_reports.exclude(reference="").exists()
    assert services.subject_export("alex@example.org") == []


def test_below_threshold_acknowledgement_says_so(partnership, site_reports) -> None:
    submitted(partnership, declared=(services.DeclaredReportInput("Police", date(2026, 3, 1)),))
    assert "We counted 1 report since" in mail.outbox[0].body
    assert "still look at your request" in mail.outbox[0].body


def test_every_write_is_audited_with_a_registered_verb(partnership, site_reports) -> None:
    from saferplaces.audit.registry import VERBS

    case_review, _manager = _outcome_sent(partnership)
    services.case_review_appeal(token=case_review.appeal_token, reason="x",
                                today=date(2026, 4, 22))  # fmt: skip
    written = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        "casereview.requested",
        "casereview.threshold_decided",
        "casereview.review_recorded",
        "casereview.outcome_sent",
        "casereview.appealed",
    } <= written
    assert all(verb in VERBS for verb in written)


def test_a_reference_taken_meanwhile_is_retried(partnership, site_reports, monkeypatch) -> None:
    first = submitted(partnership)
    calls = []

    def stale(year: int) -> str:
        calls.append(year)
        # The first attempt gets the number another request has just taken.
        return first.reference if len(calls) == 1 else "CR-2026-0002"

    monkeypatch.setattr(services, "_next_reference", stale)
    assert submitted(partnership).reference == "CR-2026-0002"
    assert len(calls) == 2
