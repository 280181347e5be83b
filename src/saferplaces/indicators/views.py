"""Indicator, exception, meeting and board pack pages.

Thin: each view finds its object through a selector (404 when it is not in the current
partnership), asks the permission predicates (403), and calls one service.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.selectors import (
    organisation_list_for_partnership,
    partnership_get_current,
)
from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.forms_govuk import posted
from saferplaces.indicators import meetings as meeting_services
from saferplaces.indicators import permissions, present, rag, scrutiny, selectors, services
from saferplaces.indicators.forms import (
    ExceptionNoteForm,
    IndicatorForm,
    ItemToActionForm,
    MeetingForm,
    MeetingItemForm,
    OverrideForm,
    RecommendationForm,
    ResponseForm,
    ScrutinyForm,
    ValueForm,
    indicator_initial,
    new_token,
)
from saferplaces.indicators.models import BoardPack, ScrutinyReview
from saferplaces.indicators.selectors import Who

GET_POST = ["GET", "HEAD", "POST"]


def _current(request: HttpRequest) -> tuple[Any, Who]:
    partnership = partnership_get_current(request)
    if partnership is None:
        raise PermissionDenied(permissions.NOT_ALLOWED_VIEW)
    who = selectors.who_in_partnership(user=request.user, partnership=partnership)
    if not permissions.can_view_indicators(request.user, roles=who.roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_VIEW)
    return partnership, who


def _neighbourhoods(partnership: Any) -> list[Any]:
    from saferplaces.neighbourhoods.models import Neighbourhood

    return list(Neighbourhood.objects.filter(partnership=partnership).order_by("name"))


# --- indicators -------------------------------------------------------------------------------


@sign_in_required
@require_safe
def indicator_list_view(request: HttpRequest) -> HttpResponse:
    partnership, who = _current(request)
    plans = selectors.plan_list(partnership=partnership)
    chosen = request.GET.get("plan")
    plan = next((p for p in plans if str(p.pk) == chosen), None) if chosen else None
    plan = plan or selectors.plan_current(partnership=partnership)
    rows = []
    if plan is not None:
        for indicator in selectors.indicator_list(partnership=partnership, plan=plan):
            latest = indicator.values.order_by("-month").first()
            rows.append(
                {
                    "indicator": indicator,
                    "rag": present.rag_summary(indicator),
                    "value": present.value_text(indicator, latest),
                    "interval": present.interval_text(indicator, latest),
                    "period": present.period_text(indicator, latest),
                    "target": present.target_text(indicator),
                }
            )
    return render(
        request,
        "indicators/list.html",
        {
            "partnership": partnership,
            "plan": plan,
            "plans": plans,
            "rows": rows,
            "can_manage": permissions.can_manage_indicators(request.user, roles=who.roles),
            "open_exceptions": selectors.exception_list(partnership=partnership)
            .filter(status="open")
            .count(),
            "rule": rag.RULE,
        },
    )


def _indicator_form(request: HttpRequest, partnership: Any, plan: Any, **kwargs: Any) -> Any:
    return IndicatorForm(
        posted(request),
        priorities=selectors.priority_list(plan=plan),
        neighbourhoods=_neighbourhoods(partnership),
        **kwargs,
    )


@sign_in_required
@require_http_methods(GET_POST)
def indicator_new_view(request: HttpRequest) -> HttpResponse:
    partnership, who = _current(request)
    if not permissions.can_manage_indicators(request.user, roles=who.roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_MANAGE)
    plan_id = request.POST.get("plan") or request.GET.get("plan")
    plan = (
        selectors.plan_get(partnership=partnership, plan_id=plan_id)
        if plan_id
        else selectors.plan_current(partnership=partnership)
    )
    if plan is None:
        messages.info(request, "Create the community safety plan first: indicators belong to it.")
        return redirect("indicators:list")
    initial = {
        "kind": "bound",
        "direction": "lower",
        "frequency": "monthly",
        "measure": "count",
        "area_kind": "partnership",
        "form_token": new_token(),
    }
    form = _indicator_form(request, partnership, plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(
                plan=plan,
                by=request.user,
                roles=who.roles,
                data=form.service_data(),
                form_token=form.cleaned_data.get("form_token") or "",
            )
        except ApplicationError as error:
            error.add_to(form, "name")
        else:
            if indicator.is_bound:
                _refresh_later(partnership)
            messages.success(request, f"Indicator ‘{indicator.name}’ added.")
            return redirect("indicators:detail", indicator_id=indicator.pk)
    return render(
        request,
        "indicators/form.html",
        {
            "partnership": partnership,
            "plan": plan,
            "form": form,
            "indicator": None,
        },
    )


def _refresh_later(partnership: Any) -> None:
    from saferplaces.indicators.tasks import refresh_bound_indicators

    transaction.on_commit(
        partial(refresh_bound_indicators.enqueue, partnership_id=str(partnership.pk))
    )


@sign_in_required
@require_http_methods(GET_POST)
def indicator_edit_view(request: HttpRequest, indicator_id: str) -> HttpResponse:
    partnership, who = _current(request)
    indicator = selectors.indicator_get(partnership=partnership, indicator_id=indicator_id)
    if not permissions.can_manage_indicators(request.user, roles=who.roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_MANAGE)
    form = _indicator_form(
        request, partnership, indicator.plan, initial=indicator_initial(indicator)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(
                indicator=indicator, by=request.user, roles=who.roles, data=form.service_data()
            )
        except ApplicationError as error:
            error.add_to(form, "name")
        else:
            if indicator.is_bound:
                _refresh_later(partnership)
            messages.success(request, f"Indicator ‘{indicator.name}’ saved.")
            return redirect("indicators:detail", indicator_id=indicator.pk)
    return render(
        request,
        "indicators/form.html",
        {
            "partnership": partnership,
            "plan": indicator.plan,
            "form": form,
            "indicator": indicator,
        },
    )


@sign_in_required
@require_safe
def indicator_detail_view(request: HttpRequest, indicator_id: str) -> HttpResponse:
    partnership, who = _current(request)
    indicator = selectors.indicator_get(partnership=partnership, indicator_id=indicator_id)
    values = selectors.indicator_values(indicator=indicator)
    latest = present.latest_value(values)
    held = sum(1 for v in values if not v.no_data)
    return render(
        request,
        "indicators/detail.html",
        {
            "partnership": partnership,
            "indicator": indicator,
            "plan": indicator.plan,
            "rag": present.rag_summary(indicator),
            # One point is not a series: the table says it all until a second period is held.
            "chart": present.chart(indicator, values) if held >= 2 else None,
            "held": held,
            "rows": present.table_rows(indicator, values),
            "source_summary": present.source_summary(indicator, values),
            "latest_value": present.value_text(indicator, latest),
            "latest_interval": present.interval_text(indicator, latest),
            "latest_period": present.period_text(indicator, latest),
            "target": present.target_text(indicator),
            "baseline": present.baseline_text(indicator),
            "measure": indicator.measure or {},
            "rule": rag.RULE,
            "exceptions": list(indicator.exceptions.all()[:5]),
            "can_manage": permissions.can_manage_indicators(request.user, roles=who.roles),
            "can_override": permissions.can_override_rag(request.user, roles=who.roles),
            "can_enter": permissions.can_enter_value(
                request.user, indicator, roles=who.roles, organisation_ids=who.organisation_ids
            ),
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def indicator_value_view(request: HttpRequest, indicator_id: str) -> HttpResponse:
    partnership, who = _current(request)
    indicator = selectors.indicator_get(partnership=partnership, indicator_id=indicator_id)
    if indicator.is_bound:
        raise Http404("Computed indicators take no typed values")
    if not permissions.can_enter_value(
        request.user, indicator, roles=who.roles, organisation_ids=who.organisation_ids
    ):
        raise PermissionDenied(permissions.NOT_ALLOWED_VALUE)
    form = ValueForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.indicator_value_enter(
                indicator=indicator,
                by=request.user,
                roles=who.roles,
                organisation_ids=who.organisation_ids,
                month=data["month"],
                value=data["value"],
                low=data.get("low"),
                high=data.get("high"),
                note=data["note"],
            )
        except ApplicationError as error:
            error.add_to(form, "value")
        else:
            messages.success(request, "Figure saved.")
            return redirect("indicators:detail", indicator_id=indicator.pk)
    return render(
        request,
        "indicators/value.html",
        {"partnership": partnership, "indicator": indicator, "form": form},
    )


@sign_in_required
@require_http_methods(GET_POST)
def indicator_override_view(request: HttpRequest, indicator_id: str) -> HttpResponse:
    partnership, who = _current(request)
    indicator = selectors.indicator_get(partnership=partnership, indicator_id=indicator_id)
    if not permissions.can_override_rag(request.user, roles=who.roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_OVERRIDE)
    form = OverrideForm(
        posted(request),
        initial={"colour": indicator.override_colour, "reason": indicator.override_reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_override(
                indicator=indicator,
                by=request.user,
                roles=who.roles,
                colour=form.cleaned_data["colour"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ApplicationError as error:
            error.add_to(form, "reason")
        else:
            messages.success(
                request,
                "Override saved."
                if form.cleaned_data["colour"]
                else "The computed colour is shown again.",
            )
            return redirect("indicators:detail", indicator_id=indicator.pk)
    return render(
        request,
        "indicators/override.html",
        {
            "partnership": partnership,
            "indicator": indicator,
            "form": form,
            "rag": present.rag_summary(indicator),
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def indicators_refresh_view(request: HttpRequest) -> HttpResponse:
    partnership, who = _current(request)
    if not permissions.can_manage_indicators(request.user, roles=who.roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_MANAGE)
    if request.method == "POST":
        from saferplaces.indicators.tasks import refresh_bound_indicators

        refresh_bound_indicators.enqueue(partnership_id=str(partnership.pk))
        audit_record(
            actor=request.user,
            verb="indicator.refresh_requested",
            partnership=partnership,
            object_type="accounts.partnership",
            object_id=str(partnership.pk),
            request=request,
        )
        messages.success(request, "The computed indicators are being refreshed from the data.")
        return redirect("indicators:list")
    return render(request, "indicators/refresh.html", {"partnership": partnership})


# --- exceptions -------------------------------------------------------------------------------


@sign_in_required
@require_safe
def exception_list_view(request: HttpRequest) -> HttpResponse:
    partnership, who = _current(request)
    exceptions = list(selectors.exception_list(partnership=partnership))
    return render(
        request,
        "indicators/exceptions.html",
        {"partnership": partnership, "exceptions": exceptions},
    )


@sign_in_required
@require_http_methods(GET_POST)
def exception_note_view(request: HttpRequest, exception_id: str) -> HttpResponse:
    partnership, who = _current(request)
    exception = selectors.exception_get(partnership=partnership, exception_id=exception_id)
    owners, leads = selectors.exception_facts(exception)
    allowed = permissions.can_write_note(
        request.user,
        exception,
        roles=who.roles,
        organisation_ids=who.organisation_ids,
        owner_ids=owners,
        lead_organisation_ids=leads,
    )
    form = ExceptionNoteForm(
        posted(request),
        initial={
            "cause": exception.cause,
            "recovery_action": exception.recovery_action,
            "recovery_date": exception.recovery_date,
        },
    )
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied(permissions.NOT_ALLOWED_NOTE)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.exception_note(
                    exception=exception,
                    by=request.user,
                    allowed=allowed,
                    cause=data["cause"],
                    recovery_action=data["recovery_action"],
                    recovery_date=data["recovery_date"],
                )
            except ApplicationError as error:
                error.add_to(form, "cause")
            else:
                messages.success(request, "Exception note saved.")
                return redirect("indicators:exceptions")
    return render(
        request,
        "indicators/exception_note.html",
        {
            "partnership": partnership,
            "exception": exception,
            "form": form,
            "allowed": allowed,
        },
    )


# --- meetings and board packs -------------------------------------------------------------------


@sign_in_required
@require_safe
def meeting_list_view(request: HttpRequest) -> HttpResponse:
    partnership, who = _current(request)
    return render(
        request,
        "indicators/meetings.html",
        {
            "partnership": partnership,
            "meetings": list(selectors.meeting_list(partnership=partnership)),
            "can_manage": permissions.can_manage_meetings(request.user, roles=who.roles),
        },
    )


def _meeting_form(request: HttpRequest, partnership: Any, **kwargs: Any) -> MeetingForm:
    return MeetingForm(
        posted(request),
        plans=selectors.plan_list(partnership=partnership),
        organisations=list(organisation_list_for_partnership(partnership=partnership)),
        **kwargs,
    )


@sign_in_required
@require_http_methods(GET_POST)
def meeting_new_view(request: HttpRequest) -> HttpResponse:
    partnership, who = _current(request)
    if not permissions.can_manage_meetings(request.user, roles=who.roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_MEETINGS)
    plan = selectors.plan_current(partnership=partnership)
    form = _meeting_form(
        request,
        partnership,
        initial={"form_token": new_token(), "plan": str(plan.pk) if plan else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_services.meeting_create(
                partnership=partnership,
                by=request.user,
                roles=who.roles,
                data=form.service_data(),
                form_token=form.cleaned_data.get("form_token") or "",
            )
        except ApplicationError as error:
            error.add_to(form, "title")
        else:
            messages.success(request, f"Meeting ‘{meeting.title}’ added.")
            return redirect("indicators:meeting", meeting_id=meeting.pk)
    return render(
        request,
        "indicators/meeting_form.html",
        {"partnership": partnership, "form": form, "meeting": None},
    )


@sign_in_required
@require_http_methods(GET_POST)
def meeting_edit_view(request: HttpRequest, meeting_id: str) -> HttpResponse:
    partnership, who = _current(request)
    meeting = selectors.meeting_get(partnership=partnership, meeting_id=meeting_id)
    if not permissions.can_manage_meetings(request.user, roles=who.roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_MEETINGS)
    form = _meeting_form(
        request,
        partnership,
        initial={
            "title": meeting.title,
            "date": meeting.date,
            "agenda": meeting.agenda,
            "plan": str(meeting.plan_id or ""),
            "attendees": [str(o.pk) for o in meeting.attendees.all()],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.meeting_update(
                meeting=meeting, by=request.user, roles=who.roles, data=form.service_data()
            )
        except ApplicationError as error:
            error.add_to(form, "title")
        else:
            messages.success(request, "Meeting saved.")
            return redirect("indicators:meeting", meeting_id=meeting.pk)
    return render(
        request,
        "indicators/meeting_form.html",
        {"partnership": partnership, "form": form, "meeting": meeting},
    )


@sign_in_required
@require_http_methods(GET_POST)
def meeting_detail_view(request: HttpRequest, meeting_id: str) -> HttpResponse:
    partnership, who = _current(request)
    meeting = selectors.meeting_get(partnership=partnership, meeting_id=meeting_id)
    can_manage = permissions.can_manage_meetings(request.user, roles=who.roles)
    form = MeetingItemForm(posted(request), initial={"kind": "decision_needed"})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(permissions.NOT_ALLOWED_MEETINGS)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting_services.meeting_item_add(
                    meeting=meeting,
                    by=request.user,
                    roles=who.roles,
                    kind=data["kind"],
                    text=data["text"],
                    owner=data.get("owner", ""),
                    due_date=data.get("due_date"),
                )
            except ApplicationError as error:
                error.add_to(form, "text")
            else:
                messages.success(request, "Item added.")
                return redirect("indicators:meeting", meeting_id=meeting.pk)
    return render(
        request,
        "indicators/meeting.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "form": form,
            "items": list(meeting.items.all()),
            "can_manage": can_manage,
            "pack": selectors.board_pack_latest(meeting=meeting),
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def board_pack_view(request: HttpRequest, meeting_id: str) -> HttpResponse:
    partnership, who = _current(request)
    meeting = selectors.meeting_get(partnership=partnership, meeting_id=meeting_id)
    if request.method == "POST":
        try:
            meeting_services.board_pack_request(meeting=meeting, by=request.user, roles=who.roles)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "The board pack is being made.")
        return redirect("indicators:board_pack", meeting_id=meeting.pk)
    pack = selectors.board_pack_latest(meeting=meeting)
    ready = pack if pack is not None and pack.status == BoardPack.Status.READY else None
    if ready is None:
        ready = meeting.packs.filter(status=BoardPack.Status.READY).first()
    return render(
        request,
        "indicators/board_pack.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "pack": pack,
            "ready": ready,
            "refresh": pack is not None and pack.status == BoardPack.Status.QUEUED,
            "can_manage": permissions.can_manage_meetings(request.user, roles=who.roles),
        },
    )


@sign_in_required
@require_safe
def board_pack_pdf_view(request: HttpRequest, meeting_id: str) -> HttpResponse:
    partnership, who = _current(request)
    meeting = selectors.meeting_get(partnership=partnership, meeting_id=meeting_id)
    pack = meeting.packs.filter(status=BoardPack.Status.READY).first()
    if pack is None or not pack.pdf:
        raise Http404("No board pack has been made for this meeting yet")
    audit_record(
        actor=request.user,
        verb="board_pack.downloaded",
        target=pack,
        partnership=partnership,
        request=request,
    )
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    name = f"board-pack-{meeting.date:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the scrutiny committee's annual review -----------------------------------------------------


@sign_in_required
@require_safe
def scrutiny_list_view(request: HttpRequest) -> HttpResponse:
    partnership, who = _current(request)
    return render(
        request,
        "indicators/scrutiny_list.html",
        {
            "partnership": partnership,
            "reviews": list(ScrutinyReview.objects.filter(partnership=partnership)),
            "can_manage": permissions.can_manage_indicators(request.user, roles=who.roles),
        },
    )


def _review(partnership: Any, review_id: str) -> ScrutinyReview:
    review = ScrutinyReview.objects.filter(partnership=partnership, pk=review_id).first()
    if review is None:
        raise Http404("No such annual review")
    return review


@sign_in_required
@require_http_methods(GET_POST)
def scrutiny_edit_view(request: HttpRequest, review_id: str | None = None) -> HttpResponse:
    partnership, who = _current(request)
    review = _review(partnership, review_id) if review_id else None
    if not permissions.can_manage_indicators(request.user, roles=who.roles):
        raise PermissionDenied(scrutiny.NOT_ALLOWED)
    initial: dict[str, Any] = {"year": timezone.localdate().year - 1}
    if review is not None:
        initial = {f: getattr(review, f) for f in (*scrutiny.TEXT_FIELDS, "year")}
        initial["plan"] = str(review.plan_id or "")
    form = ScrutinyForm(
        posted(request), plans=selectors.plan_list(partnership=partnership), initial=initial
    )
    if review is not None:
        form.fields["year"].disabled = True
        form.fields["plan"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            if review is None:
                review = scrutiny.scrutiny_create(
                    partnership=partnership,
                    by=request.user,
                    roles=who.roles,
                    data=form.service_data(),
                )
            else:
                scrutiny.scrutiny_update(
                    review=review, by=request.user, roles=who.roles, data=form.service_data()
                )
        except ApplicationError as error:
            error.add_to(form, "year")
        else:
            messages.success(request, "Annual review saved.")
            return redirect("indicators:scrutiny_detail", review_id=review.pk)
    return render(
        request,
        "indicators/scrutiny_form.html",
        {"partnership": partnership, "form": form, "review": review},
    )


@sign_in_required
@require_http_methods(GET_POST)
def scrutiny_detail_view(request: HttpRequest, review_id: str) -> HttpResponse:
    partnership, who = _current(request)
    review = _review(partnership, review_id)
    can_manage = permissions.can_manage_indicators(request.user, roles=who.roles)
    form = RecommendationForm(posted(request))
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(scrutiny.NOT_ALLOWED)
        if form.is_valid():
            try:
                scrutiny.recommendation_add(
                    review=review, by=request.user, roles=who.roles, text=form.cleaned_data["text"]
                )
            except ApplicationError as error:
                error.add_to(form, "text")
            else:
                messages.success(request, "Recommendation added.")
                return redirect("indicators:scrutiny_detail", review_id=review.pk)
    context = scrutiny.scrutiny_context(review)
    context.update({"form": form, "can_manage": can_manage})
    return render(request, "indicators/scrutiny_detail.html", context)


@sign_in_required
@require_http_methods(GET_POST)
def scrutiny_respond_view(
    request: HttpRequest, review_id: str, recommendation_id: str
) -> HttpResponse:
    partnership, who = _current(request)
    review = _review(partnership, review_id)
    recommendation = review.committee_recommendations.filter(pk=recommendation_id).first()
    if recommendation is None:
        raise Http404("No such recommendation")
    if not permissions.can_manage_indicators(request.user, roles=who.roles):
        raise PermissionDenied(scrutiny.NOT_ALLOWED)
    form = ResponseForm(posted(request), initial={"response": recommendation.response})
    if request.method == "POST" and form.is_valid():
        try:
            scrutiny.recommendation_respond(
                recommendation=recommendation,
                by=request.user,
                roles=who.roles,
                response=form.cleaned_data["response"],
            )
        except ApplicationError as error:
            error.add_to(form, "response")
        else:
            messages.success(request, "Response saved.")
            return redirect("indicators:scrutiny_detail", review_id=review.pk)
    return render(
        request,
        "indicators/scrutiny_respond.html",
        {
            "partnership": partnership,
            "review": review,
            "recommendation": recommendation,
            "form": form,
        },
    )


@sign_in_required
@require_safe
def scrutiny_pdf_view(request: HttpRequest, review_id: str) -> HttpResponse:
    partnership, who = _current(request)
    review = _review(partnership, review_id)
    response = HttpResponse(
        scrutiny.scrutiny_pdf(review, by=request.user), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="annual-review-{review.year}.pdf"'
    return response


@sign_in_required
@require_http_methods(GET_POST)
def meeting_item_action_view(request: HttpRequest, meeting_id: str, item_id: str) -> HttpResponse:
    partnership, who = _current(request)
    meeting = selectors.meeting_get(partnership=partnership, meeting_id=meeting_id)
    item = meeting.items.filter(pk=item_id, kind="action").first()
    if item is None:
        raise Http404("No such action arising")
    if not permissions.can_manage_meetings(request.user, roles=who.roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_MEETINGS)
    plan = meeting.plan or selectors.plan_current(partnership=partnership)
    form = ItemToActionForm(
        posted(request),
        priorities=selectors.priority_list(plan=plan) if plan is not None else [],
        organisations=list(organisation_list_for_partnership(partnership=partnership)),
        initial={"intervention_level": "problem_solving"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.meeting_item_to_action(
                item=item, by=request.user, roles=who.roles, **form.service_data()
            )
        except ApplicationError as error:
            error.add_to(form, "priority")
        else:
            messages.success(request, "The action is now in the plan.")
            return redirect("indicators:meeting", meeting_id=meeting.pk)
    return render(
        request,
        "indicators/item_action.html",
        {
            "partnership": partnership,
            "meeting": meeting,
            "item": item,
            "form": form,
            "plan": plan,
        },
    )
