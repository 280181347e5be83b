"""Calendar pages (month, list, event, add, change, delete, subscribe) and the two feeds.

Thin: each view loads the user's roles in the current partnership once, finds its object
through a selector (404 when it is not visible), asks the permission predicates (403 when
visible but not allowed), and calls one service.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.selectors import partnership_get_current
from saferplaces.calendar_events import display, ical, permissions, selectors, services
from saferplaces.calendar_events.awareness import AWARENESS_WEEKS, BY_KEY
from saferplaces.calendar_events.forms import DeleteForm, EventForm, initial_from_event
from saferplaces.calendar_events.models import Event
from saferplaces.calendar_events.months import Month
from saferplaces.core.forms_govuk import posted

GET_POST = ["GET", "HEAD", "POST"]


def _current(request: HttpRequest) -> tuple[Any, dict[Any, set[str]]]:
    partnership = partnership_get_current(request)
    org_roles = selectors.roles_by_organisation(user=request.user, partnership=partnership)
    if partnership is None or not permissions.can_view_calendar(request.user, org_roles=org_roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_VIEW)
    return partnership, org_roles


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {**display.CONTEXT, **context})


def _today() -> dt.date:
    return timezone.localdate()


def _day_cells(month: Month, events: list[Event]) -> list[list[dict[str, Any]]]:
    weeks = []
    for week in month.weeks():
        cells = []
        for day in week:
            on_day = [e for e in events if e.start_date <= day <= e.end_date]
            cells.append({"day": day, "in_month": day.month == month.month, "events": on_day})
        weeks.append(cells)
    return weeks


@sign_in_required
@require_safe
def calendar_month_view(request: HttpRequest) -> HttpResponse:
    partnership, org_roles = _current(request)
    today = _today()
    month = Month.parse(request.GET.get("month")) or Month.of(today)
    events = selectors.event_list_for_month(
        user=request.user, partnership=partnership, org_roles=org_roles, month=month
    )
    return _page(
        request,
        "calendar_events/month.html",
        {
            "partnership": partnership,
            "month": month,
            "weeks": _day_cells(month, events),
            "events": events,
            "today": today,
            "this_month": Month.of(today),
            "can_add": permissions.can_add_event(request.user, org_roles=org_roles),
        },
    )


@sign_in_required
@require_safe
def calendar_list_view(request: HttpRequest) -> HttpResponse:
    partnership, org_roles = _current(request)
    today = _today()
    return _page(
        request,
        "calendar_events/list.html",
        {
            "partnership": partnership,
            "groups": selectors.event_list_upcoming(
                user=request.user, partnership=partnership, org_roles=org_roles, today=today
            ),
            "today": today,
            "can_add": permissions.can_add_event(request.user, org_roles=org_roles),
        },
    )


def _event(request: HttpRequest, event_id: Any) -> tuple[Event, dict[Any, set[str]]]:
    partnership, org_roles = _current(request)
    event = selectors.event_get_visible(
        user=request.user, partnership=partnership, org_roles=org_roles, event_id=event_id
    )
    return event, org_roles


@sign_in_required
@require_safe
def event_detail_view(request: HttpRequest, event_id: Any) -> HttpResponse:
    event, org_roles = _event(request, event_id)
    return _page(
        request,
        "calendar_events/detail.html",
        {
            "event": event,
            "partnership": event.partnership,
            "month": Month.of(event.start_date),
            "can_edit": permissions.can_edit_event(request.user, event, org_roles=org_roles),
        },
    )


def _add_errors(form: EventForm, error: ValidationError) -> None:
    for field, texts in error.message_dict.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


def _form(request: HttpRequest, partnership: Any, org_roles: Any, **kwargs: Any) -> EventForm:
    return EventForm(
        posted(request),
        organisations=selectors.owner_organisation_choices(
            partnership=partnership, org_roles=org_roles
        ),
        **kwargs,
    )


@sign_in_required
@require_http_methods(GET_POST)
def event_create_view(request: HttpRequest) -> HttpResponse:
    partnership, org_roles = _current(request)
    if not permissions.can_add_event(request.user, org_roles=org_roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_EDIT)
    preset = BY_KEY.get(request.GET.get("preset", ""))
    initial: dict[str, Any] = {"kind": Event.Kind.MEETING, "audience": Event.Audience.STAFF}
    if preset is not None:
        initial.update(
            title=preset.title, kind=preset.kind, audience=preset.audience,
            description=preset.description,
        )  # fmt: skip
    form = _form(request, partnership, org_roles, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                by=request.user, partnership=partnership, org_roles=org_roles,
                request=request, **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{event.title} added to the calendar.")
            return redirect(f"{reverse('calendar_events:month')}?month={_param(event)}")
    return _page(
        request,
        "calendar_events/form.html",
        {
            "form": form,
            "partnership": partnership,
            "editing": None,
            "preset": preset,
            "awareness_weeks": AWARENESS_WEEKS,
        },
    )


def _param(event: Event) -> str:
    return Month.of(event.start_date).param


@sign_in_required
@require_http_methods(GET_POST)
def event_edit_view(request: HttpRequest, event_id: Any) -> HttpResponse:
    event, org_roles = _event(request, event_id)
    if not permissions.can_edit_event(request.user, event, org_roles=org_roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_EDIT)
    form = _form(request, event.partnership, org_roles, initial=initial_from_event(event))
    # The current owner stays a choice even when the editor works for another organisation.
    owner = event.owner_organisation
    if str(owner.pk) not in form.organisations:
        form.organisations[str(owner.pk)] = owner
        form.fields["owner_organisation"].choices = [
            (k, o.name) for k, o in form.organisations.items()
        ]
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                by=request.user, event=event, org_roles=org_roles, request=request,
                **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
            event.refresh_from_db()
        else:
            messages.success(request, f"{event.title} saved.")
            return redirect("calendar_events:detail", event_id=event.pk)
    return _page(
        request,
        "calendar_events/form.html",
        {"form": form, "partnership": event.partnership, "editing": event, "preset": None},
    )


@sign_in_required
@require_http_methods(GET_POST)
def event_delete_view(request: HttpRequest, event_id: Any) -> HttpResponse:
    event, org_roles = _event(request, event_id)
    if not permissions.can_edit_event(request.user, event, org_roles=org_roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_EDIT)
    if request.method == "POST" and DeleteForm(request.POST).is_valid():
        title, param = event.title, _param(event)
        services.event_delete(by=request.user, event=event, org_roles=org_roles, request=request)
        messages.success(request, f"{title} deleted from the calendar.")
        return redirect(f"{reverse('calendar_events:month')}?month={param}")
    return _page(request, "calendar_events/delete.html", {"event": event})


@sign_in_required
@require_http_methods(GET_POST)
def calendar_subscribe_view(request: HttpRequest) -> HttpResponse:
    """How to subscribe; a POST makes a new private feed address and shows it once."""
    partnership, _org_roles = _current(request)
    token = None
    if request.method == "POST":
        token = services.feed_token_create(user=request.user, request=request)
    private_url = (
        request.build_absolute_uri(reverse("calendar_events:private_feed", kwargs={"token": token}))
        if token
        else None
    )
    public_url = request.build_absolute_uri(
        reverse("calendar_events:public_feed", kwargs={"partnership_id": partnership.pk})
    )
    response = _page(
        request,
        "calendar_events/subscribe.html",
        {
            "partnership": partnership,
            "private_url": private_url,
            "public_url": public_url,
            "has_token": selectors.feed_token_exists(user=request.user) is not None,
        },
    )
    # The page holding a new secret must not be kept by the browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


def _host(request: HttpRequest) -> str:
    return request.get_host().split(":")[0] or "saferplaces"


def _ics(body: bytes, filename: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # A feed changes when an event does; clients poll, so caches must check every time, and
    # a shared cache must never keep a private feed.
    response["Cache-Control"] = "private, no-store" if private else "no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def public_feed_view(request: HttpRequest, partnership_id: Any) -> HttpResponse:
    partnership = selectors.partnership_get_public(partnership_id=partnership_id)
    if partnership is None:
        raise Http404("No such calendar")
    body = ical.calendar_bytes(
        selectors.public_feed_events(partnership=partnership),
        name=f"{partnership.name}: public events",
        host=_host(request),
        stamp=timezone.now(),
    )
    return _ics(body, "public.ics", private=False)


@require_safe
def private_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    user = selectors.feed_token_user(token=token)
    if user is None:
        services.feed_token_refused(request=request)
        raise Http404("No such calendar")
    body = ical.calendar_bytes(
        selectors.private_feed_events(user=user),
        name="SaferPlaces: partnership calendar (staff)",
        host=_host(request),
        stamp=timezone.now(),
    )
    return _ics(body, "calendar.ics", private=True)
