"""The resident's pages: one question per page, answers kept in the session, then "Check your
answers", a confirmation with the reference, and the status page (reopen within 28 days).

No sign-in. Every POST is rate limited per address; the send button carries the honeypot and
the idempotency key (core.public_forms).
"""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from saferplaces.accounts.models import Partnership
from saferplaces.concerns import forms as f
from saferplaces.concerns.categories import BY_KEY, category_label, grouped
from saferplaces.concerns.locate import PinError, pin_place
from saferplaces.concerns.models import Concern, EventKind, LocationMethod, Status, TimeOfDay
from saferplaces.concerns.photos import photo_delete, photo_store
from saferplaces.concerns.postcodes import PostcodeError, district_names, postcode_place
from saferplaces.concerns.selectors import concern_get_by_token
from saferplaces.concerns.services import (
    REOPEN_DAYS,
    concern_reopen,
    concern_status_link_send,
    concern_submit,
)
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.forms_govuk import posted
from saferplaces.core.public_forms import public_form_rate_limit

ANSWERS = "concerns.answers"
SENT = "concerns.sent"
GET_POST = ["GET", "HEAD", "POST"]
STEPS = ("what", "where", "when", "description", "photo", "contact")
# The answer each step leaves in the session (so a step cannot be skipped by typing its URL).
STEP_DONE = {
    "what": "category",
    "where": "location_method",
    "when": "time_of_day",
    "description": "description",
    "photo": "photo_done",
    "contact": "anonymous",
}


def _answers(request: HttpRequest) -> dict[str, Any]:
    return dict(request.session.get(ANSWERS) or {})


def _save(request: HttpRequest, answers: dict[str, Any]) -> None:
    request.session[ANSWERS] = answers


def _first_missing(answers: dict[str, Any]) -> str | None:
    for step in STEPS:
        if STEP_DONE[step] not in answers:
            return step
    return None


def _guard(request: HttpRequest, step: str) -> HttpResponse | None:
    """Send the resident back to the first unanswered question before ``step``."""
    missing = _first_missing(_answers(request))
    if missing is not None and STEPS.index(missing) < STEPS.index(step):
        return redirect(f"concerns_public:{missing}")
    return None


def _next(request: HttpRequest, step: str) -> HttpResponse:
    if request.GET.get("change") and _first_missing(_answers(request)) is None:
        return redirect("concerns_public:check")
    following = STEPS[STEPS.index(step) + 1] if step != STEPS[-1] else "check"
    return redirect(f"concerns_public:{following}")


def _page(request: HttpRequest, template: str, form: Any, **context: Any) -> HttpResponse:
    return render(
        request,
        f"concerns/public/{template}",
        {
            "form": form,
            "page_has_errors": bool(form.is_bound and form.errors),
            "back": context.pop("back", None),
            **context,
        },
    )


def _partnerships() -> list[Partnership]:
    return list(Partnership.objects.order_by("name"))


def _served(partnerships: list[Partnership]) -> str:
    names = district_names()
    districts = [names.get(code, code) for p in partnerships for code in (p.lad_codes or [])]
    if not districts:
        return " or ".join(p.name for p in partnerships) or "this partnership's area"
    return " or ".join(sorted(set(districts)))


@require_safe
def start_view(request: HttpRequest) -> HttpResponse:
    return render(request, "concerns/public/start.html", {"partnerships": _partnerships()})


