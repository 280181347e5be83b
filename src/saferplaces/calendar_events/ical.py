"""iCalendar (RFC 5545) feeds built with the ``icalendar`` package.

All-day events are DATE values with an exclusive DTEND (the day after the last day), as the
RFC asks and as Outlook, Google and Apple expect. Timed events are written in UTC, so a client
needs no VTIMEZONE and shows them in its own zone; the clocks changing between two events
cannot shift either. UIDs are the event's UUID at the site's host, so they stay the same
across requests and an edited event updates in place in the subscriber's calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar
from icalendar import Event as VEvent

from saferplaces.calendar_events.models import Event

PRODID = "-//SaferPlaces//Partnership calendar//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def event_uid(event: Event, host: str) -> str:
    return f"{event.pk}@{host}"


def _vevent(event: Event, *, host: str, stamp: dt.datetime) -> VEvent:
    item = VEvent()
    item.add("uid", event_uid(event, host))
    item.add("dtstamp", stamp)
    starts_at, ends_at = event.starts_at, event.ends_at
    if starts_at is None or ends_at is None:
        item.add("dtstart", event.start_date)
        item.add("dtend", event.end_date + dt.timedelta(days=1))
    else:
        item.add("dtstart", starts_at.astimezone(dt.UTC))
        item.add("dtend", ends_at.astimezone(dt.UTC))
    item.add("summary", event.title)
    if event.description:
        item.add("description", event.description)
    if event.location:
        item.add("location", event.location)
    item.add("last-modified", event.updated_at.astimezone(dt.UTC))
    item.add("created", event.created_at.astimezone(dt.UTC))
    item.add("categories", [event.get_kind_display()])
    item.add("class", "PUBLIC" if event.is_public else "PRIVATE")
    return item


def calendar_bytes(events: Iterable[Event], *, name: str, host: str, stamp: dt.datetime) -> bytes:
    """The feed as bytes (UTF-8, CRLF line ends, folded lines); ``stamp`` is its DTSTAMP."""
    stamp = stamp.astimezone(dt.UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    # Ask subscribing clients to look again every few hours (Outlook and Apple honour it).
    calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    for event in events:
        calendar.add_component(_vevent(event, host=host, stamp=stamp))
    return calendar.to_ical()
