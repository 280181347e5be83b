"""Survey pages: the builder and results for staff; answering and published results for residents.

Thin: find the object through a selector (404 when not visible), ask the permission predicate
(403 when visible but not allowed, audited), call one service.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.selectors import partnership_and_roles_current
from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.forms_govuk import posted
from saferplaces.core.public_forms import public_form_rate_limit
from saferplaces.core.refusal import refused_response
from saferplaces.surveys import permissions, selectors, services
from saferplaces.surveys.forms import AnswerForm, InviteForm, QuestionForm, SurveyForm
from saferplaces.surveys.models import (
    EQUALITY_LABELS,
    Access,
    Invitation,
    QuestionKind,
    Response,
    Survey,
)
from saferplaces_reports.tables import csv_download, workbook

GET_POST = ["GET", "HEAD", "POST"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _current(request: HttpRequest) -> tuple[Any, set[str]]:
    return partnership_and_roles_current(request, permissions.NOT_ALLOWED_VIEW)


def _forbidden(request: HttpRequest, survey: Survey, message: str) -> HttpResponse:
    return refused_response(
        request, "surveys/refused.html", {"survey": survey}, message, partnership=survey.partnership
    )


def _builder_survey(
    request: HttpRequest, survey_id: Any
) -> tuple[Survey, set[str], HttpResponse | None]:
    survey, roles = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
    if not permissions.can_build_surveys(request.user, roles=roles):
        return survey, roles, _forbidden(request, survey, permissions.NOT_ALLOWED_EDIT)
    return survey, roles, None


def _day_start(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- staff: list, build ----------------------------------------------------------------------


@sign_in_required
@require_safe
def survey_list_view(request: HttpRequest) -> HttpResponse:
    partnership, roles = _current(request)
    if not permissions.can_view_surveys(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_VIEW)
    surveys = list(
        selectors.survey_list_visible(user=request.user, partnership=partnership, roles=roles)
    )
    return render(
        request,
        "surveys/list.html",
        {
            "partnership": partnership,
            "surveys": surveys,
            "can_build": permissions.can_build_surveys(request.user, roles=roles),
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def survey_new_view(request: HttpRequest) -> HttpResponse:
    partnership, roles = _current(request)
    if not permissions.can_build_surveys(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_EDIT)
    baselines = list(Survey.objects.filter(partnership=partnership))
    form = SurveyForm(
        posted(request),
        baselines=baselines,
        initial={
            "kind": "perception",
            "access": "public",
            "area_question": "neighbourhood",
            "perception_items": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        baseline = next((s for s in baselines if str(s.pk) == data["baseline"]), None)
        try:
            survey = services.survey_create(
                by=request.user,
                roles=roles,
                partnership=partnership,
                title=data["title"],
                purpose=data["purpose"],
                kind=data["kind"],
                access=data["access"],
                opens_at=_day_start(data["opens_on"]),
                closes_at=_day_start(data["closes_on"]) + timedelta(days=1),
                area_question=data["area_question"],
                equality_monitoring=data["equality_monitoring"],
                baseline=baseline,
                add_perception_items=data["perception_items"],
                area_names=data["area_names"].splitlines(),
            )
        except ApplicationError as error:
            error.add_to(form, "title")
        else:
            messages.success(request, "Survey created: now add its questions")
            return redirect("surveys:detail", survey_id=survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form})


@sign_in_required
@require_safe
def survey_detail_view(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey, roles = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "questions": list(survey.questions.all()),
            "n_responses": survey.responses.count(),
            "n_invitations": survey.invitations.count(),
            "can_build": permissions.can_build_surveys(request.user, roles=roles),
            "public_url": request.build_absolute_uri(
                reverse("surveys_public:answer", kwargs={"survey_id": survey.pk})
            ),
            "closed": timezone.now() >= survey.closes_at,
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def question_new_view(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey, roles, refused = _builder_survey(request, survey_id)
    if refused:
        return refused
    form = QuestionForm(
        posted(request), initial={"kind": "single", "required": True, "publish": True}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_add(
                survey=survey,
                by=request.user,
                roles=roles,
                kind=data["kind"],
                text=data["text"],
                hint=data["hint"],
                options_text=data["options"],
                required=data["required"],
                publish=data["publish"],
            )
        except ApplicationError as error:
            error.add_to(
                form, "options" if (error.extra or {}).get("field") == "options" else "text"
            )
        else:
            messages.success(request, "Question added")
            return redirect("surveys:detail", survey_id=survey.pk)
    return render(request, "surveys/question_form.html", {"form": form, "survey": survey})


@sign_in_required
@require_POST
def perception_add_view(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey, roles, refused = _builder_survey(request, survey_id)
    if refused:
        return refused
    try:
        added = services.perception_items_add(survey=survey, by=request.user, roles=roles)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{len(added)} perception question(s) added")
    return redirect("surveys:detail", survey_id=survey.pk)


@sign_in_required
@require_http_methods(GET_POST)
def invite_view(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey, roles, refused = _builder_survey(request, survey_id)
    if refused:
        return refused
    form = InviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.invitations_send(
                survey=survey, by=request.user, roles=roles, emails=form.cleaned_data["emails"]
            )
        except ApplicationError as error:
            error.add_to(form, "emails")
        else:
            messages.success(request, f"{sent} invitation(s) sent")
            return redirect("surveys:detail", survey_id=survey.pk)
    return render(request, "surveys/invite.html", {"form": form, "survey": survey})


# --- staff: results, downloads, publishing ---------------------------------------------------


def _filters(request: HttpRequest, survey: Survey) -> tuple[str, str]:
    area = request.GET.get("area", "")
    if area and area not in dict(selectors.area_choices(survey)):
        area = ""
    group = request.GET.get("group", "")
    return area, group if group in EQUALITY_LABELS else ""


@sign_in_required
@require_safe
def results_view(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey, roles = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
    area, group = _filters(request, survey)
    publishable = request.GET.get("view") == "published"
    results = selectors.survey_results(survey, publishable=publishable, area=area, group=group)
    query = request.GET.urlencode()
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "results": results,
            "areas": selectors.area_choices(survey),
            "groups": EQUALITY_LABELS if survey.equality_monitoring else {},
            "area": area,
            "group": group,
            "publishable": publishable,
            "query": query,
            "can_build": permissions.can_build_surveys(request.user, roles=roles),
            "closed": timezone.now() >= survey.closes_at,
            "generated_note": selectors.GENERATED_NOTE,
            "repeat_note": selectors.REPEAT_NOTE,
        },
    )


@sign_in_required
@require_safe
def download_view(request: HttpRequest, survey_id: uuid.UUID, file_format: str) -> HttpResponse:
    """The filtered results as CSV or XLSX, always suppressed: a file can leave the building."""
    survey, roles = selectors.survey_get_for_user(user=request.user, survey_id=survey_id)
    if file_format not in ("csv", "xlsx"):
        raise Http404("No such format")
    area, group = _filters(request, survey)
    results = selectors.survey_results(survey, publishable=True, area=area, group=group)
    audit_record(
        actor=request.user,
        verb="survey.results_exported",
        target=survey,
        partnership=survey.partnership,
        request=request,
        summary={"format": file_format, "area": area, "group": group},
    )
    stem = f"survey-results-{str(survey.pk)[:8]}"
    if file_format == "csv":
        response = HttpResponse(csv_download(results.long_table()), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    body = workbook(results.tables, title=f"{survey.title}: results", about=results.notes)
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response


@sign_in_required
@require_http_methods(GET_POST)
def publish_view(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey, roles, refused = _builder_survey(request, survey_id)
    if refused:
        return refused
    questions = list(survey.questions.all())
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "withdraw":
            services.results_unpublish(survey=survey, by=request.user, roles=roles)
            messages.success(request, "Results withdrawn from the public page")
            return redirect("surveys:detail", survey_id=survey.pk)
        chosen = {int(p) for p in request.POST.getlist("questions") if p.isdigit()}
        try:
            services.results_publish(
                survey=survey, by=request.user, roles=roles, publish_positions=chosen
            )
        except ApplicationError as problem:
            error = problem.message
        else:
            messages.success(request, "Results published, with small numbers suppressed")
            return redirect("surveys_public:results", survey_id=survey.pk)
    return render(
        request,
        "surveys/publish.html",
        {
            "survey": survey,
            "questions": questions,
            "error": error,
            "closed": timezone.now() >= survey.closes_at,
            "page_has_errors": bool(error),
            "free_text": QuestionKind.FREE_TEXT,
        },
    )


# --- residents -------------------------------------------------------------------------------


@require_safe
def public_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "surveys/public_list.html",
        {
            "open_surveys": list(selectors.surveys_open_public()),
            "published": list(selectors.surveys_published()[:20]),
        },
    )


def _answer(request: HttpRequest, survey: Survey, invitation: Invitation | None) -> HttpResponse:
    now = timezone.now()
    if not survey.is_open(now):
        message = services.NOT_OPEN if now < survey.opens_at else services.CLOSED
        return render(request, "surveys/closed.html", {"survey": survey, "message": message})
    areas = selectors.area_choices(survey)
    form = AnswerForm(posted(request), survey=survey, areas=areas)
    if request.method == "POST" and form.is_valid():
        if form.honeypot_filled():
            # A bot: the usual thank-you page, nothing stored.
            return redirect(_thanks_url(survey, "S-" + uuid.uuid4().hex[:8].upper()))
        code, label = form.area()
        try:
            response, _ = services.response_submit(
                survey=survey,
                key=form.key(),
                answers=form.answers(),
                area_code=code,
                area_label=label,
                equality=form.equality() if survey.equality_monitoring else None,
                invitation=invitation,
            )
        except ApplicationError as error:
            return render(
                request, "surveys/closed.html", {"survey": survey, "message": error.message}
            )
        return redirect(_thanks_url(survey, response.reference))
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "form": form,
            "invitation": invitation,
            "page_has_errors": form.is_bound and bool(form.errors),
        },
    )


def _thanks_url(survey: Survey, reference: str) -> str:
    url = reverse("surveys_public:thanks", kwargs={"survey_id": survey.pk})
    return f"{url}?ref={reference}"


@public_form_rate_limit("surveys")
@require_http_methods(GET_POST)
def answer_view(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey = selectors.survey_get_public(survey_id)
    if survey.access != Access.PUBLIC:
        return render(
            request,
            "surveys/closed.html",
            {
                "survey": survey,
                "message": (
                    "This survey is by invitation: use the link in the e-mail you were sent."
                ),
            },
        )
    return _answer(request, survey, None)


@public_form_rate_limit("surveys")
@require_http_methods(GET_POST)
def invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("survey__partnership").filter(token=token).first()
    )
    if invitation is None:
        raise Http404("No such invitation")
    if invitation.used_at is not None:
        # A double click: the first click's answers are stored; show their thank-you page.
        key = request.POST.get("submission_key", "") if request.method == "POST" else ""
        try:
            earlier = Response.objects.filter(
                survey=invitation.survey, submission_key=uuid.UUID(key)
            ).first()
        except ValueError:
            earlier = None
        if earlier is not None:
            return redirect(_thanks_url(invitation.survey, earlier.reference))
        return render(
            request,
            "surveys/closed.html",
            {
                "survey": invitation.survey,
                "message": (
                    "This invitation link has already been used. Each link can be used once."
                ),
            },
        )
    return _answer(request, invitation.survey, invitation)


@require_safe
def thanks_view(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey = selectors.survey_get_public(survey_id)
    reference = request.GET.get("ref", "")[:20]
    return render(request, "surveys/thanks.html", {"survey": survey, "reference": reference})


@require_safe
def public_results_view(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey = selectors.survey_get_published(survey_id)
    area = request.GET.get("area", "")
    if area and area not in dict(selectors.area_choices(survey)):
        area = ""
    results = selectors.survey_results(survey, publishable=True, area=area)
    return render(
        request,
        "surveys/public_results.html",
        {
            "survey": survey,
            "results": results,
            "areas": selectors.area_choices(survey),
            "area": area,
            "generated_note": selectors.GENERATED_NOTE,
            "repeat_note": selectors.REPEAT_NOTE,
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def indicator_view(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    """Record the share feeling unsafe as a reading of one of the plan's manual indicators."""
    from saferplaces.indicators.models import Indicator
    from saferplaces.plans.selectors import officer_organisation_ids

    survey, roles, refused = _builder_survey(request, survey_id)
    if refused:
        return refused
    indicators = list(
        Indicator.objects.filter(plan__partnership=survey.partnership, kind="manual")
        .select_related("plan")
        .order_by("plan__start_year", "name")
    )
    kinds = [
        (k, v)
        for k, v in (
            (QuestionKind.SAFE_AFTER_DARK, "after dark"),
            (QuestionKind.SAFE_DAY, "during the day"),
        )
        if survey.questions.filter(kind=k).exists()
    ]
    error = ""
    if request.method == "POST":
        chosen = next((i for i in indicators if str(i.pk) == request.POST.get("indicator")), None)
        kind = request.POST.get("question", "")
        if chosen is None or kind not in dict(kinds):
            error = "Choose an indicator and a perception question."
        else:
            try:
                services.record_as_indicator_reading(
                    survey=survey,
                    indicator=chosen,
                    by=request.user,
                    roles=roles,
                    organisation_ids=officer_organisation_ids(
                        user=request.user, partnership=survey.partnership
                    ),
                    question_kind=kind,
                )
            except (ApplicationError, PermissionDenied) as problem:
                error = getattr(problem, "message", None) or str(problem)
            else:
                messages.success(request, f"Recorded as a reading of “{chosen.name}”")
                return redirect("surveys:detail", survey_id=survey.pk)
    return render(
        request,
        "surveys/indicator.html",
        {
            "survey": survey,
            "indicators": indicators,
            "kinds": kinds,
            "error": error,
            "page_has_errors": bool(error),
        },
    )


