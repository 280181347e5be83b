"""Staff pages: the list with its due-date clock, the detail, the decisions, the settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.selectors import partnership_and_roles_current
from saferplaces.casereview import forms as cr_forms
from saferplaces.casereview import permissions, selectors, services
from saferplaces.casereview.models import CaseReview, Status
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.forms_govuk import posted

GET_POST = ["GET", "POST", "HEAD"]


def _current(request: HttpRequest) -> tuple[Any, set[str]]:
    partnership, roles = partnership_and_roles_current(request, permissions.NOT_ALLOWED_VIEW)
    if not permissions.can_view_case_reviews(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_VIEW)
    return partnership, roles


def _case(request: HttpRequest, case_review_id: Any) -> tuple[CaseReview, set[str], set[str]]:
    partnership, roles = _current(request)
    case_review = selectors.case_review_get_visible(
        user=request.user, partnership=partnership, roles=roles, case_review_id=case_review_id
    )
    lead_ids = selectors.lead_organisation_ids(user=request.user, partnership=partnership)
    return case_review, roles, lead_ids


@sign_in_required
@require_safe
def list_view(request: HttpRequest) -> HttpResponse:
    partnership, roles = _current(request)
    settings_ = selectors.settings_get(partnership=partnership)
    today = timezone.localdate()
    rows = [
        (case_review, selectors.clock_for(case_review, settings=settings_, today=today))
        for case_review in selectors.case_review_list_visible(
            user=request.user, partnership=partnership, roles=roles
        )
    ]
    return render(
        request,
        "casereview/staff_list.html",
        {
            "partnership": partnership,
            "rows": rows,
            "settings": settings_,
            "can_change_settings": permissions.can_change_settings(request.user, roles=roles),
        },
    )


@sign_in_required
@require_safe
def detail_view(request: HttpRequest, case_review_id: Any) -> HttpResponse:
    case_review, roles, lead_ids = _case(request, case_review_id)
    sees_personal = permissions.can_see_personal_data(
        request.user, roles=roles, lead_organisation_ids=lead_ids, case_review=case_review
    )
    if sees_personal:
        services.case_review_personal_data_viewed(
            case_review=case_review, by=request.user, request=request
        )
    settings_ = selectors.settings_get(partnership=case_review.partnership)
    can_lead = permissions.can_record_review(
        request.user, roles=roles, lead_organisation_ids=lead_ids, case_review=case_review
    )
    return render(
        request,
        "casereview/staff_detail.html",
        {
            "case_review": case_review,
            "clock": selectors.clock_for(
                case_review, settings=settings_, today=timezone.localdate()
            ),
            "settings": settings_,
            "sees_personal": sees_personal,
            "declared": list(case_review.declared_reports.all()),
            "recommendations": list(
                case_review.recommendations.select_related("owner_organisation")
            ),
            "agencies": list(case_review.agencies_present.all()),
            "can_decide": permissions.can_decide_threshold(request.user, roles=roles)
            and case_review.status == Status.RECEIVED,
            "can_record": can_lead and case_review.status in (Status.REVIEW_DUE, Status.REVIEWED),
            "can_add_recommendation": can_lead and case_review.status == Status.REVIEWED,
            "can_send_outcome": can_lead and case_review.status == Status.REVIEWED,
            "can_decide_appeal": permissions.can_decide_appeal(request.user, roles=roles)
            and case_review.status == Status.APPEALED,
        },
    )


def _form_page(
    request: HttpRequest,
    case_review: CaseReview,
    form: Any,
    title: str,
    button: str,
    act: Callable[[dict[str, Any]], Any],
    *,
    default_field: str | None = None,
    done: str = "Saved",
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ApplicationError as refusal:
            refusal.add_to(form, default_field)
        else:
            messages.success(request, done)
            return redirect("casereview:detail", case_review_id=case_review.pk)
    return render(
        request,
        "casereview/staff_form.html",
        {
            "case_review": case_review,
            "form": form,
            "title": title,
            "button": button,
            "page_has_errors": form.is_bound and bool(form.errors),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _organisation(case_review: CaseReview, pk: Any) -> Any:
    if not pk:
        return None
    found = selectors.organisations_of(partnership=case_review.partnership).filter(pk=pk).first()
    if found is None:
        raise Http404("No such organisation")
    return found


@sign_in_required
@require_http_methods(GET_POST)
def threshold_view(request: HttpRequest, case_review_id: Any) -> HttpResponse:
    case_review, roles, _lead = _case(request, case_review_id)
    if not permissions.can_decide_threshold(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_DECIDE)
    organisations = selectors.organisations_of(partnership=case_review.partnership)
    form = cr_forms.ThresholdForm(posted(request), organisations=organisations)
    return _form_page(
        request, case_review, form, "Decide whether the threshold is met", "Save the decision",
        lambda data: services.case_review_decide_threshold(
            case_review=case_review, by=request.user, roles=roles, met=data["met"],
            reason=data["reason"],
            lead_organisation=_organisation(case_review, data["lead_organisation"]),
        ),
        done="Decision saved and the applicant told by e-mail",
    )  # fmt: skip


@sign_in_required
@require_http_methods(GET_POST)
def review_view(request: HttpRequest, case_review_id: Any) -> HttpResponse:
    case_review, roles, lead_ids = _case(request, case_review_id)
    if not permissions.can_record_review(
        request.user, roles=roles, lead_organisation_ids=lead_ids, case_review=case_review
    ):
        raise PermissionDenied(permissions.NOT_ALLOWED_REVIEW)
    organisations = selectors.organisations_of(partnership=case_review.partnership)
    form = cr_forms.ReviewForm(posted(request), organisations=organisations)
    return _form_page(
        request, case_review, form, "Record the case review", "Save the review",
        lambda data: services.case_review_record_review(
            case_review=case_review, by=request.user, roles=roles,
            lead_organisation_ids=lead_ids, held_on=data["held_on"],
            agencies=list(organisations.filter(pk__in=data["agencies"])),
            other_agencies=data["other_agencies"], findings=data["findings"],
            decision=data["decision"],
        ),
        done="Review saved",
    )  # fmt: skip


@sign_in_required
@require_http_methods(GET_POST)
def recommendation_view(request: HttpRequest, case_review_id: Any) -> HttpResponse:
    case_review, roles, lead_ids = _case(request, case_review_id)
    if not permissions.can_record_review(
        request.user, roles=roles, lead_organisation_ids=lead_ids, case_review=case_review
    ):
        raise PermissionDenied(permissions.NOT_ALLOWED_REVIEW)
    organisations = selectors.organisations_of(partnership=case_review.partnership)
    form = cr_forms.RecommendationForm(posted(request), organisations=organisations)
    return _form_page(
        request, case_review, form, "Add a recommendation", "Add the recommendation",
        lambda data: services.recommendation_add(
            case_review=case_review, by=request.user, roles=roles,
            lead_organisation_ids=lead_ids, text=data["text"],
            owner_organisation=_organisation(case_review, data["owner_organisation"]),
            due_date=data["due_date"],
        ),
        done="Recommendation added",
    )  # fmt: skip


@sign_in_required
@require_http_methods(GET_POST)
def outcome_view(request: HttpRequest, case_review_id: Any) -> HttpResponse:
    case_review, roles, lead_ids = _case(request, case_review_id)
    if not permissions.can_record_review(
        request.user, roles=roles, lead_organisation_ids=lead_ids, case_review=case_review
    ):
        raise PermissionDenied(permissions.NOT_ALLOWED_REVIEW)
    form = cr_forms.OutcomeForm(
        posted(request), initial={"outcome_text": case_review.review_decision}
    )
    return _form_page(
        request, case_review, form, "Send the outcome to the applicant", "Send the outcome",
        lambda data: services.case_review_send_outcome(
            case_review=case_review, by=request.user, roles=roles,
            lead_organisation_ids=lead_ids, outcome_text=data["outcome_text"],
        ),
        done="Outcome sent to the applicant by e-mail",
    )  # fmt: skip


@sign_in_required
@require_http_methods(GET_POST)
def appeal_decide_view(request: HttpRequest, case_review_id: Any) -> HttpResponse:
    case_review, roles, _lead = _case(request, case_review_id)
    if not permissions.can_decide_appeal(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_APPEAL)
    form = cr_forms.AppealDecisionForm(posted(request))
    return _form_page(
        request, case_review, form, "Decide the appeal", "Save the decision",
        lambda data: services.case_review_decide_appeal(
            case_review=case_review, by=request.user, roles=roles,
            decision=data["decision"], reason=data["reason"],
        ),
        done="Appeal decided and the applicant told by e-mail",
    )  # fmt: skip


@sign_in_required
@require_http_methods(GET_POST)
def settings_view(request: HttpRequest) -> HttpResponse:
    partnership, roles = _current(request)
    if not permissions.can_change_settings(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_SETTINGS)
    current = selectors.settings_get(partnership=partnership)
    form = cr_forms.SettingsForm(
        posted(request), initial={name: getattr(current, name) for name in services.SETTING_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(
                partnership=partnership, by=request.user, roles=roles, **form.cleaned_data
            )
        except ApplicationError as refusal:
            refusal.add_to(form)
        else:
            messages.success(request, "Case review threshold and time limits saved")
            return redirect("casereview:list")
    return render(
        request,
        "casereview/staff_settings.html",
        {
            "form": form,
            "partnership": partnership,
            "page_has_errors": form.is_bound and bool(form.errors),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
