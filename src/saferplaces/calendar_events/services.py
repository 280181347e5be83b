"""Writes of the calendar: add, change and delete an event, make a feed token, refuse a bad one.

Each write checks the capability, validates the dates (the end never before the start, a time
that exists on that day in the partnership's time zone), saves and audits in one transaction,
so a refused or invalid request leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferplaces.accounts.models import Organisation, Partnership
from saferplaces.audit.services import audit_record
from saferplaces.calendar_events.models import Event, FeedToken, local_zone
from saferplaces.calendar_events.permissions import (
    NOT_ALLOWED_EDIT,
    OrgRoles,
    can_add_event,
    can_edit_event,
    organisations_user_may_own_for,
)
from saferplaces.calendar_events.selectors import token_hash

VERB_CREATED = "event.created"
VERB_CHANGED = "event.changed"
VERB_DELETED = "event.deleted"
VERB_TOKEN_CREATED = "calendar.feed_token_created"
VERB_TOKEN_REFUSED = "access.calendar_feed_refused"

END_BEFORE_START = "The end date must be the same as or after the start date"
END_TIME_BEFORE_START = "The end time must be after the start time"
TIMES_BOTH = "Enter both a start time and an end time, or neither for an all-day event"
TIME_MISSING = "Enter a time, or leave both times blank for an all-day event"
TIME_DOES_NOT_EXIST = (
    "{time} does not exist on {day}: the clocks go forward an hour that night. "
    "Choose a time before 1am or from 2am"
)
TITLE_MISSING = "Enter a title"
WRONG_ORGANISATION = "Choose an organisation of this partnership that you work for"

DOUBLE_SUBMIT_WINDOW = dt.timedelta(seconds=30)

FIELDS = (
    "title", "kind", "start_date", "end_date", "start_time", "end_time",
    "location", "description", "audience", "owner_organisation",
)  # fmt: skip


def _exists_locally(day: dt.date, time: dt.time) -> bool:
    """False for a wall-clock time skipped when the clocks go forward (01:30 in late March)."""
    local = dt.datetime.combine(day, time, tzinfo=local_zone())
    round_trip = local.astimezone(dt.UTC).astimezone(local_zone())
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def event_dates_problems(
    *,
    start_date: dt.date | None,
    end_date: dt.date | None,
    start_time: dt.time | None,
    end_time: dt.time | None,
) -> dict[str, str]:
    """Field → message for every rule the dates and times break (empty when they are fine)."""
    problems: dict[str, str] = {}
    if (start_time is None) != (end_time is None):
        problems["end_time" if end_time is None else "start_time"] = TIMES_BOTH
    if start_date is None or end_date is None:
        return problems
    if end_date < start_date:
        problems["end_date"] = END_BEFORE_START
    elif (
        start_time is not None
        and end_time is not None
        and end_date == start_date
        and end_time <= start_time
    ):
        problems["end_time"] = END_TIME_BEFORE_START
    for name, day, time in (
        ("start_time", start_date, start_time),
        ("end_time", end_date, end_time),
    ):
        if time is not None and not _exists_locally(day, time):
            problems.setdefault(
                name,
                TIME_DOES_NOT_EXIST.format(
                    time=time.strftime("%H:%M"), day=f"{day.day} {day:%B %Y}"
                ),
            )
    return problems


def _check(event: Event, *, org_roles: OrgRoles, owner_changed: bool) -> None:
    problems = event_dates_problems(
        start_date=event.start_date, end_date=event.end_date,
        start_time=event.start_time, end_time=event.end_time,
    )  # fmt: skip
    if not event.title.strip():
        problems["title"] = TITLE_MISSING
    if owner_changed:
        organisation = event.owner_organisation
        allowed = organisations_user_may_own_for([organisation.pk], org_roles=org_roles)
        if organisation.partnership_id != event.partnership_id or not allowed:
            problems["owner_organisation"] = WRONG_ORGANISATION
    if problems:
        raise ValidationError(problems)
    event.full_clean()


def _summary(event: Event) -> dict[str, Any]:
    return {
        "title": event.title,
        "kind": event.kind,
        "audience": event.audience,
        "start": event.start_date.isoformat()
        + (f" {event.start_time:%H:%M}" if event.start_time else ""),
        "end": event.end_date.isoformat() + (f" {event.end_time:%H:%M}" if event.end_time else ""),
        "owner_organisation": str(event.owner_organisation_id),
    }


def _just_added(event: Event) -> Event | None:
    """The same event added by the same person moments ago: a double click, not a second event."""
    return (
        Event.objects.filter(
            partnership=event.partnership_id,
            owner_organisation=event.owner_organisation_id,
            created_by=event.created_by_id,
            title=event.title,
            start_date=event.start_date,
            end_date=event.end_date,
            start_time=event.start_time,
            end_time=event.end_time,
            created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
        )  # fmt: skip
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def event_create(
    *,
    by: Any,
    partnership: Partnership,
    org_roles: OrgRoles,
    owner_organisation: Organisation,
    title: str,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    location: str = "",
    description: str = "",
    audience: str = Event.Audience.STAFF,
    request: HttpRequest | None = None,
) -> Event:
    if not can_add_event(by, org_roles=org_roles):
        raise PermissionDenied(NOT_ALLOWED_EDIT)
    event = Event(
        partnership=partnership, owner_organisation=owner_organisation, title=title.strip(),
        kind=kind, start_date=start_date, end_date=end_date or start_date,
        start_time=start_time, end_time=end_time, location=location.strip(),
        description=description.strip(), audience=audience, created_by=by,
    )  # fmt: skip
    _check(event, org_roles=org_roles, owner_changed=True)
    repeat = _just_added(event)
    if repeat is not None:
        return repeat
    event.save()
    audit_record(
        actor=by, verb=VERB_CREATED, target=event, partnership=partnership,
        summary=_summary(event), request=request,
    )  # fmt: skip
    return event


@transaction.atomic
def event_update(
    *, by: Any, event: Event, org_roles: OrgRoles, request: HttpRequest | None = None, **values: Any
) -> Event:
    if not can_edit_event(by, event, org_roles=org_roles):
        raise PermissionDenied(NOT_ALLOWED_EDIT)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")
    before = _summary(event)
    old_owner = event.owner_organisation_id
    for name, value in values.items():
        if isinstance(value, str) and name not in ("kind", "audience"):
            value = value.strip()
        setattr(event, name, value)
    if values.get("end_date") is None and "start_date" in values:
        event.end_date = event.start_date
    _check(event, org_roles=org_roles, owner_changed=event.owner_organisation_id != old_owner)
    after = _summary(event)
    changes = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    event.save()
    audit_record(
        actor=by, verb=VERB_CHANGED, target=event, partnership=event.partnership,
        summary={"title": event.title, "changes": changes}, request=request,
    )  # fmt: skip
    return event


@transaction.atomic
def event_delete(
    *, by: Any, event: Event, org_roles: OrgRoles, request: HttpRequest | None = None
) -> None:
    if not can_edit_event(by, event, org_roles=org_roles):
        raise PermissionDenied(NOT_ALLOWED_EDIT)
    summary = _summary(event)
    target_id = str(event.pk)
    partnership = event.partnership
    event.delete()
    audit_record(
        actor=by, verb=VERB_DELETED, object_type="calendar_events.event", object_id=target_id,
        partnership=partnership, summary=summary, request=request,
    )  # fmt: skip


@transaction.atomic
def feed_token_create(*, user: Any, request: HttpRequest | None = None) -> str:
    """A new secret for the user's private feed; the old one stops working at once.

    The token itself is returned once, to show; only its hash is stored.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to make a calendar feed address.")
    token = secrets.token_urlsafe(32)
    replaced = FeedToken.objects.filter(user=user).exists()
    FeedToken.objects.update_or_create(user=user, defaults={"token_hash": token_hash(token)})
    audit_record(
        actor=user, verb=VERB_TOKEN_CREATED, target=user,
        summary={"replaced_previous": replaced}, request=request,
    )  # fmt: skip
    return token


def feed_token_refused(*, request: HttpRequest) -> None:
    """Audit a feed address with a wrong token (anonymous, so rate-limited per address)."""
    audit_record(
        actor=None, verb=VERB_TOKEN_REFUSED, object_type="url",
        object_id="calendar feed", request=request,
    )  # fmt: skip
