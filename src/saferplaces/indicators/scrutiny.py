"""The yearly review for the council's scrutiny committee (Police and Justice Act 2006 s.19).

Writes (atomic, audited) and the document itself: the partnership's words on its
responsibilities, successes, the year ahead and its recommendations, with the action plan's
progress and the indicators' RAG filled in from the plan, and the committee's recommendations
with the partnership's responses.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError
from saferplaces.indicators import boardpack, permissions, present, rag, selectors
from saferplaces.indicators.models import ScrutinyRecommendation, ScrutinyReview
from saferplaces_reports.pdf import html_to_pdf

NOT_ALLOWED = "Only the partnership's analysts and managers can write the annual review."
TEXT_FIELDS = ("committee", "responsibilities", "successes", "year_ahead", "recommendations")


def _check(by: Any, roles: Collection[str]) -> None:
    if not permissions.can_manage_indicators(by, roles=roles):
        raise PermissionDenied(NOT_ALLOWED)


@transaction.atomic
def scrutiny_create(
    *, partnership: Any, by: Any, roles: Collection[str], data: Mapping[str, Any]
) -> ScrutinyReview:
    _check(by, roles)
    year = int(data["year"])
    if ScrutinyReview.objects.filter(partnership=partnership, year=year).exists():
        raise ApplicationError(
            f"There is already an annual review for {year}; open it to change it.",
            extra={"field": "year"},
        )
    plan = data.get("plan")
    if plan is not None and plan.partnership_id != partnership.pk:
        raise ApplicationError("Choose a plan of this partnership.", extra={"field": "plan"})
    try:
        with transaction.atomic():
            review = ScrutinyReview.objects.create(
                partnership=partnership, plan=plan, year=year, created_by=by,
                **{f: data.get(f, "") for f in TEXT_FIELDS},
            )  # fmt: skip
    except IntegrityError:  # the same form sent twice at once
        raise ApplicationError(
            f"There is already an annual review for {year}.", extra={"field": "year"}
        ) from None
    audit_record(actor=by, verb="scrutiny.created", target=review, partnership=partnership,
                 summary={"year": year})  # fmt: skip
    return review


@transaction.atomic
def scrutiny_update(
    *, review: ScrutinyReview, by: Any, roles: Collection[str], data: Mapping[str, Any]
) -> ScrutinyReview:
    _check(by, roles)
    changed = [f for f in TEXT_FIELDS if getattr(review, f) != data.get(f, "")]
    for field in TEXT_FIELDS:
        setattr(review, field, data.get(field, ""))
    review.save()
    audit_record(actor=by, verb="scrutiny.changed", target=review,
                 partnership=review.partnership, summary={"fields": changed})  # fmt: skip
    return review


@transaction.atomic
def recommendation_add(
    *, review: ScrutinyReview, by: Any, roles: Collection[str], text: str
) -> ScrutinyRecommendation:
    _check(by, roles)
    if not text.strip():
        raise ApplicationError("Write the committee's recommendation.", extra={"field": "text"})
    row = ScrutinyRecommendation.objects.create(review=review, text=text.strip())
    audit_record(actor=by, verb="scrutiny.recommendation_added", target=review,
                 partnership=review.partnership, summary={"text": row.text[:200]})  # fmt: skip
    return row


@transaction.atomic
def recommendation_respond(
    *, recommendation: ScrutinyRecommendation, by: Any, roles: Collection[str], response: str
) -> ScrutinyRecommendation:
    _check(by, roles)
    if not response.strip():
        raise ApplicationError("Write the partnership's response.", extra={"field": "response"})
    recommendation.response = response.strip()
    recommendation.responded_at = timezone.now()
    recommendation.responded_by = by
    recommendation.save()
    audit_record(actor=by, verb="scrutiny.responded", target=recommendation.review,
                 partnership=recommendation.review.partnership,
                 summary={"recommendation": str(recommendation.pk)})  # fmt: skip
    return recommendation


def _progress(plan: Any) -> list[dict[str, Any]]:
    rows = []
    for priority in plan.priorities.order_by("order", "title"):
        for action in priority.actions.order_by("order").prefetch_related("milestones"):
            milestones = list(action.milestones.all())
            done = sum(1 for m in milestones if m.done_date)
            rows.append({
                "priority": priority.title, "action": action.key_activity,
                "status": action.get_status_display(),
                "milestones": f"{done} of {len(milestones)} done" if milestones else "–",
            })  # fmt: skip
    return rows


def scrutiny_context(review: ScrutinyReview) -> dict[str, Any]:
    partnership = review.partnership
    plan = review.plan or selectors.plan_current(partnership=partnership)
    indicators = []
    if plan is not None:
        for indicator in selectors.indicator_list(partnership=partnership, plan=plan):
            latest = present.latest_value(selectors.indicator_values(indicator=indicator))
            indicators.append({"indicator": indicator, "rag": present.rag_summary(indicator),
                               "value": present.value_text(indicator, latest),
                               "period": present.period_text(indicator, latest)})  # fmt: skip
    return {
        "review": review,
        "partnership": partnership,
        "summary": boardpack.plan_summary(plan),
        "progress": _progress(plan) if plan is not None else [],
        "indicators": indicators,
        "recommendations": list(review.committee_recommendations.all()),
        "rule": rag.RULE,
    }


def scrutiny_pdf(review: ScrutinyReview, *, by: Any) -> bytes:
    context = {**scrutiny_context(review), "can_manage": False}
    body = render_to_string("indicators/scrutiny_body.html", context)
    document = render_to_string("indicators/scrutiny_print.html", {"review": review, "body": body})
    css = Path(__file__).with_name("print.css").read_text(encoding="utf-8")
    pdf = html_to_pdf(document, extra_css=css)
    audit_record(actor=by, verb="scrutiny.downloaded", target=review,
                 partnership=review.partnership)  # fmt: skip
    return pdf
