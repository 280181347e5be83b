"""Strategic assessment pages: list, guided build, status, document, edits, sign-off, downloads.

Thin: each view finds its object through a selector (404 when it is not visible), asks the
permission predicates (403 when visible but not allowed), and calls one service.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.selectors import partnership_and_roles_current
from saferplaces.assessments import document as doc
from saferplaces.assessments import permissions, selectors, services
from saferplaces.assessments.forms import (
    AssessmentNewForm,
    OverrideForm,
    PublicConcernForm,
    ReviewForm,
    SectionForm,
)
from saferplaces.assessments.models import Assessment
from saferplaces.assessments.narrative import narrative_as_text
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.forms_govuk import posted
from saferplaces.core.refusal import refused_response

GET_POST = ["GET", "HEAD", "POST"]
FORMATS = {
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def _current(request: HttpRequest) -> tuple[Any, set[str]]:
    """The partnership the user works in and their roles there (one query)."""
    return partnership_and_roles_current(request, permissions.NOT_ALLOWED_VIEW)


def _refused(
    request: HttpRequest, template: str, context: dict[str, Any], message: str
) -> HttpResponse:
    """A 403 that says why in a GOV.UK error summary on the page the person asked for."""
    return refused_response(request, template, context, message)


@sign_in_required
@require_safe
def assessment_list_view(request: HttpRequest) -> HttpResponse:
    partnership, roles = _current(request)
    if not permissions.can_view_assessments(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_VIEW)
    assessments = list(
        selectors.assessment_list_visible(user=request.user, partnership=partnership, roles=roles)
    )
    return render(
        request,
        "assessments/list.html",
        {
            "partnership": partnership,
            "assessments": assessments,
            "can_draft": permissions.can_draft_assessment(request.user, roles=roles),
            "sees_drafts": permissions.roles_can_read_drafts(roles),
            "last_approved": selectors.assessment_last_approved(partnership=partnership),
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def assessment_new_view(request: HttpRequest) -> HttpResponse:
    partnership, roles = _current(request)
    if not permissions.can_draft_assessment(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_DRAFT)
    held = selectors.crime_months_held(partnership=partnership)
    initial: dict[str, Any] = {"months": 12, "trend_months": 36}
    if held.last is not None:
        initial.update(last_month_month=held.last.month, last_month_year=held.last.year)
    form = AssessmentNewForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_build_request(
                partnership=partnership,
                by=request.user,
                roles=roles,
                choices=form.cleaned_data,
                held=held,
            )
        except ApplicationError as error:
            error.add_to(form, "last_month_month")
        else:
            return redirect("assessments:status", assessment_id=assessment.pk)
    return render(
        request,
        "assessments/new.html",
        {
            "partnership": partnership,
            "form": form,
            "held": held,
            "held_text": (
                f"{doc.month_name(held.first)} to {doc.month_name(held.last)}"
                if held.first and held.last
                else ""
            ),
            "last_approved": selectors.assessment_last_approved(partnership=partnership),
        },
    )


@sign_in_required
@require_safe
def assessment_status_view(request: HttpRequest, assessment_id: str) -> HttpResponse:
    assessment, roles = selectors.assessment_get_for_user(
        user=request.user, assessment_id=assessment_id
    )
    return render(
        request,
        "assessments/status.html",
        {
            "assessment": assessment,
            "partnership": assessment.partnership,
            "refresh": assessment.is_building,
            "can_draft": permissions.can_draft_assessment(request.user, roles=roles),
        },
    )


def _detail_context(
    request: HttpRequest, assessment: Assessment, roles: set[str]
) -> dict[str, Any]:
    document = doc.document_for_version(assessment) if assessment.document else None
    narrative = dict(assessment.narrative or {})
    can_edit = permissions.can_edit_assessment(request.user, assessment, roles=roles)
    return {
        "assessment": assessment,
        "partnership": assessment.partnership,
        "document": document,
        "narrative": narrative,
        "overrides": assessment.overrides or {},
        "status_label": doc.status_label(assessment),
        "can_edit": can_edit,
        "can_submit": can_edit,
        "can_review": (
            permissions.can_approve_assessment(request.user, roles=roles)
            and assessment.status == Assessment.Status.SUBMITTED
        ),
        "can_draft": permissions.can_draft_assessment(request.user, roles=roles),
        "editable_keys": set(doc.document_narrative_keys(assessment.document or {})),
        "is_synthetic": doc.is_synthetic(assessment),
        "comparator_text": doc.COMPARATORS.get(
            assessment.option("comparator", ""), str(assessment.option("comparator", ""))
        ).lower(),
        "criteria_labels": doc.CRITERIA_LABELS,
        "provenance_rows": doc.provenance_rows,
        "paragraphs": doc.paragraphs,
        "cell": doc.cell_text,
        "is_number": doc.is_number,
    }


@sign_in_required
@require_safe
def assessment_detail_view(request: HttpRequest, assessment_id: str) -> HttpResponse:
    assessment, roles = selectors.assessment_get_for_user(
        user=request.user, assessment_id=assessment_id
    )
    if assessment.document is None:
        return redirect("assessments:status", assessment_id=assessment.pk)
    return render(request, "assessments/detail.html", _detail_context(request, assessment, roles))


def _editable(request: HttpRequest, assessment_id: str) -> tuple[Assessment, set[str]]:
    assessment, roles = selectors.assessment_get_for_user(
        user=request.user, assessment_id=assessment_id
    )
    if not permissions.can_draft_assessment(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_DRAFT)
    return assessment, roles


def _not_a_draft(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    if assessment.is_frozen:
        message = services.FROZEN.format(number=assessment.number)
    else:
        message = services.NOT_A_DRAFT.format(status=assessment.get_status_display().lower())
    messages.info(request, message)
    return redirect("assessments:detail", assessment_id=assessment.pk)


@sign_in_required
@require_http_methods(GET_POST)
def assessment_section_edit_view(
    request: HttpRequest, assessment_id: str, section_key: str
) -> HttpResponse:
    assessment, roles = _editable(request, assessment_id)
    if not assessment.is_editable:
        return _not_a_draft(request, assessment)
    try:
        section = doc.document_section(
            assessment.document or {}, assessment.narrative or {}, section_key
        )
    except KeyError:
        raise Http404("No such section") from None
    current = narrative_as_text(section.html) if section.html else section.default
    form = SectionForm(posted(request), initial={"text": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_narrative_change(
                assessment=assessment,
                by=request.user,
                roles=roles,
                section_key=section_key,
                text=form.cleaned_data["text"],
            )
        except ApplicationError as error:
            error.add_to(form, "text")
        else:
            messages.success(request, f"‘{section.title}’ saved.")
            url = reverse("assessments:detail", kwargs={"assessment_id": assessment.pk})
            return redirect(f"{url}#section-{section_key}")
    return render(
        request,
        "assessments/section_edit.html",
        {
            "assessment": assessment,
            "partnership": assessment.partnership,
            "section": section,
            "form": form,
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def assessment_override_view(
    request: HttpRequest, assessment_id: str, category: str
) -> HttpResponse:
    assessment, roles = _editable(request, assessment_id)
    if not assessment.is_editable:
        return _not_a_draft(request, assessment)
    rows = {row.category: row for row in doc.priority_rows(assessment)}
    row = rows.get(category)
    if row is None:
        raise Http404("No such priority")
    existing = (assessment.overrides or {}).get(category) or {}
    form = OverrideForm(
        posted(request) if "remove" not in request.POST else None,
        initial={"score": existing.get("score"), "reason": existing.get("reason", "")},
    )
    if request.method == "POST":
        removing = "remove" in request.POST
        if removing or form.is_valid():
            try:
                services.assessment_priority_override(
                    assessment=assessment,
                    by=request.user,
                    roles=roles,
                    category=category,
                    score=None if removing else form.cleaned_data["score"],
                    reason="" if removing else form.cleaned_data["reason"],
                )
            except ApplicationError as error:
                error.add_to(form, "score")
            else:
                messages.success(
                    request,
                    f"The computed score for {row.label} is back in use."
                    if removing
                    else f"Score for {row.label} changed, with your reason.",
                )
                url = reverse("assessments:detail", kwargs={"assessment_id": assessment.pk})
                return redirect(f"{url}#priority-matrix")
    return render(
        request,
        "assessments/override.html",
        {
            "assessment": assessment,
            "partnership": assessment.partnership,
            "row": row,
            "form": form,
            "has_override": bool(existing),
            "criteria": doc.CRITERIA_LABELS,
        },
    )


def _period_start(assessment: Assessment) -> date:
    period = (assessment.document or {}).get("period") or []
    try:
        return date.fromisoformat(str(period[0])[:7] + "-01")
    except (IndexError, ValueError):
        return timezone.localdate().replace(day=1)


@sign_in_required
@require_http_methods(GET_POST)
def assessment_public_concern_view(request: HttpRequest, assessment_id: str) -> HttpResponse:
    """Enter public concern per priority, with what residents said beside each as a suggestion."""
    from saferplaces.core.resident_voice import public_concern_suggestions

    assessment, roles = _editable(request, assessment_id)
    if not assessment.is_editable:
        return _not_a_draft(request, assessment)
    labels = doc.category_labels(assessment.document or {})
    stored = assessment.public_concern or {}
    suggestions = public_concern_suggestions(
        partnership=assessment.partnership, since=_period_start(assessment)
    )
    if "scores" in stored:
        initial: dict[str, Any] = {k: str(v) for k, v in stored["scores"].items()}
    else:
        # Pre-filled from the suggestions only while nothing has been entered: the analyst decides.
        initial = {k: str(v[0].score) for k, v in suggestions.items() if k in labels}
    initial["source"] = stored.get("source", "")
    form = PublicConcernForm(posted(request), initial=initial, labels=labels)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_public_concern_set(
                assessment=assessment,
                by=request.user,
                roles=roles,
                scores=form.scores(),
                source=form.cleaned_data["source"],
            )
        except ApplicationError as error:
            error.add_to(form, "source")
        else:
            messages.success(request, "Public concern scores saved; the priorities are re-ranked.")
            url = reverse("assessments:detail", kwargs={"assessment_id": assessment.pk})
            return redirect(f"{url}#section-priority-matrix")
    return render(
        request,
        "assessments/public_concern.html",
        {
            "assessment": assessment,
            "partnership": assessment.partnership,
            "form": form,
            "rows": [(form[c], suggestions.get(c, [])) for c in labels],
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def assessment_submit_view(request: HttpRequest, assessment_id: str) -> HttpResponse:
    assessment, roles = _editable(request, assessment_id)
    if not assessment.is_editable:
        return _not_a_draft(request, assessment)
    error = ""
    if request.method == "POST":
        try:
            services.assessment_submit(assessment=assessment, by=request.user, roles=roles)
        except ApplicationError as problem:
            error = problem.message
        else:
            messages.success(
                request, "Submitted for approval. A partnership manager will review it."
            )
            return redirect("assessments:detail", assessment_id=assessment.pk)
    return render(
        request,
        "assessments/submit.html",
        {
            "assessment": assessment,
            "partnership": assessment.partnership,
            "error": error,
            "page_has_errors": bool(error),
            "rewritten": [
                doc.document_section(assessment.document or {}, assessment.narrative, key).title
                for key in assessment.narrative
                if key in doc.document_narrative_keys(assessment.document or {})
            ],
            "overridden": [
                label
                for category, label in doc.category_labels(assessment.document or {}).items()
                if category in (assessment.overrides or {})
            ],
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def assessment_review_view(request: HttpRequest, assessment_id: str) -> HttpResponse:
    assessment, roles = selectors.assessment_get_for_user(
        user=request.user, assessment_id=assessment_id
    )
    context: dict[str, Any] = {
        "assessment": assessment,
        "partnership": assessment.partnership,
    }
    if not permissions.can_approve_assessment(request.user, roles=roles):
        return _refused(
            request, "assessments/review.html", context, permissions.NOT_ALLOWED_APPROVE
        )
    if assessment.status != Assessment.Status.SUBMITTED:
        messages.info(request, services.NOT_SUBMITTED)
        return redirect("assessments:detail", assessment_id=assessment.pk)
    problem = services.assessment_approval_problem(
        assessment=assessment, by=request.user, roles=roles
    )
    form = ReviewForm(posted(request))
    if request.method == "POST" and form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        try:
            if decision == ReviewForm.APPROVE:
                approved = services.assessment_approve(
                    assessment=assessment, by=request.user, roles=roles, note=note
                )
                messages.success(request, f"Approved as version {approved.number}.")
            else:
                services.assessment_return(
                    assessment=assessment, by=request.user, roles=roles, note=note
                )
                messages.success(request, "Sent back to draft, with your note.")
        except ApplicationError as error:
            error.add_to(form, "decision")
        else:
            return redirect("assessments:detail", assessment_id=assessment.pk)
    return render(
        request,
        "assessments/review.html",
        {**context, "form": form, "approval_problem": problem},
    )


@sign_in_required
@require_safe
def assessment_download_view(
    request: HttpRequest, assessment_id: str, file_format: str
) -> HttpResponse:
    assessment, _roles = selectors.assessment_get_for_user(
        user=request.user, assessment_id=assessment_id
    )
    if file_format not in FORMATS or assessment.document is None:
        raise Http404("No such download")
    content_type, extension = FORMATS[file_format]
    body = doc.render_version(assessment, file_format)
    services.assessment_download_record(
        assessment=assessment, by=request.user, file_format=file_format, request=request
    )
    response = HttpResponse(body, content_type=content_type)
    # Every format is a file to keep: the HTML page carries its own stylesheet, which the
    # site's Content-Security-Policy would block if it were shown inside the site.
    response["Content-Disposition"] = (
        f'attachment; filename="{doc.download_name(assessment)}.{extension}"'
    )
    return response
