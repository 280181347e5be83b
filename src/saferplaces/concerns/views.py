"""Staff pages for residents' concerns: the queue, one concern (triage, notes, updates,
duplicates, closing), the photo, and the community intelligence counts with a CSV.

Thin: the selector applies visibility (404 when not visible), the permission predicates decide
what is offered, and each write is one service call. Each showing of personal data is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.models import Organisation, User
from saferplaces.accounts.selectors import partnership_get_current
from saferplaces.concerns import forms as f
from saferplaces.concerns import permissions as perms
from saferplaces.concerns import selectors, services
from saferplaces.concerns.categories import BY_KEY, category_label
from saferplaces.concerns.models import Concern, Status
from saferplaces.concerns.photos import photo_path
from saferplaces.core.exceptions import ApplicationError
from saferplaces_reports.tables import Table, csv_download

GET_POST = ["GET", "HEAD", "POST"]


def _current(request: HttpRequest) -> tuple[Any, selectors.StaffAccess]:
    partnership = partnership_get_current(request)
    return partnership, selectors.staff_access(user=request.user, partnership=partnership)


def _concern(request: HttpRequest, concern_id: Any) -> tuple[Concern, selectors.StaffAccess]:
    partnership, access = _current(request)
    concern = selectors.concern_get_visible(
        partnership=partnership, access=access, concern_id=concern_id
    )
    return concern, access


@sign_in_required
@require_safe
def list_view(request: HttpRequest) -> HttpResponse:
    partnership, access = _current(request)
    form = f.QueueFilterForm(
        request.GET or None,
        areas=selectors.area_choices(partnership=partnership),
        organisations=selectors.organisation_choices(partnership=partnership),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    concerns = list(
        selectors.concern_queue(
            partnership=partnership,
            access=access,
            status=filters.get("status", ""),
            category=filters.get("category", ""),
            area=filters.get("area", ""),
            organisation=filters.get("organisation", ""),
        )[:500]
    )
    today = timezone.localdate()
    rows = [
        {
            "concern": c,
            "category": category_label(c.category),
            "overdue": selectors.is_overdue(c, today),
        }
        for c in concerns
    ]
    return render(
        request,
        "concerns/staff/list.html",
        {
            "partnership": partnership,
            "form": form,
            "rows": rows,
            "sees_all": perms.roles_see_all_concerns(access.roles),
            "counts": selectors.concern_status_counts(partnership=partnership, access=access),
        },
    )


def _detail_context(
    request: HttpRequest, concern: Concern, access: selectors.StaffAccess, **forms: Any
) -> dict[str, Any]:
    sees_personal = perms.can_see_personal_data(
        concern, roles=access.roles, organisation_ids=access.organisation_ids
    )
    can_act = perms.can_act_on_concern(
        concern, roles=access.roles, acting_organisation_ids=access.acting_organisation_ids
    )
    if sees_personal:  # every page that shows it, including a form shown again with errors
        services.concern_personal_data_viewed(
            concern=concern, by=request.user, what="details", request=request
        )
    organisation = concern.assigned_organisation
    is_open = concern.status != Status.CLOSED
    return {
        "concern": concern,
        "category": category_label(concern.category),
        "sensitive": bool(BY_KEY.get(concern.category) and BY_KEY[concern.category].sensitive),
        "sees_personal": sees_personal,
        "can_act": can_act and is_open,
        "overdue": selectors.is_overdue(concern),
        "timeline": list(concern.events.select_related("by", "organisation")),
        "duplicates": services.duplicate_candidates(concern) if can_act and is_open else [],
        "marked_duplicates": list(concern.duplicates.all()),
        "assign_form": forms.get("assign_form")
        or f.AssignForm(
            organisations=selectors.organisation_choices(partnership=concern.partnership),
            officers=selectors.officer_choices(organisation=organisation) if organisation else [],
            initial={
                "organisation": str(organisation.pk) if organisation else "",
                "officer": str(concern.assigned_officer_id or ""),
            },
        ),
        "note_form": forms.get("note_form") or f.NoteForm(),
        "close_form": forms.get("close_form") or f.CloseForm(),
        "duplicate_form": forms.get("duplicate_form") or f.DuplicateForm(),
        "page_has_errors": any(form.errors for form in forms.values() if form.is_bound),
    }


@sign_in_required
@require_safe
def detail_view(request: HttpRequest, concern_id: Any) -> HttpResponse:
    concern, access = _concern(request, concern_id)
    return render(request, "concerns/staff/detail.html", _detail_context(request, concern, access))


@sign_in_required
@require_safe
def photo_view(request: HttpRequest, concern_id: Any) -> HttpResponse:
    concern, access = _concern(request, concern_id)
    if not perms.can_see_personal_data(
        concern, roles=access.roles, organisation_ids=access.organisation_ids
    ):
        raise PermissionDenied(perms.NOT_ALLOWED_ACT)
    path = photo_path(concern.photo_name)
    if path is None:
        raise Http404("No photo")
    services.concern_personal_data_viewed(
        concern=concern, by=request.user, what="photo", request=request
    )
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


def _refused_or_form(
    request: HttpRequest,
    concern: Concern,
    access: Any,
    key: str,
    form: Any,
    error: ApplicationError,
) -> HttpResponse:
    error.add_to(form)
    return render(
        request,
        "concerns/staff/detail.html",
        _detail_context(request, concern, access, **{key: form}),
        status=200,
    )


@sign_in_required
@require_POST
def assign_view(request: HttpRequest, concern_id: Any) -> HttpResponse:
    concern, access = _concern(request, concern_id)
    organisations = selectors.organisation_choices(partnership=concern.partnership)
    chosen = (
        Organisation.objects.filter(
            partnership=concern.partnership, pk=request.POST.get("organisation") or None
        ).first()
        if _uuid(request.POST.get("organisation"))
        else None
    )
    form = f.AssignForm(
        request.POST,
        organisations=organisations,
        officers=selectors.officer_choices(organisation=chosen) if chosen else [],
    )
    if form.is_valid() and chosen is not None:
        officer_id = form.cleaned_data.get("officer")
        officer = User.objects.filter(pk=officer_id).first() if officer_id else None
        try:
            services.concern_assign(
                concern=concern,
                by=request.user,
                access=access,
                organisation=chosen,
                officer=officer,
            )
        except ApplicationError as error:
            return _refused_or_form(request, concern, access, "assign_form", form, error)
        messages.success(request, f"{concern.reference} passed to {chosen.name}")
        return redirect("concerns:detail", concern_id=concern.pk)
    if not perms.can_assign_concern(
        concern, roles=access.roles, acting_organisation_ids=access.acting_organisation_ids
    ):
        raise PermissionDenied(perms.NOT_ALLOWED_ASSIGN)
    return render(
        request,
        "concerns/staff/detail.html",
        _detail_context(request, concern, access, assign_form=form),
    )


def _uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@sign_in_required
@require_POST
def note_view(request: HttpRequest, concern_id: Any) -> HttpResponse:
    concern, access = _concern(request, concern_id)
    form = f.NoteForm(request.POST)
    if form.is_valid():
        try:
            services.concern_note(
                concern=concern,
                by=request.user,
                access=access,
                text=form.cleaned_data["text"],
                public=form.cleaned_data["kind"] == "update",
            )
        except ApplicationError as error:
            return _refused_or_form(request, concern, access, "note_form", form, error)
        messages.success(
            request, "Update posted" if form.cleaned_data["kind"] == "update" else "Note added"
        )
        return redirect("concerns:detail", concern_id=concern.pk)
    return render(
        request,
        "concerns/staff/detail.html",
        _detail_context(request, concern, access, note_form=form),
    )


@sign_in_required
@require_POST
def close_view(request: HttpRequest, concern_id: Any) -> HttpResponse:
    concern, access = _concern(request, concern_id)
    form = f.CloseForm(request.POST)
    if form.is_valid():
        try:
            services.concern_close(
                concern=concern,
                by=request.user,
                access=access,
                outcome=form.cleaned_data["outcome"],
                public_outcome=form.cleaned_data["public_outcome"],
            )
        except ApplicationError as error:
            return _refused_or_form(request, concern, access, "close_form", form, error)
        messages.success(request, f"{concern.reference} closed")
        return redirect("concerns:detail", concern_id=concern.pk)
    return render(
        request,
        "concerns/staff/detail.html",
        _detail_context(request, concern, access, close_form=form),
    )


@sign_in_required
@require_POST
def duplicate_view(request: HttpRequest, concern_id: Any) -> HttpResponse:
    concern, access = _concern(request, concern_id)
    form = f.DuplicateForm(request.POST)
    if form.is_valid():
        reference = form.cleaned_data["original"].strip().upper()
        original = Concern.objects.filter(
            partnership=concern.partnership, reference=reference
        ).first()
        if original is None:
            form.add_error("original", f"There is no concern {reference} in this partnership")
        else:
            try:
                services.concern_mark_duplicate(
                    concern=concern, by=request.user, access=access, original=original
                )
            except ApplicationError as error:
                return _refused_or_form(request, concern, access, "duplicate_form", form, error)
            messages.success(request, f"{concern.reference} marked as a duplicate of {reference}")
            return redirect("concerns:detail", concern_id=concern.pk)
    return render(
        request,
        "concerns/staff/detail.html",
        _detail_context(request, concern, access, duplicate_form=form),
    )


def _intelligence_table(partnership: Any) -> Table:
    counts = selectors.concern_counts(partnership=partnership)
    return Table(
        key="concerns-by-area-category-month",
        title="Residents' concerns by area, category and month",
        columns=("Month", "Area", "Area code", "Category", "Concerns"),
        rows=tuple(
            (
                r["month"].strftime("%Y-%m"),
                r["area_name"],
                r["area_code"],
                r["category"],
                r["count"],
            )
            for r in counts.rows
        ),
        notes=(
            "Concerns reported by residents through this site; duplicates counted once. "
            "No personal data. Areas are 2021 small areas (LSOAs) found from the postcode or "
            "map pin; 'Place described only' had neither.",
        ),
    )


@sign_in_required
@require_safe
def intelligence_view(request: HttpRequest) -> HttpResponse:
    partnership, _access = _current(request)
    counts = selectors.concern_counts(partnership=partnership)
    chart = None
    if counts.by_category:
        from saferplaces_reports.charts import bars

        chart = bars(
            [label for label, _ in counts.by_category],
            [n for _, n in counts.by_category],
            title="Concerns by category",
            x_label="Concerns",
        )
    return render(
        request,
        "concerns/staff/intelligence.html",
        {
            "partnership": partnership,
            "counts": counts,
            "table": _intelligence_table(partnership),
            "chart": chart,
        },
    )


@sign_in_required
@require_safe
def intelligence_csv_view(request: HttpRequest) -> HttpResponse:
    partnership, _access = _current(request)
    table = _intelligence_table(partnership)
    response = HttpResponse(csv_download(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table.key}.csv"'
    return response
