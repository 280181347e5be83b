"""Calendar pages: the month view's day cells, the upcoming list, the form's errors."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from saferplaces.calendar_events import views
from saferplaces.calendar_events.models import Event
from tests.conftest import mark_second_factor_verified

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, user: Any) -> None:
    client.force_login(user)
    mark_second_factor_verified(client, user)


def _cells(html: str) -> dict[str, str]:
    """The month table's cells by their date."""
    found = re.findall(r'<td[^>]*data-date="([0-9-]+)"[^>]*>(.*?)</td>', html, flags=re.S)
    return dict(found)


def _month(client: Client, param: str) -> str:
    response = client.get(reverse("calendar_events:month"), {"month": param})
    assert response.status_code == 200
    return response.content.decode()


def test_events_appear_in_their_day_cells(client: Client, analyst: Any, add_event: Any) -> None:
    board = add_event(title="Partnership board")
    week = add_event(
        title="ASB Awareness Week", kind="awareness_week", start_date=dt.date(2026, 3, 23),
        end_date=dt.date(2026, 3, 29), start_time=None, end_time=None,
    )  # fmt: skip
    _sign_in(client, analyst)

    html = _month(client, "2026-03")
    cells = _cells(html)

    assert '<caption class="govuk-table__caption govuk-table__caption--m">March 2026' in html
    board_link = reverse("calendar_events:detail", kwargs={"event_id": board.pk})
    week_link = reverse("calendar_events:detail", kwargs={"event_id": week.pk})
    assert board_link in cells["2026-03-10"]
    assert "14:00 Partnership board" in cells["2026-03-10"]
    assert board_link not in cells["2026-03-11"]
    for day in range(23, 30):
        assert week_link in cells[f"2026-03-{day:02d}"]
    assert week_link not in cells["2026-03-22"]
    assert week_link not in cells["2026-03-30"]
    # Whole weeks, Monday first: 23 February to 5 April.
    assert min(cells) == "2026-02-23"
    assert max(cells) == "2026-04-05"
    assert "?month=2026-02" in html
    assert "?month=2026-04" in html


def test_times_are_uk_time_either_side_of_the_clock_change(
    client: Client, analyst: Any, add_event: Any
) -> None:
    # The clocks went forward on 29 March 2026: 10:00 on the 28th is GMT, on the 30th BST.
    add_event(
        title="Before", start_date=dt.date(2026, 3, 28), end_date=dt.date(2026, 3, 28),
        start_time=dt.time(10, 0), end_time=dt.time(11, 0),
    )  # fmt: skip
    add_event(
        title="After", start_date=dt.date(2026, 3, 30), end_date=dt.date(2026, 3, 30),
        start_time=dt.time(10, 0), end_time=dt.time(11, 0),
    )  # fmt: skip
    _sign_in(client, analyst)

    cells = _cells(_month(client, "2026-03"))

    assert "10:00 Before" in cells["2026-03-28"]
    assert "10:00 After" in cells["2026-03-30"]
    after = Event.objects.get(title="After")
    assert after.starts_at is not None
    assert after.starts_at.astimezone(dt.UTC).hour == 9  # the same 10:00, now an hour ahead


def test_a_bad_month_parameter_shows_this_month(client: Client, analyst: Any) -> None:
    _sign_in(client, analyst)
    response = client.get(reverse("calendar_events:month"), {"month": "2026-13"})
    assert response.status_code == 200


def test_the_list_shows_upcoming_events_by_month(
    client: Client, analyst: Any, add_event: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "_today", lambda: dt.date(2026, 3, 15))
    add_event(title="Past board", start_date=dt.date(2026, 3, 10), end_date=dt.date(2026, 3, 10))
    add_event(title="April board", start_date=dt.date(2026, 4, 14), end_date=dt.date(2026, 4, 14))
    add_event(
        title="Ongoing week", start_date=dt.date(2026, 3, 12), end_date=dt.date(2026, 3, 18),
        start_time=None, end_time=None,
    )  # fmt: skip
    _sign_in(client, analyst)

    html = client.get(reverse("calendar_events:list")).content.decode()

    assert "Past board" not in html
    assert html.index("March 2026") < html.index("Ongoing week") < html.index("April 2026")
    assert html.index("April 2026") < html.index("April board")


