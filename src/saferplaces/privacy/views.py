"""Privacy notice per purpose; a resident's copy of their data and its erasure (no account).

The request page says the same whether or not the address is known, and sends a link only to
the address; the link (signed, 1 hour) is what opens the resident's data.
"""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.forms_govuk import posted
from saferplaces.core.privacy import privacy_purposes
from saferplaces.core.public_forms import public_form_rate_limit
from saferplaces.privacy import services
from saferplaces.privacy.forms import AccessRequestForm

GET_POST = ["GET", "HEAD", "POST"]


@require_safe
def purpose_view(request: HttpRequest, key: str) -> HttpResponse:
    purpose = next((p for p in privacy_purposes() if p.key == key), None)
    if purpose is None:
        raise Http404("No such purpose")
    return render(request, "privacy/purpose.html", {"purpose": purpose})


@public_form_rate_limit("privacy")
@require_http_methods(GET_POST)
def request_view(request: HttpRequest) -> HttpResponse:
    form = AccessRequestForm(posted(request))
    if request.method == "POST":
        if form.honeypot_filled():
            return redirect("privacy:request_sent")
        if form.is_valid():
            services.subject_access_request(email=form.cleaned_data["email"])
            return redirect("privacy:request_sent")
    return render(request, "privacy/request.html", {"form": form})


@require_safe
def request_sent_view(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/request_sent.html", {})


def _not_valid(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    return render(request, "privacy/link_not_valid.html", {"message": error.message}, status=400)


@never_cache
@require_safe
def subject_view(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        email = services.email_from_link(signed)
    except ApplicationError as error:
        return _not_valid(request, error)
    sources = services.subject_export(email)
    services.subject_access_record(email=email, download=False)
    return render(
        request,
        "privacy/subject.html",
        {
            "email": email,
            "signed": signed,
            "sources": sources,
            "holds_anything": any(s.holds_anything for s in sources),
        },
    )


@never_cache
@require_safe
def download_view(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        email = services.email_from_link(signed)
    except ApplicationError as error:
        return _not_valid(request, error)
    sources = services.subject_export(email)
    services.subject_access_record(email=email, download=True)
    response = HttpResponse(
        json.dumps(services.subject_export_json(sources), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="your-data.json"'
    return response


@never_cache
@public_form_rate_limit("privacy")
@require_http_methods(GET_POST)
def erase_view(request: HttpRequest, signed: str) -> HttpResponse:
    """GET asks "are you sure?"; POST erases on every source at once, then shows what is kept."""
    try:
        email = services.email_from_link(signed)
    except ApplicationError as error:
        return _not_valid(request, error)
    if request.method == "POST":
        changed = services.subject_erase(email=email)
        remaining = [s for s in services.subject_export(email) if s.holds_anything]
        return render(
            request,
            "privacy/erased.html",
            {"changed": sum(changed.values()), "remaining": remaining},
        )
    sources = services.subject_export(email)
    return render(
        request,
        "privacy/erase.html",
        {
            "signed": signed,
            "email": email,
            "sources": [s for s in sources if s.holds_anything],
        },
    )
