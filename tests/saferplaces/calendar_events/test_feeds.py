"""The iCalendar feeds: parsed back with icalendar, as a calendar app would read them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from saferplaces.audit.models import AuditEvent
from saferplaces.calendar_events import services
from tests.conftest import mark_second_factor_verified
from tests.saferplaces.factories import MembershipFactory, OrganisationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(add_event: Any) -> dict[str, Any]:
    return {
        "week": add_event(
            title="Hate Crime Awareness Week", kind="awareness_week", audience="public",
            start_date=dt.date(2026, 10, 10), end_date=dt.date(2026, 10, 17),
            start_time=None, end_time=None, description="Report it, stop it.",
            location="Across the district",
        ),
        # 30 March 2026 is in British Summer Time (UTC+1); 27 March is still GMT.
        "bst": add_event(
            title="Drop-in (BST)", kind="consultation", audience="public",
            start_date=dt.date(2026, 3, 30), end_date=dt.date(2026, 3, 30),
            start_time=dt.time(10, 0), end_time=dt.time(12, 0),
        ),
        "gmt": add_event(
            title="Drop-in (GMT)", kind="consultation", audience="public",
            start_date=dt.date(2026, 3, 27), end_date=dt.date(2026, 3, 27),
            start_time=dt.time(10, 0), end_time=dt.time(12, 0),
        ),
        "staff": add_event(title="Partnership board", audience="staff"),
    }  # fmt: skip


def _parse(response: Any) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _by_summary(calendar: Calendar) -> dict[str, Any]:
    return {str(item["SUMMARY"]): item for item in calendar.walk("VEVENT")}


def test_the_public_feed_holds_exactly_the_public_events(
    client: Client, partnership: Any, events: dict[str, Any]
) -> None:
    url = reverse("calendar_events:public_feed", kwargs={"partnership_id": partnership.pk})

    calendar = _parse(client.get(url))

    assert str(calendar["VERSION"]) == "2.0"
    assert "SaferPlaces" in str(calendar["PRODID"])
    assert partnership.name in str(calendar["X-WR-CALNAME"])
    found = _by_summary(calendar)
    assert set(found) == {"Hate Crime Awareness Week", "Drop-in (BST)", "Drop-in (GMT)"}
    for item in found.values():
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "LAST-MODIFIED"):
            assert prop in item


def test_all_day_events_are_dates_and_timed_ones_utc(
    client: Client, partnership: Any, events: dict[str, Any]
) -> None:
    url = reverse("calendar_events:public_feed", kwargs={"partnership_id": partnership.pk})
    found = _by_summary(_parse(client.get(url)))

    week = found["Hate Crime Awareness Week"]
    start, end = week["DTSTART"].dt, week["DTEND"].dt
    assert type(start) is dt.date
    assert type(end) is dt.date
    # DTEND of an all-day event is the day after its last day (RFC 5545 3.6.1).
    assert (start, end) == (dt.date(2026, 10, 10), dt.date(2026, 10, 18))
    assert str(week["LOCATION"]) == "Across the district"
    assert str(week["DESCRIPTION"]) == "Report it, stop it."

    bst, gmt = found["Drop-in (BST)"]["DTSTART"].dt, found["Drop-in (GMT)"]["DTSTART"].dt
    assert isinstance(bst, dt.datetime)
    assert bst.utcoffset() == dt.timedelta(0)
    assert bst == dt.datetime(2026, 3, 30, 9, 0, tzinfo=dt.UTC)  # 10:00 BST
    assert gmt == dt.datetime(2026, 3, 27, 10, 0, tzinfo=dt.UTC)  # 10:00 GMT
    assert b"DTSTART:20260330T090000Z" in client.get(url).content


def test_uids_are_stable_across_requests(
    client: Client, partnership: Any, events: dict[str, Any]
) -> None:
    url = reverse("calendar_events:public_feed", kwargs={"partnership_id": partnership.pk})

    first = {str(i["SUMMARY"]): str(i["UID"]) for i in _parse(client.get(url)).walk("VEVENT")}
    second = {str(i["SUMMARY"]): str(i["UID"]) for i in _parse(client.get(url)).walk("VEVENT")}

    assert first == second
    assert first["Drop-in (BST)"] == f"{events['bst'].pk}@testserver"


def test_the_public_feed_of_an_unknown_partnership_is_not_found(client: Client) -> None:
    url = reverse(
        "calendar_events:public_feed",
        kwargs={"partnership_id": "00000000-0000-0000-0000-000000000000"},
    )
    assert client.get(url).status_code == 404


def _token(client: Client, user: Any) -> str:
    client.force_login(user)
    mark_second_factor_verified(client, user)
    response = client.post(reverse("calendar_events:subscribe"))
    assert response.status_code == 200
    text = response.content.decode()
    marker = "/calendar/feed/"
    start = text.index(marker) + len(marker)
    token = text[start : text.index(".ics", start)]
    client.logout()
    return token


def test_the_private_feed_holds_staff_and_public_events_of_the_users_partnerships(
    client: Client, analyst: Any, events: dict[str, Any]
) -> None:
    elsewhere = OrganisationFactory(partnership=PartnershipFactory())
    from saferplaces.calendar_events.models import Event

    Event.objects.create(
        partnership=elsewhere.partnership, owner_organisation=elsewhere, title="Not ours",
        kind="meeting", start_date=dt.date(2026, 3, 3), end_date=dt.date(2026, 3, 3),
    )  # fmt: skip
    token = _token(client, analyst)

    response = client.get(reverse("calendar_events:private_feed", kwargs={"token": token}))

    found = _by_summary(_parse(response))
    assert set(found) == {
        "Hate Crime Awareness Week", "Drop-in (BST)", "Drop-in (GMT)", "Partnership board",
    }  # fmt: skip
    assert str(found["Partnership board"]["CLASS"]) == "PRIVATE"
    assert response["Cache-Control"] == "private, no-store"


def test_the_token_is_shown_once(client: Client, analyst: Any) -> None:
    token = _token(client, analyst)
    client.force_login(analyst)
    mark_second_factor_verified(client, analyst)

    page = client.get(reverse("calendar_events:subscribe")).content.decode()

    assert token not in page
    assert "/calendar/feed/" not in page
    assert "You already have a private address" in page


def test_a_wrong_token_is_not_found_and_audited_once_per_window(
    client: Client, analyst: Any, events: dict[str, Any]
) -> None:
    _token(client, analyst)
    url = reverse("calendar_events:private_feed", kwargs={"token": "not-the-right-token"})

    responses = [client.get(url) for _ in range(3)]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert b"Partnership board" not in responses[0].content
    [row] = AuditEvent.objects.filter(verb=services.VERB_TOKEN_REFUSED)
    assert row.actor is None
    assert row.action == "access_denied"


def test_a_new_token_stops_the_old_address_working(client: Client, analyst: Any) -> None:
    old = _token(client, analyst)
    new = _token(client, analyst)

    old_url = reverse("calendar_events:private_feed", kwargs={"token": old})
    new_url = reverse("calendar_events:private_feed", kwargs={"token": new})
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200


def test_a_deactivated_users_feed_stops(client: Client, analyst: Any) -> None:
    token = _token(client, analyst)
    analyst.is_active = False
    analyst.save()

    url = reverse("calendar_events:private_feed", kwargs={"token": token})
    assert client.get(url).status_code == 404


def test_a_member_who_left_sees_no_staff_events(client: Client, events: dict[str, Any]) -> None:
    person = MembershipFactory(organisation=events["staff"].owner_organisation).user
    token = _token(client, person)
    person.memberships.all().delete()

    url = reverse("calendar_events:private_feed", kwargs={"token": token})
    assert not _by_summary(_parse(client.get(url)))
