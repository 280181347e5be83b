"""`saferplaces_demo_calendar`: the demo partnership gets its events, once."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from saferplaces.calendar_events.management.commands.saferplaces_demo_calendar import demo_events
from saferplaces.calendar_events.models import Event


@pytest.mark.django_db
def test_the_demo_calendar_is_filled_once(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())

    first, second = StringIO(), StringIO()
    call_command("saferplaces_demo_calendar", stdout=first)
    call_command("saferplaces_demo_calendar", stdout=second)

    events = list(Event.objects.all())
    assert len(events) == 7
    assert "7 event(s) added" in first.getvalue()
    assert "0 event(s) added" in second.getvalue()
    kinds = {e.kind for e in events}
    assert {"meeting", "consultation", "campaign", "awareness_week"} <= kinds
    assert all(e.audience == "staff" for e in events if e.kind == "meeting")
    # Campaign weeks on dates the partnership chose say so.
    for event in events:
        if event.kind == "campaign":
            assert "planned by the partnership" in event.description


def test_the_only_national_dates_are_the_fixed_16_days() -> None:
    for today in (dt.date(2026, 1, 5), dt.date(2026, 12, 20)):
        events = demo_events(today)
        [sixteen] = [e for e in events if e.kind == "awareness_week"]
        assert (sixteen.start_date.month, sixteen.start_date.day) == (11, 25)
        assert (sixteen.end_date.month, sixteen.end_date.day) == (12, 10)
        assert sixteen.end_date >= today
        assert all(e.start_date > today for e in events if e.kind != "awareness_week")
