"""Every write of the surveys app: build, invite, answer, publish, feed an indicator.

Each service checks the capability it needs, validates, writes in one transaction and records
an audit event (except a resident's anonymous answer, which is not an action of a person we
know; its count is the record).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.public_forms import stored_once
from saferplaces.surveys import permissions
from saferplaces.surveys.models import (
    LIKERT_OPTIONS,
    PERCEPTION_TEXT,
    RATING_OPTIONS,
    SAFETY_OPTIONS,
    Access,
    AreaQuestion,
    EqualityAnswers,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Survey,
)

CLOSED = "This survey is closed. Thank you for your interest: your answers have not been saved."
NOT_OPEN = "This survey is not open yet. Your answers have not been saved."


def _require_builder(by: Any, roles: Collection[str]) -> None:
    if not permissions.can_build_surveys(by, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_EDIT)


@transaction.atomic
def survey_create(
    *,
    by: Any,
    roles: Collection[str],
    partnership: Any,
    title: str,
    purpose: str,
    kind: str,
    access: str,
    opens_at: datetime,
    closes_at: datetime,
    area_question: str,
    equality_monitoring: bool,
    baseline: Survey | None = None,
    add_perception_items: bool = False,
    generated: bool = False,
    area_names: Sequence[str] = (),
) -> Survey:
    _require_builder(by, roles)
    if closes_at <= opens_at:
        raise ApplicationError(
            "The closing date must be after the opening date.", extra={"field": "closes_at"}
        )
    if baseline is not None and baseline.partnership_id != partnership.pk:
        raise ApplicationError(
            "The baseline must be one of this partnership's surveys.", extra={"field": "baseline"}
        )
    names = list(dict.fromkeys(n.strip()[:200] for n in area_names if n.strip()))
    if area_question == AreaQuestion.LISTED and len(names) < 2:
        raise ApplicationError(
            "List at least two areas, one on each line.", extra={"field": "area_names"}
        )
    survey = Survey(
        partnership=partnership,
        title=title.strip(),
        purpose=purpose.strip(),
        kind=kind,
        access=access,
        opens_at=opens_at,
        closes_at=closes_at,
        area_question=area_question,
        equality_monitoring=equality_monitoring,
        baseline=baseline,
        created_by=by,
        generated=generated,
        area_options=[[f"area_{n}", name] for n, name in enumerate(names, 1)]
        if area_question == AreaQuestion.LISTED
        else [],
    )
    survey.full_clean()
    survey.save()
    audit_record(
        actor=by,
        verb="survey.created",
        target=survey,
        partnership=partnership,
        summary={"title": survey.title, "kind": kind},
    )
    if add_perception_items:
        perception_items_add(survey=survey, by=by, roles=roles)
    return survey


def _editable(survey: Survey) -> None:
    if survey.responses.exists():
        raise ApplicationError(
            "People have already answered this survey, so its questions cannot change. "
            "Make a new survey (it can name this one as its baseline)."
        )


def _next_position(survey: Survey) -> int:
    return int(survey.questions.aggregate(top=Max("position"))["top"] or 0) + 1


def _options_from_text(text: str) -> list[list[str]]:
    options: list[list[str]] = []
    used: set[str] = set()
    for number, line in enumerate((ln.strip() for ln in text.splitlines() if ln.strip()), 1):
        code = f"option_{number}"
        if line.lower() in used:
            raise ApplicationError(
                f"The answer “{line}” is given twice.", extra={"field": "options"}
            )
        used.add(line.lower())
        options.append([code, line[:200]])
    return options


def priority_options(partnership: Any) -> list[list[str]]:
    """The current plan's priorities (the latest published plan, else the latest plan)."""
    from saferplaces.plans.models import Plan

    plans = Plan.objects.filter(partnership=partnership).order_by("-published_at", "-updated_at")
    plan = plans.filter(published_at__isnull=False).first() or plans.first()
    if plan is None:
        return []
    return [[f"priority_{n}", p.title] for n, p in enumerate(plan.priorities.order_by("order"), 1)]


