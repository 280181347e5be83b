"""Writes for meetings, their decisions and actions arising, and board packs (atomic, audited)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError
from saferplaces.indicators import permissions
from saferplaces.indicators.models import BoardPack, Meeting, MeetingItem


def _check(data: Mapping[str, Any], partnership: Any) -> None:
    attendees = data.get("attendees") or []
    if any(org.partnership_id != partnership.pk for org in attendees):
        raise ApplicationError(
            "Attendees must be organisations of this partnership.", extra={"field": "attendees"}
        )
    plan = data.get("plan")
    if plan is not None and plan.partnership_id != partnership.pk:
        raise ApplicationError("Choose a plan of this partnership.", extra={"field": "plan"})


@transaction.atomic
def meeting_create(
    *,
    partnership: Any,
    by: Any,
    roles: Collection[str],
    data: Mapping[str, Any],
    form_token: str = "",
) -> Meeting:
    if not permissions.can_manage_meetings(by, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_MEETINGS)
    if form_token:
        existing = Meeting.objects.filter(partnership=partnership, form_token=form_token).first()
        if existing is not None:  # the same form sent twice: one meeting
            return existing
    _check(data, partnership)
    meeting = Meeting.objects.create(
        partnership=partnership,
        plan=data.get("plan"),
        date=data["date"],
        title=data["title"],
        agenda=data.get("agenda", ""),
        created_by=by,
        form_token=form_token or None,
    )
    meeting.attendees.set(data.get("attendees") or [])
    audit_record(
        actor=by,
        verb="meeting.created",
        target=meeting,
        partnership=partnership,
        summary={"title": meeting.title, "date": meeting.date.isoformat()},
    )
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, by: Any, roles: Collection[str], data: Mapping[str, Any]
) -> Meeting:
    if not permissions.can_manage_meetings(by, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_MEETINGS)
    _check(data, meeting.partnership)
    meeting.plan = data.get("plan")
    meeting.date = data["date"]
    meeting.title = data["title"]
    meeting.agenda = data.get("agenda", "")
    meeting.save()
    meeting.attendees.set(data.get("attendees") or [])
    audit_record(
        actor=by,
        verb="meeting.changed",
        target=meeting,
        partnership=meeting.partnership,
        summary={"title": meeting.title},
    )
    return meeting


@transaction.atomic
def meeting_item_add(
    *,
    meeting: Meeting,
    by: Any,
    roles: Collection[str],
    kind: str,
    text: str,
    owner: str = "",
    due_date: Any = None,
) -> MeetingItem:
    """A decision needed, a decision made or an action arising.

    An action arising is kept here; the plans app offers no service to make it a plan action
    yet, so the board pack lists it with its owner and date.
    """
    if not permissions.can_manage_meetings(by, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_MEETINGS)
    if kind not in MeetingItem.Kind.values:
        raise ApplicationError("Choose what kind of item this is.", extra={"field": "kind"})
    if not text.strip():
        raise ApplicationError("Write the item.", extra={"field": "text"})
    if due_date is not None and due_date < meeting.date:
        raise ApplicationError(
            "The date it is due must not be before the meeting.", extra={"field": "due_date"}
        )
    item = MeetingItem.objects.create(
        meeting=meeting, kind=kind, text=text.strip(), owner=owner.strip(), due_date=due_date
    )
    audit_record(
        actor=by,
        verb="meeting.item_added",
        target=meeting,
        partnership=meeting.partnership,
        summary={"kind": kind, "text": item.text[:200]},
    )
    return item


@transaction.atomic
def board_pack_request(
    *, meeting: Meeting, by: Any, roles: Collection[str], enqueue: bool = True
) -> BoardPack:
    """Queue a new board pack for the meeting (a pack already waiting is reused: double click)."""
    if not permissions.can_manage_meetings(by, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_MEETINGS)
    waiting = meeting.packs.select_for_update().filter(status=BoardPack.Status.QUEUED).first()
    if waiting is not None:
        return waiting
    pack = BoardPack.objects.create(meeting=meeting, requested_by=by)
    audit_record(
        actor=by, verb="board_pack.requested", target=pack, partnership=meeting.partnership
    )
    if enqueue:
        from saferplaces.indicators.tasks import board_pack_build

        transaction.on_commit(partial(board_pack_build.enqueue, pack_id=str(pack.pk)))
    return pack


@transaction.atomic
def meeting_item_to_action(
    *,
    item: MeetingItem,
    by: Any,
    roles: Collection[str],
    priority: Any,
    organisations: list[Any],
    intervention_level: str,
) -> Any:
    """Turn an action arising into an action of the plan (through the plans app's service, so
    its rules and its audit apply: a published plan gets a new version)."""
    from saferplaces.plans import services as plan_services

    if not permissions.can_manage_meetings(by, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_MEETINGS)
    if item.kind != MeetingItem.Kind.ACTION:
        raise ApplicationError("Only an action arising can become a plan action.")
    if item.plan_action_id is not None:
        return item.plan_action
    if priority is None or priority.plan.partnership_id != item.meeting.partnership_id:
        raise ApplicationError(
            "Choose the priority the action belongs to.", extra={"field": "priority"}
        )
    action = plan_services.action_create(
        priority=priority,
        by=by,
        roles=roles,
        data={
            "key_activity": item.text,
            "organisations": organisations,
            "intervention_level": intervention_level,
        },
    )
    item.plan_action = action
    item.save(update_fields=["plan_action", "updated_at"])
    audit_record(
        actor=by,
        verb="meeting.action_added_to_plan",
        target=item.meeting,
        partnership=item.meeting.partnership,
        summary={"item": str(item.pk), "action": str(action.pk)},
    )
    return action
