"""Alerts pages: residents sign up, confirm, change and unsubscribe (no account; the links'
secrets are the guard); staff write an alert, see how many it will reach, and send it.

Staff pages show counts only: no view here renders a subscriber's e-mail address.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.selectors import (
    partnership_and_roles_current,
    partnership_list_public,
)
from saferplaces.alerts import permissions, selectors, services
from saferplaces.alerts.forms import (
    AlertForm,
    AreaForm,
    EmailForm,
    ManageForm,
    TopicsForm,
    split_area,
)
from saferplaces.alerts.models import Subscription
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.forms_govuk import posted
from saferplaces.core.public_forms import public_form_rate_limit

GET_POST = ["GET", "HEAD", "POST"]


# --- residents -------------------------------------------------------------------------------


# Sign-up asks one thing per page (area, topics, then the address and agreement); the answers
# wait in the session until the last page stores them.
SIGNUP_SESSION_KEY = "saferplaces.alerts.signup"


def _answers(request: HttpRequest) -> dict[str, Any]:
    return dict(request.session.get(SIGNUP_SESSION_KEY) or {})


def _remember(request: HttpRequest, **answers: Any) -> None:
    request.session[SIGNUP_SESSION_KEY] = {**_answers(request), **answers}


@require_http_methods(GET_POST)
def signup_view(request: HttpRequest) -> HttpResponse:
    """The start: what alerts are, and (when there is a choice) which area."""
    partnerships = list(partnership_list_public())
    form = AreaForm(
        posted(request), partnerships=partnerships, initial={"area": _answers(request).get("area")}
    )
    choices = form.fields["area"].choices
    if request.method == "POST" and len(choices) == 1:
        _remember(request, area=choices[0][0])  # one area only: nothing to ask
        return redirect("alerts_public:signup_topics")
    if request.method == "POST" and form.is_valid():
        _remember(request, area=form.cleaned_data["area"])
        return redirect("alerts_public:signup_topics")
    return render(
        request,
        "alerts/signup.html",
        {
            "form": form,
            "has_choices": bool(choices),
            "only_area": choices[0][1] if len(choices) == 1 else "",
        },
    )


@require_http_methods(GET_POST)
def signup_topics_view(request: HttpRequest) -> HttpResponse:
    form = TopicsForm(posted(request), initial={"topics": _answers(request).get("topics")})
    if request.method == "POST" and form.is_valid():
        _remember(request, topics=form.cleaned_data["topics"])
        return redirect("alerts_public:signup_email")
    return render(request, "alerts/signup_topics.html", {"form": form})


@public_form_rate_limit("alerts")
@require_http_methods(GET_POST)
def signup_email_view(request: HttpRequest) -> HttpResponse:
    form = EmailForm(posted(request))
    if request.method == "POST":
        if form.honeypot_filled():
            return redirect("alerts_public:check_email")  # a bot: the same page, nothing stored
        answers = _answers(request)
        chosen = split_area(answers.get("area", ""), list(partnership_list_public()))
        if chosen is None:
            return redirect("alerts_public:signup")
        if not answers.get("topics"):
            return redirect("alerts_public:signup_topics")
        if form.is_valid():
            partnership, area = chosen
            try:
                services.subscription_request(
                    partnership=partnership,
                    email=form.cleaned_data["email"],
                    areas=[area],
                    topics=answers["topics"],
                    key=form.key(),
                )
            except ApplicationError as error:
                error.add_to(form, "email")
            else:
                request.session.pop(SIGNUP_SESSION_KEY, None)
                return redirect("alerts_public:check_email")
    return render(
        request,
        "alerts/signup_email.html",
        {"form": form, "consent_text": services.CONSENT_TEXT},
    )


@require_safe
def check_email_view(request: HttpRequest) -> HttpResponse:
    return render(request, "alerts/check_email.html", {})


@public_form_rate_limit("alerts")
@require_http_methods(GET_POST)
def confirm_view(request: HttpRequest, signed: str) -> HttpResponse:
    """GET shows a button and POST confirms: a mail scanner that opens links confirms nothing."""
    try:
        if request.method == "POST":
            subscription = services.subscription_confirm(signed=signed)
            return render(request, "alerts/confirmed.html", {"subscription": subscription})
        subscription = services.subscription_get_by_confirm_link(signed)
    except ApplicationError as error:
        return render(request, "alerts/link_not_valid.html", {"message": error.message}, status=400)
    if subscription.status == Subscription.Status.CONFIRMED:
        return render(request, "alerts/confirmed.html", {"subscription": subscription})
    return render(request, "alerts/confirm.html", {"subscription": subscription})


def _by_token(token: str) -> Subscription:
    subscription = (
        Subscription.objects.select_related("partnership").filter(token=token).first()
        if token
        else None
    )
    if subscription is None:
        raise Http404("No such link")
    return subscription


@public_form_rate_limit("alerts")
@require_http_methods(GET_POST)
def manage_view(request: HttpRequest, token: str) -> HttpResponse:
    subscription = _by_token(token)
    form = ManageForm(
        posted(request),
        partnership=subscription.partnership,
        initial={"areas": subscription.areas, "topics": subscription.topics},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_change(
                subscription=subscription,
                areas=form.cleaned_data["areas"],
                topics=form.cleaned_data["topics"],
            )
        except ApplicationError as error:
            error.add_to(form, "areas")
        else:
            messages.success(request, "Your alerts have been updated.")
            return redirect("alerts_public:manage", token=token)
    return render(request, "alerts/manage.html", {"form": form, "subscription": subscription})


# One-click unsubscribe (RFC 8058): mail programs POST without a cookie or CSRF token. The
# token in the link is the secret, so the CSRF check adds nothing here.
@csrf_exempt
@public_form_rate_limit("alerts")
@require_http_methods(GET_POST)
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    subscription = _by_token(token)
    if request.method == "POST":
        subscription = services.subscription_unsubscribe(subscription=subscription)
        return render(request, "alerts/unsubscribed.html", {"subscription": subscription})
    if subscription.status == Subscription.Status.UNSUBSCRIBED:
        return render(request, "alerts/unsubscribed.html", {"subscription": subscription})
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})


# --- staff -----------------------------------------------------------------------------------


def _current(request: HttpRequest) -> tuple[Any, set[str]]:
    partnership, roles = partnership_and_roles_current(request, permissions.NOT_ALLOWED_VIEW)
    if not permissions.can_view_alerts(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_VIEW)
    return partnership, roles


@sign_in_required
@require_safe
def alert_list_view(request: HttpRequest) -> HttpResponse:
    partnership, roles = _current(request)
    return render(
        request,
        "alerts/staff_list.html",
        {
            "partnership": partnership,
            "counts": selectors.subscriber_counts(partnership=partnership),
            "alerts": list(selectors.alert_list(partnership=partnership)[:50]),
            "can_send": permissions.can_send_alerts(request.user, roles=roles),
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def alert_new_view(request: HttpRequest) -> HttpResponse:
    """Write → preview (how many it will reach) → send. The preview keeps the form's key, so
    sending twice (a double click, the back button) sends one alert."""
    partnership, roles = _current(request)
    if not permissions.can_send_alerts(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_SEND)
    form = AlertForm(
        posted(request), partnership=partnership, initial={"submission_key": uuid.uuid4()}
    )
    preview = None
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "edit":  # back from the preview to the filled-in form
        form = AlertForm(initial=request.POST.dict(), partnership=partnership)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("title", "body", "area", "topic")}
        try:
            services.alert_validate(partnership=partnership, **fields)
            if step == "send":
                alert = services.alert_send(
                    partnership=partnership,
                    by=request.user,
                    roles=roles,
                    key=data["submission_key"] or uuid.uuid4(),
                    **fields,
                )
                messages.success(
                    request,
                    f"“{alert.title}” is being sent. The list below shows how many e-mails "
                    "have gone.",
                )
                return redirect("alerts:list")
        except ApplicationError as error:
            error.add_to(form, "title")
        else:
            recipients = services.alert_recipients(
                partnership=partnership, area=data["area"], topic=data["topic"]
            )
            preview = {
                "count": len(recipients),
                "area": dict(form.fields["area"].choices).get(data["area"], ""),
                "topic": dict(form.fields["topic"].choices).get(data["topic"], ""),
            }
    return render(
        request,
        "alerts/staff_new.html",
        {"form": form, "partnership": partnership, "preview": preview},
    )
