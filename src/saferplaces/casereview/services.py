"""Every write of the case review: permission check, validation, one transaction, audit."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from saferplaces.audit.services import audit_record
from saferplaces.casereview import emails
from saferplaces.casereview.models import (
    AppealDecision,
    ApplicantKind,
    CaseReview,
    CaseReviewSettings,
    DeclaredReport,
    Recommendation,
    Status,
)
from saferplaces.casereview.permissions import (
    NOT_ALLOWED_APPEAL,
    NOT_ALLOWED_DECIDE,
    NOT_ALLOWED_REVIEW,
    NOT_ALLOWED_SETTINGS,
    SAME_PERSON_APPEAL,
    can_change_settings,
    can_decide_appeal,
    can_decide_threshold,
    can_record_review,
    is_same_decider,
)
from saferplaces.casereview.selectors import settings_get
from saferplaces.casereview.threshold import (
    PLATFORM,
    CountedReport,
    add_days,
    normalise_reference,
    threshold_check,
    window_start,
)
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.public_forms import plain_text, stored_once
from saferplaces.core.resident_voice import resident_reports_find

NO_REPORTS = (
    "Tell us about at least one report you have made about this problem, on this website or "
    "to another organisation. A case review looks at how reports were dealt with."
)
ALREADY_DECIDED = "The threshold has already been decided for this case review."
NOT_REVIEW_DUE = "A review can be recorded only once the threshold is met."
NOT_REVIEWED = "Record the review first."
OUTCOME_ALREADY_SENT = "The outcome has already been sent to the applicant."
NO_APPEAL_YET = "An appeal can be made only after we have written to you with a decision."
APPEAL_ALREADY = "We have already received an appeal about this case review."
APPEAL_TOO_LATE = "The time to appeal ended on {day}. Call the partnership if you need help."
NOT_APPEALED = "There is no appeal waiting for a decision on this case review."
REASON_NEEDED = "Give the reason for the decision: the applicant will read it."


@dataclass(frozen=True)
class DeclaredReportInput:
    agency: str
    reported_on: date
    reference: str = ""


@dataclass(frozen=True)
class CaseReviewRequest:
    """What the resident told us, step by step (kept in their session until they send it)."""

    applicant_kind: str
    problem: str
    place: str
    applicant_name: str
    email: str
    victim_name: str = ""
    postcode: str = ""
    phone: str = ""
    site_email: str = ""  # the address used on this site's reports, to find them
    site_references: tuple[str, ...] = ()
    declared: tuple[DeclaredReportInput, ...] = field(default_factory=tuple)


def platform_reports_for(
    *, partnership: Any, email: str, references: Collection[str], on: date, months: int
) -> list[Any]:
    """The applicant's reports on this site in the window (found by e-mail or reference)."""
    if not email and not references:
        return []
    return resident_reports_find(
        partnership=partnership,
        email=email,
        references=[normalise_reference(r) for r in references if r.strip()],
        since=window_start(on, months),
    )