@public_form_rate_limit("concerns")
@require_http_methods(GET_POST)
def what_view(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    form = f.WhatForm(posted(request), initial={"category": answers.get("category")})
    if form.is_valid():
        answers["category"] = form.cleaned_data["category"]
        _save(request, answers)
        return _next(request, "what")
    return _page(
        request, "what.html", form, groups=grouped(), back=reverse("concerns_public:start")
    )


def _place_from(form: f.WhereForm, partnerships: list[Partnership]) -> dict[str, Any] | None:
    """The place answers for the session, or None after adding the error to the form."""
    data = form.cleaned_data
    method = data["method"]
    served = _served(partnerships)
    if method == LocationMethod.POSTCODE:
        try:
            place = postcode_place(data["postcode"])
        except PostcodeError as error:
            form.add_error("postcode", str(error))
            return None
        chosen = [p for p in partnerships if place.lad_code in (p.lad_codes or [])]
        if not chosen:
            form.add_error(
                "postcode",
                (
                    f"That postcode is in {place.lad_name}, not {served}: report it to "
                    f"{place.lad_name} council, or call 101 for the police"
                ),
            )
            return None
        return {
            "partnership_id": str(chosen[0].pk),
            "postcode": place.postcode,
            "lsoa_code": place.lsoa_code,
            "lsoa_name": place.lsoa_name,
        }
    if method == LocationMethod.PIN:
        lads = {code for p in partnerships for code in (p.lad_codes or [])}
        try:
            found = pin_place(float(data["latitude"]), float(data["longitude"]), lads)
        except PinError as error:
            form.add_error("method", str(error))
            return None
        if found is None:
            form.add_error(
                "method",
                (
                    f"That pin is outside {served}. Move the pin, or report the problem to the "
                    "council where it is"
                ),
            )
            return None
        chosen = [p for p in partnerships if found.lad_code in (p.lad_codes or [])]
        return {
            "partnership_id": str(chosen[0].pk),
            # Six decimal places (about 10 cm) is all the column keeps.
            "latitude": f"{data['latitude']:.6f}",
            "longitude": f"{data['longitude']:.6f}",
            "lsoa_code": found.lsoa_code,
            "lsoa_name": found.lsoa_name,
        }
    if not partnerships:
        form.add_error("method", "No partnership has been set up here yet")
        return None
    # A description alone cannot say which partnership; with one on the site it is that one.
    if len(partnerships) > 1:
        form.add_error(
            "method",
            "Enter a postcode or put a pin on the map, so we know which area the problem is in",
        )
        return None
    return {"partnership_id": str(partnerships[0].pk)}


@public_form_rate_limit("concerns")
@require_http_methods(GET_POST)
def where_view(request: HttpRequest) -> HttpResponse:
    if (guard := _guard(request, "where")) is not None:
        return guard
    answers = _answers(request)
    form = f.WhereForm(
        posted(request),
        initial={
            "method": answers.get("location_method"),
            "postcode": answers.get("postcode"),
            "latitude": answers.get("latitude"),
            "longitude": answers.get("longitude"),
            "place_description": answers.get("place_description"),
        },
    )
    if form.is_valid():
        place = _place_from(form, _partnerships())
        if place is not None:
            for key in ("postcode", "latitude", "longitude", "lsoa_code", "lsoa_name"):
                answers.pop(key, None)
            answers.update(place)
            answers["location_method"] = form.cleaned_data["method"]
            answers["place_description"] = form.cleaned_data["place_description"]
            _save(request, answers)
            return _next(request, "where")
    response = _page(request, "where.html", form, back=reverse("concerns_public:what"))
    # This page alone may ask for the phone's location ("Use my current location"); the
    # site-wide policy (core's security headers, set only when a view has not) forbids it.
    policy = settings.SAFERPLACES_PERMISSIONS_POLICY
    response.headers["Permissions-Policy"] = re.sub(
        r"geolocation=\(\)", "geolocation=(self)", policy
    )
    return response


@public_form_rate_limit("concerns")
@require_http_methods(GET_POST)
def when_view(request: HttpRequest) -> HttpResponse:
    if (guard := _guard(request, "when")) is not None:
        return guard
    answers = _answers(request)
    initial: dict[str, Any] = {"time_of_day": answers.get("time_of_day")}
    if "ongoing" in answers:
        initial["when"] = "ongoing" if answers["ongoing"] else "date"
    if answers.get("happened_on"):
        year, month, day = answers["happened_on"].split("-")
        initial.update(when_day=int(day), when_month=int(month), when_year=int(year))
    form = f.WhenForm(posted(request), initial=initial)
    if form.is_valid():
        answers["ongoing"] = form.cleaned_data["when"] == "ongoing"
        happened = form.cleaned_data.get("happened_on")
        answers["happened_on"] = happened.isoformat() if happened and not answers["ongoing"] else ""
        answers["time_of_day"] = form.cleaned_data["time_of_day"]
        _save(request, answers)
        return _next(request, "when")
    return _page(request, "when.html", form, back=reverse("concerns_public:where"))


@public_form_rate_limit("concerns")
@require_http_methods(GET_POST)
def description_view(request: HttpRequest) -> HttpResponse:
    if (guard := _guard(request, "description")) is not None:
        return guard
    answers = _answers(request)
    form = f.DescriptionForm(posted(request), initial={"description": answers.get("description")})
    if form.is_valid():
        answers["description"] = form.cleaned_data["description"]
        _save(request, answers)
        return _next(request, "description")
    return _page(request, "description.html", form, back=reverse("concerns_public:when"))


@public_form_rate_limit("concerns")
@require_http_methods(GET_POST)
def photo_view(request: HttpRequest) -> HttpResponse:
    if (guard := _guard(request, "photo")) is not None:
        return guard
    answers = _answers(request)
    if request.method == "POST" and request.POST.get("remove") == "yes":
        photo_delete(answers.pop("photo_name", ""))
        _save(request, answers)
        return redirect("concerns_public:photo")
    form = f.PhotoForm(posted(request), request.FILES or None)
    if form.is_valid():
        cleaned = form.cleaned_data.get("photo")
        if cleaned:
            photo_delete(answers.get("photo_name", ""))
            answers["photo_name"] = photo_store(cleaned)
        answers["photo_done"] = True
        _save(request, answers)
        return _next(request, "photo")
    return _page(
        request,
        "photo.html",
        form,
        has_photo=bool(answers.get("photo_name")),
        back=reverse("concerns_public:description"),
    )


@public_form_rate_limit("concerns")
@require_http_methods(GET_POST)
def contact_view(request: HttpRequest) -> HttpResponse:
    if (guard := _guard(request, "contact")) is not None:
        return guard
    answers = _answers(request)
    initial = {k: answers.get(k) for k in ("name", "email", "phone")}
    if "anonymous" in answers:
        initial["anonymous"] = "yes" if answers["anonymous"] else "no"
    form = f.ContactForm(posted(request), initial=initial)
    if form.is_valid():
        anonymous = form.cleaned_data["anonymous"] == "yes"
        answers["anonymous"] = anonymous
        for key in ("name", "email", "phone"):
            answers[key] = "" if anonymous else form.cleaned_data[key]
        _save(request, answers)
        return _next(request, "contact")
    return _page(request, "contact.html", form, back=reverse("concerns_public:photo"))


def _sent(request: HttpRequest, concern: Concern | None) -> HttpResponse:
    request.session.pop(ANSWERS, None)
    if concern is None:  # the honeypot: the same page, a reference that leads nowhere
        request.session[SENT] = {
            "reference": f"C-{timezone.localdate().year}-{secrets.randbelow(90000) + 10000:05d}",
            "token": "",
        }
    else:
        request.session[SENT] = {
            "reference": concern.reference,
            "token": concern.token,
            "email": bool(concern.contact_email and not concern.anonymous),
        }
    return redirect("concerns_public:confirmation")


@public_form_rate_limit("concerns")
@require_http_methods(GET_POST)
def check_view(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    form = f.SubmitForm(posted(request))
    if request.method == "POST":
        if form.honeypot_filled():
            photo_delete(answers.get("photo_name", ""))
            return _sent(request, None)
        if form.is_valid():
            key = form.key()
            # A second send of the same form (double click, retry) finds the first, even
            # after its answers have left the session.
            existing = Concern.objects.filter(submission_key=key).first()
            if existing is not None:
                return _sent(request, existing)
            missing = _first_missing(answers)
            if missing is not None:
                return redirect(f"concerns_public:{missing}")
            partnership = Partnership.objects.filter(pk=answers.get("partnership_id")).first()
            if partnership is None:
                return redirect("concerns_public:where")
            try:
                concern, _ = concern_submit(partnership=partnership, answers=answers, key=key)
            except ApplicationError as error:
                error.add_to(form)
            else:
                return _sent(request, concern)
    elif (missing := _first_missing(answers)) is not None:
        return redirect(f"concerns_public:{missing}")
    return _page(
        request,
        "check.html",
        form,
        answers=answers,
        rows=_summary_rows(answers),
        back=reverse("concerns_public:contact"),
    )


def _summary_rows(answers: dict[str, Any]) -> list[dict[str, Any]]:
    def change(step: str) -> str:
        return reverse(f"concerns_public:{step}") + "?change=1"

    method = answers.get("location_method")
    if method == LocationMethod.POSTCODE:
        where = f"{answers.get('postcode')} ({answers.get('lsoa_name')})"
    elif method == LocationMethod.PIN:
        where = f"Pin on the map ({answers.get('lsoa_name')})"
    else:
        where = "Described below"
    if answers.get("place_description"):
        where += f"\n{answers['place_description']}"
    if answers.get("ongoing"):
        when = "It is ongoing"
    else:
        when = answers.get("happened_on") or ""
        if when:
            when = f"{date.fromisoformat(when):%-d %B %Y}"
    when += f"\n{TimeOfDay(answers['time_of_day']).label}" if answers.get("time_of_day") else ""
    if answers.get("anonymous", True):
        contact = "Anonymous: no contact details"
    else:
        contact = "\n".join(
            x for x in (answers.get("name"), answers.get("email"), answers.get("phone")) if x
        )
    return [
        {
            "key": "What",
            "value": category_label(answers.get("category", "")),
            "href": change("what"),
            "what": "what the concern is about",
        },
        {"key": "Where", "value": where, "href": change("where"), "what": "where it is"},
        {"key": "When", "value": when, "href": change("when"), "what": "when it happened"},
        {
            "key": "Description",
            "value": answers.get("description", ""),
            "href": change("description"),
            "what": "the description",
        },
        {
            "key": "Photo",
            "value": "1 photo added" if answers.get("photo_name") else "No photo",
            "href": change("photo"),
            "what": "the photo",
        },
        {
            "key": "Your details",
            "value": contact,
            "href": change("contact"),
            "what": "your contact details",
        },
    ]


@require_safe
def confirmation_view(request: HttpRequest) -> HttpResponse:
    sent = request.session.get(SENT)
    if not sent:
        return redirect("concerns_public:start")
    return render(request, "concerns/public/confirmation.html", {"sent": sent})


def _timeline(concern: Concern) -> list[Any]:
    return list(concern.events.filter(public=True).order_by("created_at"))


@require_safe
def status_view(request: HttpRequest, token: str) -> HttpResponse:
    concern = concern_get_by_token(token)
    return render(request, "concerns/public/status.html", _status_context(concern))


def _status_context(concern: Concern) -> dict[str, Any]:
    now = timezone.now()
    can_reopen = (
        concern.status == Status.CLOSED
        and concern.closed_at is not None
        and (now - concern.closed_at).days < REOPEN_DAYS
        and concern.outcome != "duplicate"
    )
    return {
        "concern": concern,
        "category": category_label(concern.category),
        "timeline": _timeline(concern),
        "can_reopen": can_reopen,
        "reopen_days": REOPEN_DAYS,
        "closed": concern.status == Status.CLOSED,
        "kinds": EventKind,
        "reopen_until": concern.closed_at + timedelta(days=REOPEN_DAYS)
        if concern.closed_at
        else None,
        "sensitive": BY_KEY.get(concern.category) and BY_KEY[concern.category].sensitive,
    }


@public_form_rate_limit("concerns")
@require_http_methods(GET_POST)
def reopen_view(request: HttpRequest, token: str) -> HttpResponse:
    concern = concern_get_by_token(token)
    context = _status_context(concern)
    form = f.ReopenForm(posted(request))
    if form.is_valid() and context["can_reopen"]:
        try:
            concern_reopen(concern=concern, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            error.add_to(form, "reason")
        else:
            return redirect("concerns_public:status", token=concern.token)
    return render(
        request,
        "concerns/public/reopen.html",
        {
            **context,
            "form": form,
            "page_has_errors": bool(form.is_bound and form.errors),
        },
    )


@public_form_rate_limit("concerns")
@require_http_methods(GET_POST)
def find_view(request: HttpRequest) -> HttpResponse:
    """A resident who gave an e-mail address and lost the link asks for it again."""
    form = f.FindForm(posted(request))
    if request.method == "POST" and form.honeypot_filled():
        return render(request, "concerns/public/find_sent.html", {})
    if form.is_valid():
        concern_status_link_send(
            reference=form.cleaned_data["reference"], email=form.cleaned_data["email"]
        )
        return render(request, "concerns/public/find_sent.html", {})
    return _page(request, "find.html", form, back=reverse("concerns_public:start"))
