"""Neighbourhood pages: list, create, profile, change, delete and the downloads (thin views)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.permissions import roles_in_partnership
from saferplaces.accounts.selectors import partnership_get_current
from saferplaces.core.forms_govuk import posted
from saferplaces.neighbourhoods import selectors, services
from saferplaces.neighbourhoods.forms import DeleteForm, NeighbourhoodForm
from saferplaces.neighbourhoods.models import Neighbourhood
from saferplaces.neighbourhoods.permissions import (
    NOT_ALLOWED_EDIT,
    NOT_ALLOWED_VIEW,
    can_create_neighbourhood,
    can_edit_neighbourhood,
    can_view_neighbourhoods,
)


def _partnership(request: HttpRequest) -> Any:
    partnership = partnership_get_current(request)
    if partnership is None or not can_view_neighbourhoods(request.user, partnership):
        raise PermissionDenied(NOT_ALLOWED_VIEW)
    return partnership


def _neighbourhood(request: HttpRequest, neighbourhood_id: Any) -> Neighbourhood:
    return selectors.neighbourhood_get_visible(
        user=request.user, partnership=_partnership(request), neighbourhood_id=neighbourhood_id
    )


def _add_errors(form: NeighbourhoodForm, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


def _form(request: HttpRequest, partnership: Any, **kwargs: Any) -> NeighbourhoodForm:
    return NeighbourhoodForm(
        posted(request),
        request.FILES or None,
        organisations=selectors.owner_organisation_choices(
            user=request.user, partnership=partnership
        ),
        lsoas=selectors.partnership_lsoas(partnership=partnership),
        months=selectors.month_choices(),
        **kwargs,
    )


def _form_context(form: NeighbourhoodForm, partnership: Any, **extra: Any) -> dict[str, Any]:
    from saferplaces.analytics.maplinks import map_geojson_url, map_tiles

    chosen = set(form["lsoa_codes"].value() or [])
    return {
        "form": form,
        "partnership": partnership,
        "wards": selectors.lsoas_by_ward(partnership=partnership),
        "chosen": chosen,
        # The map to pick areas on (frontend/js/lsoa-picker.js): the crime map's default
        # GeoJSON for the partnership, kept warm by the server, so no second endpoint.
        "picker_geojson_url": map_geojson_url(),
        **map_tiles(),
        **extra,
    }


@sign_in_required
@require_GET
def neighbourhood_list_view(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    roles = roles_in_partnership(request.user, partnership)
    return render(
        request,
        "neighbourhoods/list.html",
        {
            "partnership": partnership,
            "neighbourhoods": selectors.neighbourhood_list_visible(
                user=request.user, partnership=partnership
            ),
            "can_create": can_create_neighbourhood(request.user, partnership, roles=roles),
        },
    )


@sign_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def neighbourhood_create_view(request: HttpRequest) -> HttpResponse:
    partnership = _partnership(request)
    if not can_create_neighbourhood(request.user, partnership):
        raise PermissionDenied(NOT_ALLOWED_EDIT)
    form = _form(request, partnership)
    if request.method == "POST" and form.is_valid():
        try:
            neighbourhood = services.neighbourhood_create(
                by=request.user, partnership=partnership, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"{neighbourhood.name} saved: {neighbourhood.n_lsoas} small "
                f"area{'s' if neighbourhood.n_lsoas != 1 else ''}.",
            )
            return redirect("neighbourhoods:profile", neighbourhood_id=neighbourhood.pk)
    return render(
        request, "neighbourhoods/form.html", _form_context(form, partnership, editing=None)
    )


@sign_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def neighbourhood_edit_view(request: HttpRequest, neighbourhood_id: Any) -> HttpResponse:
    neighbourhood = _neighbourhood(request, neighbourhood_id)
    partnership = neighbourhood.partnership
    if not can_edit_neighbourhood(request.user, neighbourhood):
        raise PermissionDenied(NOT_ALLOWED_EDIT)
    initial = {
        "name": neighbourhood.name,
        "description": neighbourhood.description,
        "owner_organisation": str(neighbourhood.owner_organisation_id),
        "sharing": neighbourhood.sharing,
        "baseline_month": neighbourhood.baseline_month.isoformat(),
        "method": Neighbourhood.Source.LIST,
        "lsoa_codes": list(neighbourhood.lsoa_codes),
    }
    form = _form(request, partnership, initial=initial)
    # The current owner stays a choice even for an analyst of another organisation.
    if str(neighbourhood.owner_organisation_id) not in form.organisations:
        owner = neighbourhood.owner_organisation
        form.organisations[str(owner.pk)] = owner
        form.fields["owner_organisation"].choices = [
            (k, o.name) for k, o in form.organisations.items()
        ]
    if request.method == "POST" and form.is_valid():
        try:
            services.neighbourhood_update(
                by=request.user, neighbourhood=neighbourhood, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{neighbourhood.name} saved.")
            return redirect("neighbourhoods:profile", neighbourhood_id=neighbourhood.pk)
    return render(
        request,
        "neighbourhoods/form.html",
        _form_context(form, partnership, editing=neighbourhood),
    )


@sign_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def neighbourhood_delete_view(request: HttpRequest, neighbourhood_id: Any) -> HttpResponse:
    neighbourhood = _neighbourhood(request, neighbourhood_id)
    if not can_edit_neighbourhood(request.user, neighbourhood):
        raise PermissionDenied(NOT_ALLOWED_EDIT)
    if request.method == "POST" and DeleteForm(request.POST).is_valid():
        name = neighbourhood.name
        services.neighbourhood_delete(by=request.user, neighbourhood=neighbourhood, request=request)
        messages.success(request, f"{name} deleted.")
        return redirect("neighbourhoods:list")
    return render(request, "neighbourhoods/delete.html", {"neighbourhood": neighbourhood})


def _profile_context(request: HttpRequest, neighbourhood: Neighbourhood) -> dict[str, Any]:
    data = selectors.neighbourhood_profile(neighbourhood=neighbourhood)
    return {
        "neighbourhood": neighbourhood,
        "partnership": neighbourhood.partnership,
        "data": data,
        "p": data.profile,
        "tables": _tables(data),
        "can_edit": can_edit_neighbourhood(request.user, neighbourhood),
    }


def _tables(data: selectors.ProfileData) -> list[Any]:
    from saferplaces.neighbourhoods.documents import profile_tables

    return profile_tables(data.profile) if data.state == selectors.READY else []


@sign_in_required
@require_GET
def neighbourhood_profile_view(request: HttpRequest, neighbourhood_id: Any) -> HttpResponse:
    neighbourhood = _neighbourhood(request, neighbourhood_id)
    context = _profile_context(request, neighbourhood)
    services.neighbourhood_view_record(
        user=request.user, neighbourhood=neighbourhood, request=request,
        state=context["data"].state, catalogue_version=context["data"].catalogue_version,
    )  # fmt: skip
    return render(request, "neighbourhoods/profile.html", context)


def _download(
    request: HttpRequest, neighbourhood_id: Any, kind: str, table: str = ""
) -> tuple[Neighbourhood, dict[str, Any]]:
    neighbourhood = _neighbourhood(request, neighbourhood_id)
    context = _profile_context(request, neighbourhood)
    if context["data"].state != selectors.READY:
        raise Http404("No figures to download yet")
    services.neighbourhood_export_record(
        user=request.user, neighbourhood=neighbourhood, request=request, format=kind,
        table=table, catalogue_version=context["data"].catalogue_version,
    )  # fmt: skip
    return neighbourhood, context


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@sign_in_required
@require_GET
def neighbourhood_csv_view(request: HttpRequest, neighbourhood_id: Any, table: str) -> HttpResponse:
    from saferplaces.neighbourhoods.documents import file_stem, table_csv

    neighbourhood, context = _download(request, neighbourhood_id, "csv", table)
    found = next((t for t in context["tables"] if t.key == table), None)
    if found is None:
        raise Http404("No such table")
    return _attachment(
        table_csv(found), "text/csv; charset=utf-8", f"{file_stem(neighbourhood)}-{table}.csv"
    )


@sign_in_required
@require_GET
def neighbourhood_xlsx_view(request: HttpRequest, neighbourhood_id: Any) -> HttpResponse:
    from saferplaces.neighbourhoods.documents import XLSX_TYPE, file_stem, profile_xlsx

    neighbourhood, context = _download(request, neighbourhood_id, "xlsx")
    body = profile_xlsx(neighbourhood.name, context["p"], context["tables"])
    return _attachment(body, XLSX_TYPE, f"{file_stem(neighbourhood)}.xlsx")


@sign_in_required
@require_GET
def neighbourhood_pdf_view(request: HttpRequest, neighbourhood_id: Any) -> HttpResponse:
    from saferplaces.neighbourhoods.documents import file_stem, profile_pdf

    neighbourhood, context = _download(request, neighbourhood_id, "pdf")
    body = profile_pdf(request, context)
    return _attachment(body, "application/pdf", f"{file_stem(neighbourhood)}.pdf")