def _post(client: Client, **fields: str) -> Any:
    data = {
        "title": "Community drop-in", "kind": "consultation",
        "start_date-day": "14", "start_date-month": "4", "start_date-year": "2026",
        "start_time": "10:00", "end_time": "12:00", "audience": "public",
    }  # fmt: skip
    data.update(fields)
    return client.post(reverse("calendar_events:create"), data)


def test_an_analyst_adds_an_event(client: Client, analyst: Any, council: Any) -> None:
    _sign_in(client, analyst)

    response = _post(client, owner_organisation=str(council.pk))

    assert response.status_code == 302
    assert response["Location"].endswith("?month=2026-04")
    event = Event.objects.get()
    assert (event.start_date, event.end_date) == (dt.date(2026, 4, 14), dt.date(2026, 4, 14))
    assert (event.start_time, event.end_time) == (dt.time(10), dt.time(12))
    assert event.owner_organisation == council  # the only organisation they may name


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"end_date-day": "13", "end_date-month": "4", "end_date-year": "2026"},
            "The end date must be the same as or after the start date",
        ),
        ({"title": ""}, "Enter a title"),
        ({"start_date-day": "31", "start_date-month": "4"}, "Start date must be a real date"),
        ({"start_date-year": "26"}, "Year must include 4 numbers"),
        ({"start_time": "25:00"}, "Start time must be a real time"),
        ({"end_time": ""}, "Enter both a start time and an end time"),
        ({"end_time": "09:00"}, "The end time must be after the start time"),
    ],
)
def test_bad_input_shows_an_error_summary_and_saves_nothing(
    client: Client, analyst: Any, fields: dict[str, str], message: str
) -> None:
    _sign_in(client, analyst)

    response = _post(client, **fields)

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert "<title>Error:" in html
    assert not Event.objects.exists()


def test_an_awareness_week_preset_fills_the_words_but_not_the_dates(
    client: Client, analyst: Any
) -> None:
    _sign_in(client, analyst)

    html = client.get(reverse("calendar_events:create"), {"preset": "16-days-of-action"})
    text = html.content.decode()

    assert 'value="16 Days of Action against domestic abuse"' in text
    assert "Runs from 25 November to 10 December each year." in text
    assert not re.search(r'name="start_date-day"[^>]*value="\d', text)


def test_an_analyst_changes_their_organisations_event(
    client: Client, analyst: Any, add_event: Any
) -> None:
    event = add_event()
    _sign_in(client, analyst)
    url = reverse("calendar_events:edit", kwargs={"event_id": event.pk})
    assert 'value="Partnership board"' in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "title": "Partnership board (moved)", "kind": "meeting",
            "start_date-day": "17", "start_date-month": "3", "start_date-year": "2026",
            "start_time": "14:00", "end_time": "16:00", "audience": "staff",
            "owner_organisation": str(event.owner_organisation_id),
        },
    )  # fmt: skip

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.start_date) == ("Partnership board (moved)", dt.date(2026, 3, 17))


def test_a_board_member_reads_but_sees_no_change_buttons(
    client: Client, board: Any, add_event: Any
) -> None:
    event = add_event()
    _sign_in(client, board)

    html = client.get(reverse("calendar_events:detail", kwargs={"event_id": event.pk}))

    assert "Partnership board" in html.content.decode()
    assert "Change this event" not in html.content.decode()
    assert "Add an event" not in client.get(reverse("calendar_events:month")).content.decode()


def test_a_delete_removes_the_event(client: Client, analyst: Any, add_event: Any) -> None:
    event = add_event()
    _sign_in(client, analyst)

    response = client.post(reverse("calendar_events:delete", kwargs={"event_id": event.pk}))

    assert response.status_code == 302
    assert not Event.objects.exists()


def test_the_calendar_is_in_the_navigation(client: Client, board: Any) -> None:
    _sign_in(client, board)
    html = client.get(reverse("accounts:staff_home")).content.decode()
    assert reverse("calendar_events:month") in html
