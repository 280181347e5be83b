"""Reads for the case review: visibility, the due-date clock, the published yearly figures."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from saferplaces.accounts.models import Membership, Organisation
from saferplaces.casereview.models import CaseReview, CaseReviewSettings, Status
from saferplaces.casereview.permissions import (
    LEAD_ROLES,
    NOT_ALLOWED_VIEW,
    can_view_case_reviews,
)
from saferplaces.casereview.threshold import (
    add_days,
    days_left,
    financial_year,
    financial_year_label,
)


def settings_get(*, partnership: Any) -> CaseReviewSettings:
    """The partnership's settings, or the defaults (unsaved) when a manager has set none."""
    found = CaseReviewSettings.objects.filter(partnership=partnership).first()
    return found or CaseReviewSettings(partnership=partnership)


def lead_organisation_ids(*, user: Any, partnership: Any) -> set[str]:
    """Organisations of ``partnership`` where the user may take part in leading a review."""
    if not user.is_authenticated:
        return set()
    return {
        str(pk)
        for pk in Membership.objects.filter(
            user=user, organisation__partnership=partnership, role__in=LEAD_ROLES
        ).values_list("organisation_id", flat=True)
    }


def case_review_list_visible(
    *, user: Any, partnership: Any, roles: Collection[str]
) -> QuerySet[CaseReview]:
    if not can_view_case_reviews(user, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_VIEW)
    return (
        CaseReview.objects.filter(partnership=partnership)
        .select_related("lead_organisation")
        .prefetch_related("recommendations")
    )


def case_review_get_visible(
    *, user: Any, partnership: Any, roles: Collection[str], case_review_id: Any
) -> CaseReview:
    found = case_review_list_visible(user=user, partnership=partnership, roles=roles).filter(
        pk=case_review_id
    )
    case_review = found.first()
    if case_review is None:
        raise Http404("No such case review in this partnership.")
    return case_review


def organisations_of(*, partnership: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(partnership=partnership).order_by("name")


@dataclass(frozen=True)
class Clock:
    """What the partnership owes the applicant next, and by when."""

    what: str  # "Decision on the threshold", "Review", "Appeal decision", or ""
    due: date | None
    days_left: int | None
    day_kind: str

    @property
    def is_overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def words(self) -> str:
        if self.due is None or self.days_left is None:
            return ""
        unit = "working day" if self.day_kind == "working" else "day"
        n = abs(self.days_left)
        plural = "" if n == 1 else "s"
        if self.days_left < 0:
            return f"Overdue by {n} {unit}{plural}"
        if self.days_left == 0:
            return "Due today"
        return f"{n} {unit}{plural} left"


def clock_for(case_review: CaseReview, *, settings: CaseReviewSettings, today: date) -> Clock:
    kind = settings.day_kind
    if case_review.status == Status.RECEIVED:
        what, due = "Decision on the threshold", case_review.decision_due
    elif case_review.status in (Status.REVIEW_DUE, Status.REVIEWED):
        what, due = "Review and outcome", case_review.review_due
    elif case_review.status == Status.APPEALED:
        # The guidance sets no limit for the appeal; we use the same period as the review.
        what = "Appeal decision"
        due = add_days(case_review.appealed_on, settings.review_days, kind)
    else:
        return Clock("", None, None, kind)
    if due is None:
        return Clock(what, None, None, kind)
    return Clock(what, due, days_left(due, today, kind), kind)


@dataclass(frozen=True)
class YearFigures:
    year: int
    label: str
    applications: int
    threshold_not_met: int
    reviews: int
    reviews_with_recommendations: int


FIGURE_NAMES = {
    "applications": "Applications",
    "threshold_not_met": "Threshold not met",
    "reviews": "Reviews carried out",
    "reviews_with_recommendations": "Reviews that led to recommendations",
}
FIGURE_NOTES = {
    "applications": "Requests for a case review we received in the year (by the date we "
    "received them), whether or not they met the threshold.",
    "threshold_not_met": "Requests we decided did not meet the threshold, counted in the year "
    "of the decision.",
    "reviews": "Case reviews carried out: a multi-agency review was held, counted in the year "
    "it was held.",
    "reviews_with_recommendations": "Case reviews held in the year that led to at least one "
    "recommendation to an agency.",
}


def figures_by_year(*, partnership: Any) -> list[YearFigures]:
    """The counts s.104(11) asks a partnership to publish, per financial year, newest first.

    Every request counts, demonstration records included only when the partnership itself is
    the demonstration (the figures page says so).
    """
    rows: dict[int, dict[str, int]] = {}

    def bump(day: date | None, key: str) -> None:
        if day is None:
            return
        year = financial_year(day)
        row = rows.setdefault(
            year,
            {k: 0 for k in ("applications", "threshold_not_met", "reviews", "with_recs")},
        )
        row[key] += 1

    reviews = CaseReview.objects.filter(partnership=partnership).prefetch_related("recommendations")
    for review in reviews:
        bump(review.received_on, "applications")
        if review.threshold_met is False:
            bump(review.threshold_decided_on, "threshold_not_met")
        if review.review_held_on is not None:
            bump(review.review_held_on, "reviews")
            if review.recommendations.all():
                bump(review.review_held_on, "with_recs")
    return [
        YearFigures(
            year,
            financial_year_label(year),
            row["applications"],
            row["threshold_not_met"],
            row["reviews"],
            row["with_recs"],
        )
        for year, row in sorted(rows.items(), reverse=True)
    ]


def has_demonstration_records(*, partnership: Any) -> bool:
    return CaseReview.objects.filter(partnership=partnership, is_demonstration=True).exists()


def work_status(*, partnership: Any, today: date) -> str:
    """For the staff Residents page: "2 case reviews waiting for a decision, 1 overdue"."""
    settings = settings_get(partnership=partnership)
    open_reviews = CaseReview.objects.filter(
        partnership=partnership,
        status__in=[Status.RECEIVED, Status.REVIEW_DUE, Status.REVIEWED, Status.APPEALED],
    )
    waiting = 0
    in_review = 0
    overdue = 0
    for review in open_reviews:
        if review.status == Status.RECEIVED:
            waiting += 1
        else:
            in_review += 1
        if clock_for(review, settings=settings, today=today).is_overdue:
            overdue += 1
    if not waiting and not in_review:
        return "No case reviews waiting"
    parts = []
    if waiting:
        parts.append(f"{waiting} case review{'s' if waiting != 1 else ''} waiting for a decision")
    if in_review:
        parts.append(f"{in_review} in review or appeal")
    if overdue:
        parts.append(f"{overdue} overdue")
    return ", ".join(parts)
