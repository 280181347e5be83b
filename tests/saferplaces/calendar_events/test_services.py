"""Adding, changing and deleting events: date rules, refusals, audit, nothing half-saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from saferplaces.audit.models import AuditEvent
from saferplaces.audit.registry import Action
from saferplaces.calendar_events import services
from saferplaces.calendar_events.models import Event
from saferplaces.calendar_events.selectors import roles_by_organisation


def _roles(user: Any, partnership: Any) -> Any:
    return roles_by_organisation(user=user, partnership=partnership)


def test_an_analyst_adds_an_event_and_it_is_audited(add_event: Any, analyst: Any) -> None:
    event = add_event(location="Council offices", audience="public")

    assert Event.objects.get() == event
    assert event.created_by == analyst
    [row] = AuditEvent.objects.filter(verb=services.VERB_CREATED)
    assert row.action == Action.CREATE
    assert row.actor == analyst
    assert row.object_id == str(event.pk)
    assert row.partnership_id == event.partnership_id
    assert row.summary["start"] == "2026-03-10 14:00"
    assert row.summary["audience"] == "public"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        (
            {"start_date": dt.date(2026, 3, 10), "end_date": dt.date(2026, 3, 9)},
            "end_date",
            services.END_BEFORE_START,
        ),
        (
            {"start_time": dt.time(14, 0), "end_time": dt.time(13, 0)},
            "end_time",
            services.END_TIME_BEFORE_START,
        ),
        ({"start_time": dt.time(14, 0), "end_time": None}, "end_time", services.TIMES_BOTH),
        ({"title": "   "}, "title", services.TITLE_MISSING),
        (
            # The clocks went forward at 01:00 GMT on 29 March 2026: 01:30 never happened.
            {
                "start_date": dt.date(2026, 3, 29),
                "end_date": dt.date(2026, 3, 29),
                "start_time": dt.time(1, 30),
                "end_time": dt.time(3, 0),
            },
            "start_time",
            "does not exist on 29 March 2026",
        ),
    ],
)
def test_bad_dates_are_refused_and_nothing_is_saved(
    add_event: Any, extra: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        add_event(**extra)

    assert message in " ".join(error.value.message_dict[field])
    assert not Event.objects.exists()
    assert not AuditEvent.objects.filter(verb=services.VERB_CREATED).exists()


def test_an_all_day_week_needs_no_times(add_event: Any) -> None:
    event = add_event(
        title="ASB Awareness Week", kind="awareness_week", start_date=dt.date(2026, 7, 6),
        end_date=dt.date(2026, 7, 12), start_time=None, end_time=None,
    )  # fmt: skip

    assert event.all_day
    assert event.days() == 7


def test_a_board_member_may_not_add_an_event(board: Any, partnership: Any, police: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.event_create(
            by=board, partnership=partnership, org_roles=_roles(board, partnership),
            owner_organisation=police, title="Board", kind="meeting",
            start_date=dt.date(2026, 3, 10),
        )  # fmt: skip
    assert not Event.objects.exists()


def test_an_officer_may_not_name_another_organisation_as_owner(
    officer: Any, partnership: Any, council: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        services.event_create(
            by=officer, partnership=partnership, org_roles=_roles(officer, partnership),
            owner_organisation=council, title="Surgery", kind="other",
            start_date=dt.date(2026, 3, 10),
        )  # fmt: skip
    assert services.WRONG_ORGANISATION in error.value.message_dict["owner_organisation"]
    assert not Event.objects.exists()


def test_a_change_is_audited_with_what_changed(
    add_event: Any, analyst: Any, partnership: Any
) -> None:
    event = add_event()

    services.event_update(
        by=analyst, event=event, org_roles=_roles(analyst, partnership),
        title="Partnership board (moved)", start_date=dt.date(2026, 3, 17),
        end_date=dt.date(2026, 3, 17),
    )  # fmt: skip

    event.refresh_from_db()
    assert event.title == "Partnership board (moved)"
    [row] = AuditEvent.objects.filter(verb=services.VERB_CHANGED)
    assert row.action == Action.CHANGE
    assert row.summary["changes"]["start"] == {"from": "2026-03-10 14:00", "to": "2026-03-17 14:00"}


def test_a_bad_change_leaves_the_event_as_it_was(
    add_event: Any, analyst: Any, partnership: Any
) -> None:
    event = add_event()

    with pytest.raises(ValidationError):
        services.event_update(
            by=analyst, event=event, org_roles=_roles(analyst, partnership),
            title="Moved", end_date=dt.date(2026, 3, 1),
        )  # fmt: skip

    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, stored.end_date) == ("Partnership board", dt.date(2026, 3, 10))
    assert not AuditEvent.objects.filter(verb=services.VERB_CHANGED).exists()


def test_an_officer_of_another_organisation_may_not_change_or_delete(
    add_event: Any, officer: Any, partnership: Any
) -> None:
    event = add_event()
    roles = _roles(officer, partnership)

    with pytest.raises(PermissionDenied):
        services.event_update(by=officer, event=event, org_roles=roles, title="Mine now")
    with pytest.raises(PermissionDenied):
        services.event_delete(by=officer, event=event, org_roles=roles)
    assert Event.objects.get().title == "Partnership board"


def test_a_manager_deletes_any_event_and_it_is_audited(
    add_event: Any, manager: Any, partnership: Any
) -> None:
    event = add_event()
    event_id = str(event.pk)

    services.event_delete(by=manager, event=event, org_roles=_roles(manager, partnership))

    assert not Event.objects.exists()
    [row] = AuditEvent.objects.filter(verb=services.VERB_DELETED)
    assert (row.action, row.actor, row.object_id) == (Action.DELETE, manager, event_id)
    assert row.summary["title"] == "Partnership board"


def test_a_feed_token_is_stored_hashed_and_a_new_one_replaces_it(analyst: Any) -> None:
    from saferplaces.calendar_events.models import FeedToken
    from saferplaces.calendar_events.selectors import feed_token_user

    first = services.feed_token_create(user=analyst)
    second = services.feed_token_create(user=analyst)

    stored = FeedToken.objects.get(user=analyst)
    assert first not in stored.token_hash
    assert second not in stored.token_hash
    assert len(second) >= 40
    assert feed_token_user(token=second) == analyst
    assert feed_token_user(token=first) is None
    rows = AuditEvent.objects.filter(verb=services.VERB_TOKEN_CREATED).order_by("sequence")
    assert [r.summary["replaced_previous"] for r in rows] == [False, True]
    assert all(first not in str(r.summary) and second not in str(r.summary) for r in rows)


def test_a_double_click_adds_the_event_once(add_event: Any) -> None:
    first = add_event()
    second = add_event()

    assert second == first
    assert Event.objects.count() == 1
    assert AuditEvent.objects.filter(verb=services.VERB_CREATED).count() == 1


def test_the_same_title_on_another_day_is_another_event(add_event: Any) -> None:
    add_event()
    add_event(start_date=dt.date(2026, 4, 14), end_date=dt.date(2026, 4, 14))

    assert Event.objects.count() == 2
