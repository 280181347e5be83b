"""What the surveys app adds to the shared registries (called from ``AppConfig.ready()``)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse

from saferplaces.core.home_panels import (
    PublicService,
    ResidentWorkSection,
    public_service_register,
    resident_work_register,
)
from saferplaces.core.privacy import (
    PrivacyPurpose,
    RetentionRule,
    SubjectData,
    privacy_purpose_register,
    retention_rule_register,
    subject_data_register,
)
from saferplaces.core.resident_voice import YouSaidItem, you_said_register


def retention_months() -> int:
    return int(getattr(settings, "SAFERPLACES_SURVEY_RETENTION_MONTHS", 12))


def _resident_work(
    user: Any, partnership: Any, roles: Collection[str]
) -> list[ResidentWorkSection]:
    from saferplaces.surveys.permissions import can_view_surveys
    from saferplaces.surveys.selectors import survey_list_visible, surveys_open_public

    if partnership is None or not can_view_surveys(user, roles=roles):
        return []
    total = survey_list_visible(user=user, partnership=partnership, roles=roles).count()
    open_now = surveys_open_public(partnership=partnership).count()
    return [
        ResidentWorkSection(
            title="Surveys and consultations",
            href=reverse("surveys:list"),
            description="Build perception surveys and consultations, read the results, compare "
            "a follow-up with its baseline and publish results with small numbers suppressed.",
            status=f"{total} survey{'s' if total != 1 else ''}, {open_now} open to the public now",
            order=30,
        )
    ]


def _you_said(partnership: Any, lsoa_codes: Collection[str], since: date) -> list[YouSaidItem]:
    """Published perception results for the neighbourhood whose LSOAs these are (suppressed)."""
    from crimestats.methods.disclosure import DEFAULT_THRESHOLD
    from saferplaces.neighbourhoods.models import Neighbourhood
    from saferplaces.surveys.models import UNSAFE_CODES, QuestionKind, Response
    from saferplaces.surveys.selectors import MIN_BASE, surveys_published

    codes = set(lsoa_codes)
    areas = [
        str(n.pk)
        for n in Neighbourhood.objects.filter(partnership=partnership)
        if codes and set(n.lsoa_codes or []) == codes
    ]
    items = []
    for survey in surveys_published(partnership=partnership).filter(closes_at__date__gte=since):
        question = survey.questions.filter(kind=QuestionKind.SAFE_AFTER_DARK, publish=True).first()
        if question is None or not areas:
            continue
        answers = [
            a.get(question.field_name)
            for a in Response.objects.filter(survey=survey, area_code__in=areas).values_list(
                "answers", flat=True
            )
        ]
        given = [a for a in answers if a]
        if len(given) < max(MIN_BASE, DEFAULT_THRESHOLD):
            said = (
                f"{survey.title}: too few people in this neighbourhood answered to publish "
                "a figure."
            )
        else:
            share = round(100 * sum(a in UNSAFE_CODES for a in given) / len(given))
            said = (
                f"{survey.title}: {share}% of the {len(given)} people answering from this "
                "neighbourhood felt unsafe walking alone after dark."
            )
        if survey.generated:
            said += " (Answers generated for the demonstration.)"
        items.append(
            YouSaidItem(
                source="Perception survey",
                you_said=said,
                we_did="",
                when=survey.closes_at.date(),
                order=30,
            )
        )
    return items


def _retention(now: datetime) -> int:
    """Delete raw answers and equality answers N months after the results were published."""
    from saferplaces.surveys.models import EqualityAnswers, Invitation, Response

    cutoff = now - timedelta(days=30 * retention_months())
    equality = EqualityAnswers.objects.filter(
        response__survey__results_published_at__lt=cutoff
    ).delete()[0]
    invitations = Invitation.objects.filter(survey__closes_at__lt=cutoff).delete()[0]
    responses = Response.objects.filter(survey__results_published_at__lt=cutoff).delete()[0]
    return int(equality + invitations + responses)


def _export(email: str) -> list[dict[str, Any]]:
    from saferplaces.surveys.models import Invitation

    return [
        {
            "survey": inv.survey.title,
            "email": inv.email,
            "sent": inv.sent_at.isoformat() if inv.sent_at else None,
            "used": inv.used_at is not None,
        }
        for inv in Invitation.objects.filter(email__iexact=email).select_related("survey")
    ]


def _erase(email: str) -> int:
    from saferplaces.surveys.models import Invitation

    return int(Invitation.objects.filter(email__iexact=email).delete()[0])


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _public_concern(partnership: Any, since: date) -> list[Any]:
    """Suggested public concern from the latest published survey's ranking of the plan's
    priorities: by mean rank, the top-ranked priority scores 5 down to 1 for the last."""
    from saferplaces.core.resident_voice import PublicConcernSuggestion
    from saferplaces.plans.models import Priority
    from saferplaces.surveys.models import Question, QuestionKind

    question = (
        Question.objects.filter(
            kind=QuestionKind.RANKING,
            survey__partnership=partnership,
            survey__results_published_at__isnull=False,
            survey__closes_at__date__gte=since,
        )
        .select_related("survey")
        .order_by("-survey__closes_at", "position")
        .first()
    )
    if question is None:
        return []
    categories = dict(
        Priority.objects.filter(plan__partnership=partnership)
        .exclude(assessment_category="")
        .values_list("title", "assessment_category")
    )
    sums: dict[str, int] = {}
    n = 0
    for answers in question.survey.responses.values_list("answers", flat=True):
        ranks = answers.get(question.field_name)
        if not isinstance(ranks, dict) or not ranks:
            continue
        n += 1
        for code, rank in ranks.items():
            sums[str(code)] = sums.get(str(code), 0) + int(rank)
    if not n or len(question.options) < 2:
        return []
    labels = {str(code): str(label) for code, label in question.options}
    ranked = sorted(labels, key=lambda code: sums.get(code, 0) / n if code in sums else 99)
    k = len(ranked)
    out = []
    for place, code in enumerate(ranked):
        category = categories.get(labels[code])
        if not category or code not in sums:
            continue
        out.append(
            PublicConcernSuggestion(
                category=category,
                score=5 - round(4 * place / (k - 1)),
                because=f"ranked {_ordinal(place + 1)} of {k} by {n} people in "
                f"'{question.survey.title}'",
            )
        )
    return out


def register() -> None:
    from saferplaces.core.resident_voice import public_concern_register

    public_concern_register("surveys", _public_concern)
    public_service_register(
        "surveys",
        PublicService(
            title="Have your say: surveys and consultations",
            url_name="surveys_public:list",
            description="Tell us how safe you feel and what the partnership should focus on, "
            "and read the results of past surveys.",
            order=30,
        ),
    )
    resident_work_register("surveys", _resident_work)
    you_said_register("surveys", _you_said)
    privacy_purpose_register(
        PrivacyPurpose(
            key="surveys",
            title="Surveys and consultations",
            what="Your answers, the area you live in, and (only if you choose to answer them) "
            "equality monitoring answers. Answers are anonymous: we do not ask for your name or "
            "contact details. If we invited you by e-mail, we keep your e-mail address with the "
            "invitation, never with your answers.",
            why="To understand how safe people feel and what they want the community safety "
            "partnership to do (UK GDPR Article 6(1)(e), a task in the public interest under the "
            "Crime and Disorder Act 1998). Equality answers are special category data, used only "
            "to check that we hear from all groups (Article 9(2)(g) with DPA 2018 Schedule 1 "
            "paragraph 8, equality of opportunity).",
            who="Partnership staff see the answers. Published results show only totals, with "
            "numbers under 5 hidden; free-text answers are never published.",
            retention=f"Answers and equality answers are deleted {retention_months()} months "
            "after the results are published; invitation e-mail addresses when the survey closes "
            f"plus {retention_months()} months.",
            order=30,
        )
    )
    retention_rule_register(
        RetentionRule(
            key="surveys",
            description=f"Survey answers and equality answers: deleted {retention_months()} "
            "months after the results are published; invitations likewise after closing.",
            apply=_retention,
        )
    )
    subject_data_register(
        SubjectData(
            key="surveys",
            title="Survey invitations (answers are anonymous and cannot be found by e-mail)",
            export=_export,
            erase=_erase,
        )
    )
