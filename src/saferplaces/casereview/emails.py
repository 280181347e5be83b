"""The letters to the applicant, in plain words. Sent by e-mail as plain text."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from saferplaces.casereview.models import CaseReview, CaseReviewSettings


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _days(settings_: CaseReviewSettings, n: int) -> str:
    unit = "working days" if settings_.day_kind == "working" else "days"
    return f"{n} {unit}"


def _appeal_link(case_review: CaseReview) -> str:
    return settings.SAFERPLACES_BASE_URL + reverse(
        "casereview_public:appeal", kwargs={"token": case_review.appeal_token}
    )


def _send(case_review: CaseReview, subject: str, body: str) -> None:
    if not case_review.email:
        return
    greeting = f"Dear {case_review.applicant_name or 'applicant'},\n\n"
    sign_off = f"\n\n{case_review.partnership.name}\nYour reference: {case_review.reference}\n"
    send_mail(
        f"{subject} ({case_review.reference})",
        greeting + body + sign_off,
        settings.DEFAULT_FROM_EMAIL,
        [case_review.email],
    )


def _count_note(case_review: CaseReview) -> str:
    n = case_review.reports_counted
    on_site = len(case_review.platform_reports)
    text = f"We counted {n} report{'' if n == 1 else 's'} since {_day(case_review.window_start)}"
    text += f", {on_site} of them made on this website." if on_site else "."
    if not case_review.meets_threshold_on_count:
        text += (
            " That is fewer than our threshold, but we will still look at your request and "
            "explain our decision."
        )
    return text + "\n\n"


def send_acknowledgement(case_review: CaseReview, settings_: CaseReviewSettings) -> None:
    _send(
        case_review,
        "We have received your request for an ASB case review",
        f"Thank you. We received your request for an anti-social behaviour case review on "
        f"{_day(case_review.received_on)}.\n\n"
        f"We will tell you by {_day(case_review.decision_due)} whether it meets our threshold "
        f"({case_review.reports_needed} reports about the same problem in "
        f"{case_review.window_months} months). If it does, the agencies involved will meet to "
        f"review what has been done and tell you what they will do next.\n\n"
        f"{_count_note(case_review)}"
        f"If you are in danger, call 999. To report a crime that is not an emergency, call 101.",
    )


def send_threshold_met(case_review: CaseReview, settings_: CaseReviewSettings) -> None:
    lead = case_review.lead_organisation.name if case_review.lead_organisation else "we"
    _send(
        case_review,
        "Your ASB case review will go ahead",
        f"Your request meets our threshold, so we will hold a case review. "
        f"{lead} will lead it. The agencies involved will look at what has been done about the "
        f"problem and agree what should happen next. We will write to you with the outcome by "
        f"{_day(case_review.review_due)}.",
    )


def send_threshold_not_met(case_review: CaseReview, settings_: CaseReviewSettings) -> None:
    _send(
        case_review,
        "Your request for an ASB case review",
        f"We have looked at your request. Our threshold for a case review is "
        f"{case_review.reports_needed} reports about the same problem in the "
        f"{case_review.window_months} months before the request. We decided your request does "
        f"not meet it, for this reason:\n\n{case_review.threshold_reason}\n\n"
        f"{settings_.signposting}\n\n"
        f"If you think we got this wrong, you can appeal by {_day(case_review.appeal_due)} "
        f"({_days(settings_, settings_.appeal_days)}) using this link:\n"
        f"{_appeal_link(case_review)}",
    )


def send_outcome(case_review: CaseReview, settings_: CaseReviewSettings) -> None:
    actions = "\n".join(
        f"- {r.text} ({r.owner_organisation.name}, by {_day(r.due_date)})"
        for r in case_review.recommendations.select_related("owner_organisation")
    )
    plan = f"\n\nWhat will happen next:\n{actions}" if actions else ""
    _send(
        case_review,
        "The outcome of your ASB case review",
        f"The agencies met on {_day(case_review.review_held_on)} to review your case.\n\n"
        f"{case_review.outcome_text}{plan}\n\n"
        f"If you are not happy with how the review was carried out or with its outcome, you "
        f"can appeal by {_day(case_review.appeal_due)} "
        f"({_days(settings_, settings_.appeal_days)}) using this link:\n"
        f"{_appeal_link(case_review)}",
    )


def send_appeal_received(case_review: CaseReview) -> None:
    _send(
        case_review,
        "We have received your appeal",
        "Thank you. Someone who was not involved in the decision will look at your appeal "
        "and write to you.",
    )


def send_appeal_decision(case_review: CaseReview) -> None:
    if case_review.appeal_decision == "upheld":
        first = "We agree with your appeal. The agencies will look at your case again and "
        first += f"write to you by {_day(case_review.review_due)}."
    else:
        first = "We have looked at your appeal and decided the outcome stands."
    _send(
        case_review,
        "The decision on your appeal",
        f"{first}\n\nThe reason:\n{case_review.appeal_decision_reason}",
    )
