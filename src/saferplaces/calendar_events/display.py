"""How an event's dates read on a page: plain English, local (UK) time, no codes."""

from __future__ import annotations

import datetime as dt

from saferplaces.calendar_events.models import Event


def day_text(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def time_text(time: dt.time) -> str:
    return time.strftime("%H:%M")


def when_text(event: Event) -> str:
    start, end = event.start_date, event.end_date
    if event.start_time is None or event.end_time is None:
        if start == end:
            return f"{day_text(start)}, all day"
        return f"{day_text(start)} to {day_text(end)}, all day"
    if start == end:
        return f"{day_text(start)}, {time_text(event.start_time)} to {time_text(event.end_time)}"
    return (
        f"{day_text(start)} {time_text(event.start_time)} to "
        f"{day_text(end)} {time_text(event.end_time)}"
    )


def cell_text(event: Event, day: dt.date) -> str:
    """The line in a month-view day cell: the start time on the first day, else the title."""
    if event.start_time is not None and day == event.start_date:
        return f"{time_text(event.start_time)} {event.title}"
    return event.title


CONTEXT = {"when": when_text, "day_text": day_text, "cell_text": cell_text}