@transaction.atomic
def question_add(
    *,
    survey: Survey,
    by: Any,
    roles: Collection[str],
    kind: str,
    text: str,
    hint: str = "",
    options_text: str = "",
    required: bool = True,
    publish: bool = True,
) -> Question:
    _require_builder(by, roles)
    _editable(survey)
    options: list[list[str]] = []
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        options = _options_from_text(options_text)
        if len(options) < 2:
            raise ApplicationError(
                "Give at least two answers, one on each line.", extra={"field": "options"}
            )
    elif kind == QuestionKind.LIKERT:
        options = LIKERT_OPTIONS
    elif kind == QuestionKind.RATING:
        options = RATING_OPTIONS
    elif kind in PERCEPTION_TEXT:
        options, text = SAFETY_OPTIONS, text or PERCEPTION_TEXT[QuestionKind(kind)]
    elif kind == QuestionKind.RANKING:
        options = _options_from_text(options_text) if options_text.strip() else []
        options = options or priority_options(survey.partnership)
        if len(options) < 2:
            raise ApplicationError(
                "The partnership's plan has fewer than two priorities to rank: type the "
                "priorities to rank, one on each line.",
                extra={"field": "options"},
            )
    if not text.strip():
        raise ApplicationError("Enter the question.", extra={"field": "text"})
    question = Question(
        survey=survey,
        position=_next_position(survey),
        kind=kind,
        text=text.strip(),
        hint=hint.strip(),
        options=options,
        required=required,
        publish=publish and kind != QuestionKind.FREE_TEXT,
    )
    question.full_clean()
    question.save()
    audit_record(
        actor=by,
        verb="survey.question_added",
        target=survey,
        partnership=survey.partnership,
        summary={"kind": kind},
    )
    return question


@transaction.atomic
def perception_items_add(*, survey: Survey, by: Any, roles: Collection[str]) -> list[Question]:
    """The two standard perception questions (after dark, during the day), if not there yet."""
    _require_builder(by, roles)
    present = set(survey.questions.values_list("kind", flat=True))
    return [
        question_add(survey=survey, by=by, roles=roles, kind=kind, text=PERCEPTION_TEXT[kind])
        for kind in (QuestionKind.SAFE_AFTER_DARK, QuestionKind.SAFE_DAY)
        if kind not in present
    ]


@transaction.atomic
def invitations_send(
    *, survey: Survey, by: Any, roles: Collection[str], emails: Sequence[str]
) -> int:
    """Send a single-use link to each new address; returns how many were sent."""
    _require_builder(by, roles)
    if survey.access != Access.INVITATION:
        raise ApplicationError("This survey is open to everyone: share its link instead.")
    if timezone.now() >= survey.closes_at:
        raise ApplicationError("This survey has closed.")
    sent = 0
    for email in dict.fromkeys(e.strip().lower() for e in emails if e.strip()):
        invitation, created = Invitation.objects.get_or_create(survey=survey, email=email)
        if not created:
            continue
        link = settings.SAFERPLACES_BASE_URL.rstrip("/") + reverse(
            "surveys_public:invitation", kwargs={"token": invitation.token}
        )
        send_mail(
            subject=f"Have your say: {survey.title}",
            message=(
                f"{survey.partnership.name} would like your views.\n\n{survey.purpose}\n\n"
                f"Answer the survey here (the link works once): {link}\n\n"
                f"The survey closes on {timezone.localtime(survey.closes_at):%d %B %Y}. "
                "Your answers are not linked to your e-mail address."
            ),
            from_email=None,
            recipient_list=[email],
        )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at", "updated_at"])
        sent += 1
    audit_record(
        actor=by,
        verb="survey.invitations_sent",
        target=survey,
        partnership=survey.partnership,
        summary={"sent": sent},
    )
    return sent


def _reference() -> str:
    return "S-" + uuid.uuid4().hex[:8].upper()


def response_submit(
    *,
    survey: Survey,
    key: uuid.UUID,
    answers: Mapping[str, Any],
    area_code: str = "",
    area_label: str = "",
    equality: Mapping[str, str] | None = None,
    invitation: Invitation | None = None,
    now: datetime | None = None,
) -> tuple[Response, bool]:
    """Store one set of answers exactly once under ``key``: ``(response, created)``.

    Refuses (ApplicationError, nothing stored) when the survey is closed or not open yet, or
    the invitation was already used.
    """
    moment = now or timezone.now()
    existing = Response.objects.filter(submission_key=key).first()
    if existing is not None:  # a double click after the survey closed still finds its answer
        return existing, False
    if moment < survey.opens_at:
        raise ApplicationError(NOT_OPEN)
    if moment >= survey.closes_at:
        raise ApplicationError(CLOSED)

    def create() -> Response:
        if invitation is not None:
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.used_at is not None:
                raise ApplicationError("This invitation link has already been used.")
            locked.used_at = moment
            locked.save(update_fields=["used_at", "updated_at"])
        response = Response.objects.create(
            survey=survey,
            submission_key=key,
            reference=_reference(),
            area_code=area_code,
            area_label=area_label[:200],
            answers=dict(answers),
        )
        if equality and any(equality.values()):
            EqualityAnswers.objects.create(response=response, **dict(equality))
        return response

    return stored_once(Response, key, create)