def _next_reference(year: int) -> str:
    prefix = f"CR-{year}-"
    last = (
        CaseReview.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def case_review_submit(
    *, partnership: Any, request: CaseReviewRequest, key: uuid.UUID, today: date | None = None
) -> tuple[CaseReview, bool]:
    """Store a resident's request exactly once under ``key``; refused with no reports at all.

    A request below the threshold is still stored: the partnership decides, and the letter
    explains the threshold. Returns ``(case_review, created)``; the acknowledgement is e-mailed
    only when created.
    """
    today = today or timezone.localdate()
    settings_ = settings_get(partnership=partnership)
    platform = platform_reports_for(
        partnership=partnership,
        email=request.site_email,
        references=request.site_references,
        on=today,
        months=settings_.window_months,
    )
    if not platform and not request.declared:
        raise ApplicationError(NO_REPORTS, extra={"field": "declared"})
    if request.applicant_kind not in ApplicantKind.values:
        raise ApplicationError("Say who is asking for the case review.")
    if not request.email:
        raise ApplicationError("Give an e-mail address so that we can answer you.")

    counted = [
        CountedReport(PLATFORM, report.reported_on, report.reference) for report in platform
    ] + [CountedReport(d.agency, d.reported_on, d.reference) for d in request.declared]
    result = threshold_check(
        reports=counted, on=today, months=settings_.window_months, needed=settings_.reports_needed
    )
    counted_ids = {id(report) for report in result.counted}

    def create() -> CaseReview:
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    return _create(partnership, request, key, today, settings_, result, platform,
                                   counted, counted_ids)  # fmt: skip
            except IntegrityError:
                # Another request took the same reference number at the same moment: the key
                # is checked by stored_once, so take the next number and try again.
                if CaseReview.objects.filter(submission_key=key).exists():
                    raise
        raise ApplicationError("Sorry, we could not save your request. Try again.")

    case_review, created = stored_once(CaseReview, key, create)
    if created:
        emails.send_acknowledgement(case_review, settings_)
    return case_review, created


def _create(
    partnership: Any,
    request: CaseReviewRequest,
    key: uuid.UUID,
    today: date,
    settings_: CaseReviewSettings,
    result: Any,
    platform: list[Any],
    counted: list[CountedReport],
    counted_ids: set[int],
) -> CaseReview:
    case_review = CaseReview(
        partnership=partnership,
        reference=_next_reference(today.year),
        submission_key=key,
        received_on=today,
        applicant_kind=request.applicant_kind,
        victim_name=plain_text(request.victim_name)[:200],
        applicant_name=plain_text(request.applicant_name)[:200],
        email=request.email.strip(),
        phone=plain_text(request.phone)[:40],
        problem=plain_text(request.problem),
        place=plain_text(request.place),
        postcode=plain_text(request.postcode).upper()[:10],
        platform_reports=[
            {
                "reference": r.reference,
                "reported_on": r.reported_on.isoformat(),
                "category": r.category,
                "place": r.place,
                "status": r.status,
            }
            for r in platform
        ],
        reports_counted=result.count,
        reports_needed=settings_.reports_needed,
        window_months=settings_.window_months,
        window_start=result.window_start,
        meets_threshold_on_count=result.met,
        decision_due=add_days(today, settings_.decision_days, settings_.day_kind),
    )
    # The reference is left to the database constraint, so a race for a number raises the
    # IntegrityError the caller retries on.
    case_review.full_clean(exclude=["submission_key", "appeal_token", "reference"])
    case_review.save()
    declared_counted = counted[len(platform) :]
    DeclaredReport.objects.bulk_create(
        DeclaredReport(
            case_review=case_review,
            agency=plain_text(given.agency)[:200],
            reported_on=given.reported_on,
            reference=plain_text(given.reference)[:60],
            counted=id(report) in counted_ids,
        )
        for given, report in zip(request.declared, declared_counted, strict=True)
    )
    audit_record(
        actor=None,
        verb="casereview.requested",
        target=case_review,
        partnership=partnership,
        summary={"reports_counted": result.count, "meets_threshold": result.met},
    )
    return case_review


def case_review_personal_data_viewed(
    *, case_review: CaseReview, by: Any, request: HttpRequest | None = None
) -> None:
    audit_record(
        actor=by,
        verb="casereview.personal_data_viewed",
        target=case_review,
        partnership=case_review.partnership,
        request=request,
    )


def case_review_decide_threshold(
    *,
    case_review: CaseReview,
    by: Any,
    roles: Collection[str],
    met: bool,
    reason: str,
    lead_organisation: Any = None,
    today: date | None = None,
) -> CaseReview:
    today = today or timezone.localdate()
    if not can_decide_threshold(by, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_DECIDE)
    settings_ = settings_get(partnership=case_review.partnership)
    with transaction.atomic():
        case_review = CaseReview.objects.select_for_update().get(pk=case_review.pk)
        if case_review.status != Status.RECEIVED:
            raise ApplicationError(ALREADY_DECIDED)
        if not reason.strip():
            raise ApplicationError(REASON_NEEDED, extra={"field": "reason"})
        if met and lead_organisation is None:
            raise ApplicationError(
                "Choose the organisation that will lead the review.",
                extra={"field": "lead_organisation"},
            )
        if lead_organisation is not None and (
            lead_organisation.partnership_id != case_review.partnership_id
        ):
            raise ApplicationError(
                "Choose an organisation of this partnership.", extra={"field": "lead_organisation"}
            )
        case_review.threshold_met = met
        case_review.threshold_reason = reason.strip()
        case_review.threshold_decided_by = by
        case_review.threshold_decided_on = today
        case_review.lead_organisation = lead_organisation
        if met:
            case_review.status = Status.REVIEW_DUE
            case_review.review_due = add_days(today, settings_.review_days, settings_.day_kind)
        else:
            case_review.status = Status.THRESHOLD_NOT_MET
            case_review.outcome_sent_on = today
            case_review.appeal_due = add_days(today, settings_.appeal_days, settings_.day_kind)
            case_review.closed_on = today
        case_review.save()
        audit_record(
            actor=by,
            verb="casereview.threshold_decided",
            target=case_review,
            partnership=case_review.partnership,
            summary={"threshold_met": met},
        )
    if met:
        emails.send_threshold_met(case_review, settings_)
    else:
        emails.send_threshold_not_met(case_review, settings_)
    return case_review


def _lead_check(case_review: CaseReview, by: Any, roles: Collection[str], lead_ids: Any) -> None:
    if not can_record_review(
        by, roles=roles, lead_organisation_ids=lead_ids, case_review=case_review
    ):
        raise PermissionDenied(NOT_ALLOWED_REVIEW)


@transaction.atomic
def case_review_record_review(
    *,
    case_review: CaseReview,
    by: Any,
    roles: Collection[str],
    lead_organisation_ids: Iterable[Any],
    held_on: date,
    agencies: Iterable[Any],
    other_agencies: str,
    findings: str,
    decision: str,
    today: date | None = None,
) -> CaseReview:
    today = today or timezone.localdate()
    case_review = CaseReview.objects.select_for_update().get(pk=case_review.pk)
    _lead_check(case_review, by, roles, lead_organisation_ids)
    if case_review.status not in (Status.REVIEW_DUE, Status.REVIEWED):
        raise ApplicationError(NOT_REVIEW_DUE)
    if held_on > today:
        raise ApplicationError(
            "The date of the review must be today or in the past.", extra={"field": "held_on"}
        )
    agencies = list(agencies)
    if not agencies:
        raise ApplicationError(
            "Tick the agencies that took part in the review.", extra={"field": "agencies"}
        )
    if any(a.partnership_id != case_review.partnership_id for a in agencies):
        raise ApplicationError("Choose organisations of this partnership.")
    if not findings.strip() or not decision.strip():
        raise ApplicationError("Write the findings and the decision of the review.")
    case_review.review_held_on = held_on
    case_review.other_agencies_present = other_agencies.strip()[:300]
    case_review.findings = findings.strip()
    case_review.review_decision = decision.strip()
    case_review.reviewed_by = by
    case_review.status = Status.REVIEWED
    case_review.save()
    case_review.agencies_present.set(agencies)
    audit_record(
        actor=by,
        verb="casereview.review_recorded",
        target=case_review,
        partnership=case_review.partnership,
        summary={"held_on": held_on.isoformat(), "agencies": len(agencies)},
    )
    return case_review


@transaction.atomic
def recommendation_add(
    *,
    case_review: CaseReview,
    by: Any,
    roles: Collection[str],
    lead_organisation_ids: Iterable[Any],
    text: str,
    owner_organisation: Any,
    due_date: date,
) -> Recommendation:
    case_review = CaseReview.objects.select_for_update().get(pk=case_review.pk)
    _lead_check(case_review, by, roles, lead_organisation_ids)
    if case_review.status != Status.REVIEWED:
        raise ApplicationError(
            "Recommendations are added after the review is recorded and before the outcome is sent."
        )
    if owner_organisation.partnership_id != case_review.partnership_id:
        raise ApplicationError(
            "Choose an organisation of this partnership.", extra={"field": "owner_organisation"}
        )
    if not text.strip():
        raise ApplicationError("Write the recommendation.", extra={"field": "text"})
    recommendation = Recommendation(
        case_review=case_review,
        text=text.strip(),
        owner_organisation=owner_organisation,
        due_date=due_date,
    )
    recommendation.full_clean()
    recommendation.save()
    audit_record(
        actor=by,
        verb="casereview.recommendation_added",
        target=case_review,
        partnership=case_review.partnership,
        summary={"owner": owner_organisation.name, "due": due_date.isoformat()},
    )
    return recommendation


def case_review_send_outcome(
    *,
    case_review: CaseReview,
    by: Any,
    roles: Collection[str],
    lead_organisation_ids: Iterable[Any],
    outcome_text: str,
    today: date | None = None,
) -> CaseReview:
    today = today or timezone.localdate()
    settings_ = settings_get(partnership=case_review.partnership)
    with transaction.atomic():
        case_review = CaseReview.objects.select_for_update().get(pk=case_review.pk)
        _lead_check(case_review, by, roles, lead_organisation_ids)
        if case_review.status in (Status.OUTCOME_SENT, Status.APPEALED, Status.CLOSED):
            raise ApplicationError(OUTCOME_ALREADY_SENT)
        if case_review.status != Status.REVIEWED:
            raise ApplicationError(NOT_REVIEWED)
        if not outcome_text.strip():
            raise ApplicationError(
                "Write the outcome in plain words for the applicant.",
                extra={"field": "outcome_text"},
            )
        case_review.outcome_text = outcome_text.strip()
        case_review.outcome_sent_on = today
        case_review.outcome_sent_by = by
        case_review.appeal_due = add_days(today, settings_.appeal_days, settings_.day_kind)
        case_review.status = Status.OUTCOME_SENT
        case_review.closed_on = today
        case_review.save()
        audit_record(
            actor=by,
            verb="casereview.outcome_sent",
            target=case_review,
            partnership=case_review.partnership,
            summary={"recommendations": case_review.recommendations.count()},
        )
    emails.send_outcome(case_review, settings_)
    return case_review


def case_review_appeal(
    *, token: Any, reason: str, today: date | None = None
) -> tuple[CaseReview, bool]:
    """The applicant appeals through the link in the outcome letter. A repeat of the same
    appeal (a double click) changes nothing; returns ``(case_review, created)``."""
    today = today or timezone.localdate()
    reason = plain_text(reason)
    with transaction.atomic():
        case_review = CaseReview.objects.select_for_update().filter(appeal_token=token).first()
        if case_review is None or case_review.outcome_sent_on is None:
            raise ApplicationError(NO_APPEAL_YET)
        if case_review.appealed_on is not None:
            if case_review.appeal_reason == reason:
                return case_review, False
            raise ApplicationError(APPEAL_ALREADY)
        if case_review.appeal_due and today > case_review.appeal_due:
            day = f"{case_review.appeal_due.day} {case_review.appeal_due:%B %Y}"
            raise ApplicationError(APPEAL_TOO_LATE.format(day=day))
        if not reason:
            raise ApplicationError("Tell us why you are appealing.", extra={"field": "reason"})
        case_review.appeal_reason = reason
        case_review.appealed_on = today
        case_review.status = Status.APPEALED
        case_review.closed_on = None
        case_review.save()
        audit_record(
            actor=None,
            verb="casereview.appealed",
            target=case_review,
            partnership=case_review.partnership,
        )
    emails.send_appeal_received(case_review)
    return case_review, True


def case_review_decide_appeal(
    *,
    case_review: CaseReview,
    by: Any,
    roles: Collection[str],
    decision: str,
    reason: str,
    today: date | None = None,
) -> CaseReview:
    today = today or timezone.localdate()
    if not can_decide_appeal(by, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_APPEAL)
    settings_ = settings_get(partnership=case_review.partnership)
    with transaction.atomic():
        case_review = CaseReview.objects.select_for_update().get(pk=case_review.pk)
        if case_review.status != Status.APPEALED:
            raise ApplicationError(NOT_APPEALED)
        if is_same_decider(by, case_review):
            raise ApplicationError(SAME_PERSON_APPEAL)
        if decision not in AppealDecision.values:
            raise ApplicationError("Choose a decision.", extra={"field": "decision"})
        if not reason.strip():
            raise ApplicationError(REASON_NEEDED, extra={"field": "reason"})
        case_review.appeal_decision = decision
        case_review.appeal_decision_reason = reason.strip()
        case_review.appeal_decided_by = by
        case_review.appeal_decided_on = today
        if decision == AppealDecision.UPHELD:
            # The case goes back to the agencies for another review.
            case_review.status = Status.REVIEW_DUE
            case_review.review_due = add_days(today, settings_.review_days, settings_.day_kind)
        else:
            case_review.status = Status.CLOSED
            case_review.closed_on = today
        case_review.save()
        audit_record(
            actor=by,
            verb="casereview.appeal_decided",
            target=case_review,
            partnership=case_review.partnership,
            summary={"decision": decision},
        )
    emails.send_appeal_decision(case_review)
    return case_review


SETTING_FIELDS = (
    "reports_needed",
    "window_months",
    "day_kind",
    "decision_days",
    "review_days",
    "appeal_days",
    "retention_years",
    "signposting",
)


@transaction.atomic
def settings_update(
    *, partnership: Any, by: Any, roles: Collection[str], **values: Any
) -> CaseReviewSettings:
    if not can_change_settings(by, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_SETTINGS)
    settings_, _ = CaseReviewSettings.objects.get_or_create(partnership=partnership)
    changes = {}
    for name in SETTING_FIELDS:
        if name in values and getattr(settings_, name) != values[name]:
            changes[name] = {"from": getattr(settings_, name), "to": values[name]}
            setattr(settings_, name, values[name])
    if values.get("reports_needed", 1) > 3 or values.get("window_months", 6) < 6:
        raise ApplicationError(
            "The statutory guidance allows a threshold of at most 3 reports in at least the "
            "6 months before the request."
        )
    settings_.full_clean()
    settings_.save()
    audit_record(
        actor=by,
        verb="casereview.settings_changed",
        target=settings_,
        partnership=partnership,
        summary={"changes": list(changes)},
    )
    return settings_


# Personal data: retention and the resident's rights (registered in apps.py).
def _remove_personal_data(case_review: CaseReview, today: date) -> None:
    case_review.applicant_name = ""
    case_review.victim_name = ""
    case_review.email = ""
    case_review.phone = ""
    case_review.problem = ""
    case_review.place = ""
    case_review.postcode = ""
    case_review.appeal_reason = ""
    case_review.platform_reports = [
        {"reference": r.get("reference", ""), "reported_on": r.get("reported_on", "")}
        for r in case_review.platform_reports
    ]
    case_review.personal_data_removed_on = today
    case_review.save()
    # Agencies' reference numbers can lead back to the person; the agency and date stay.
    case_review.declared_reports.update(reference="")
    audit_record(
        actor=None,
        verb="casereview.personal_data_removed",
        target=case_review,
        partnership=case_review.partnership,
    )


@transaction.atomic
def retention_apply(now: datetime) -> int:
    """Remove applicants' details from case reviews closed longer ago than the partnership's
    retention period. The counts behind the published figures stay."""
    today = now.date()
    changed = 0
    candidates = CaseReview.objects.filter(
        closed_on__isnull=False, personal_data_removed_on__isnull=True
    ).select_related("partnership")
    for case_review in candidates:
        years = settings_get(partnership=case_review.partnership).retention_years
        try:
            limit = case_review.closed_on.replace(year=case_review.closed_on.year + years)
        except ValueError:  # 29 February
            limit = case_review.closed_on.replace(year=case_review.closed_on.year + years, day=28)
        if today >= limit:
            _remove_personal_data(case_review, today)
            changed += 1
    return changed


def subject_export(email: str) -> list[dict[str, Any]]:
    return [
        {
            "reference": c.reference,
            "received_on": c.received_on.isoformat(),
            "status": c.get_status_display(),
            "who_is_asking": c.get_applicant_kind_display(),
            "victim_name": c.victim_name,
            "name": c.applicant_name,
            "email": c.email,
            "phone": c.phone,
            "problem": c.problem,
            "place": c.place,
            "postcode": c.postcode,
            "reports_to_other_agencies": [
                {"agency": d.agency, "date": d.reported_on.isoformat(), "reference": d.reference}
                for d in c.declared_reports.all()
            ],
            "outcome": c.outcome_text,
            "appeal": c.appeal_reason,
        }
        for c in CaseReview.objects.filter(email__iexact=email.strip()).prefetch_related(
            "declared_reports"
        )
    ]


@transaction.atomic
def subject_erase(email: str) -> int:
    today = timezone.localdate()
    found = list(CaseReview.objects.filter(email__iexact=email.strip()))
    for case_review in found:
        _remove_personal_data(case_review, today)
    return len(found)