@sign_in_required
@require_safe
def free_text_view(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    """Free-text answers may describe people: analysts and managers only, every view audited,
    never published or downloaded."""
    survey, roles, refused = _builder_survey(request, survey_id)
    if refused:
        return refused
    questions = [q for q in survey.questions.all() if q.kind == QuestionKind.FREE_TEXT]
    answers = [
        (
            question,
            [
                (r.reference, r.area_label, str(r.answers[question.field_name]))
                for r in survey.responses.order_by("created_at")
                if str(r.answers.get(question.field_name) or "").strip()
            ],
        )
        for question in questions
    ]
    audit_record(
        actor=request.user,
        verb="survey.personal_data_viewed",
        target=survey,
        partnership=survey.partnership,
        request=request,
        summary={"answers": sum(len(a) for _, a in answers)},
    )
    return render(request, "surveys/free_text.html", {"survey": survey, "answers": answers})


class _EditForm(SurveyForm):
    """The survey form without what is fixed once the survey exists."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in (
            "kind",
            "access",
            "area_question",
            "area_names",
            "equality_monitoring",
            "perception_items",
            "baseline",
        ):
            del self.fields[name]


@sign_in_required
@require_http_methods(GET_POST)
def survey_edit_view(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    survey, roles, refused = _builder_survey(request, survey_id)
    if refused:
        return refused
    initial = {
        "title": survey.title,
        "purpose": survey.purpose,
        "opens_on": timezone.localtime(survey.opens_at).strftime("%d/%m/%Y"),
        "closes_on": (timezone.localtime(survey.closes_at) - timedelta(days=1)).strftime(
            "%d/%m/%Y"
        ),
    }
    form = _EditForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_update(
                survey=survey,
                by=request.user,
                roles=roles,
                title=data["title"],
                purpose=data["purpose"],
                opens_at=_day_start(data["opens_on"]),
                closes_at=_day_start(data["closes_on"]) + timedelta(days=1),
            )
        except ApplicationError as error:
            error.add_to(form, "title")
        else:
            messages.success(request, "Survey changed")
            return redirect("surveys:detail", survey_id=survey.pk)
    return render(request, "surveys/survey_edit.html", {"form": form, "survey": survey})


@sign_in_required
@require_POST
def question_delete_view(request: HttpRequest, survey_id: uuid.UUID, position: int) -> HttpResponse:
    survey, roles, refused = _builder_survey(request, survey_id)
    if refused:
        return refused
    question = survey.questions.filter(position=position).first()
    if question is None:
        raise Http404("No such question")
    try:
        services.question_delete(question=question, by=request.user, roles=roles)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Question removed")
    return redirect("surveys:detail", survey_id=survey.pk)