@transaction.atomic
def results_publish(
    *, survey: Survey, by: Any, roles: Collection[str], publish_positions: Collection[int]
) -> Survey:
    """Publish the results of a closed survey: the chosen questions, suppressed."""
    _require_builder(by, roles)
    if timezone.now() < survey.closes_at:
        raise ApplicationError("Results can be published only after the survey closes.")
    questions = list(survey.questions.all())
    for question in questions:
        question.publish = (
            question.position in publish_positions and question.kind != QuestionKind.FREE_TEXT
        )
        question.save(update_fields=["publish", "updated_at"])
    if not any(q.publish for q in questions):
        raise ApplicationError(
            "Choose at least one question to publish.", extra={"field": "questions"}
        )
    survey.results_published_at = survey.results_published_at or timezone.now()
    survey.save(update_fields=["results_published_at", "updated_at"])
    audit_record(
        actor=by,
        verb="survey.results_published",
        target=survey,
        partnership=survey.partnership,
        summary={"questions": sorted(publish_positions)},
    )
    return survey


@transaction.atomic
def results_unpublish(*, survey: Survey, by: Any, roles: Collection[str]) -> Survey:
    _require_builder(by, roles)
    survey.results_published_at = None
    survey.save(update_fields=["results_published_at", "updated_at"])
    audit_record(
        actor=by, verb="survey.results_withdrawn", target=survey, partnership=survey.partnership
    )
    return survey


def record_as_indicator_reading(
    *,
    survey: Survey,
    indicator: Any,
    by: Any,
    roles: Collection[str],
    organisation_ids: Collection[Any],
    question_kind: str = QuestionKind.SAFE_AFTER_DARK,
) -> Any:
    """Enter the share feeling unsafe (with its Wilson interval) as a manual indicator's value
    for the month the survey closed, through the indicators app's own service."""
    from crimestats.methods.proportions import wilson_interval
    from saferplaces.indicators.services import indicator_value_enter
    from saferplaces.surveys.selectors import unsafe_share

    _require_builder(by, roles)
    if indicator.plan.partnership_id != survey.partnership_id:
        raise ApplicationError("Choose an indicator of this partnership's plan.")
    share = unsafe_share(survey, question_kind)
    if share is None:
        raise ApplicationError("This survey has no answers to the perception question.")
    count, n = share
    low, high = wilson_interval(count, n)
    closed = timezone.localtime(survey.closes_at).date()
    value = indicator_value_enter(
        indicator=indicator,
        by=by,
        roles=roles,
        organisation_ids=organisation_ids,
        month=date(closed.year, closed.month, 1),
        value=round(100 * count / n, 1),
        low=round(100 * low, 1),
        high=round(100 * high, 1),
        note=f"{survey.title}: {count} of {n} people answering felt unsafe (a bit or very), "
        f"{PERCEPTION_TEXT[QuestionKind(question_kind)].lower()} Wilson 95% interval.",
    )
    audit_record(
        actor=by,
        verb="survey.indicator_recorded",
        target=survey,
        partnership=survey.partnership,
        summary={"indicator": str(indicator.pk)},
    )
    return value


@transaction.atomic
def survey_update(
    *,
    survey: Survey,
    by: Any,
    roles: Collection[str],
    title: str,
    purpose: str,
    opens_at: datetime,
    closes_at: datetime,
) -> Survey:
    """Change the wording and the dates (for example, keep a survey open longer)."""
    _require_builder(by, roles)
    if closes_at <= opens_at:
        raise ApplicationError(
            "The closing date must be after the opening date.", extra={"field": "closes_on"}
        )
    if survey.results_published_at is not None and closes_at > timezone.now():
        raise ApplicationError(
            "The results are published: withdraw them before opening the survey again.",
            extra={"field": "closes_on"},
        )
    before = {
        "title": survey.title,
        "opens_at": survey.opens_at.isoformat(),
        "closes_at": survey.closes_at.isoformat(),
    }
    survey.title, survey.purpose = title.strip(), purpose.strip()
    survey.opens_at, survey.closes_at = opens_at, closes_at
    survey.full_clean()
    survey.save()
    audit_record(
        actor=by,
        verb="survey.changed",
        target=survey,
        partnership=survey.partnership,
        summary={
            "before": before,
            "title": survey.title,
            "opens_at": opens_at.isoformat(),
            "closes_at": closes_at.isoformat(),
        },
    )
    return survey


@transaction.atomic
def question_delete(*, question: Question, by: Any, roles: Collection[str]) -> None:
    """Remove a question before anyone has answered; the later ones move up."""
    _require_builder(by, roles)
    survey = question.survey
    _editable(survey)
    position = question.position
    question.delete()
    for later in survey.questions.filter(position__gt=position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position", "updated_at"])
    audit_record(
        actor=by,
        verb="survey.question_removed",
        target=survey,
        partnership=survey.partnership,
        summary={"position": position},
    )
