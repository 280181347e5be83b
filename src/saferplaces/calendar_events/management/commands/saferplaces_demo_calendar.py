"""Give the demo partnership a calendar: board meetings, a public drop-in, campaign weeks.

Dates are relative to today so the demo always has something coming up. The only national
dates used are those fixed every year (the 16 Days of Action run from 25 November to 10
December); the other campaign weeks are the partnership's own, chosen by the partnership and
described as such, never presented as an organiser's official dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from saferplaces.accounts.models import Membership, Partnership, Role

PARTNERSHIP_CODE = "E22000170"
MANAGER = "manager@demo.saferplaces.test"
COUNCIL = "North West Leicestershire District Council"
POLICE = "Leicestershire Police"


@dataclass(frozen=True)
class DemoEvent:
    title: str
    kind: str
    audience: str
    organisation: str
    start_date: dt.date
    end_date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    location: str = ""
    description: str = ""


def _first_weekday(year: int, month: int, weekday: int) -> dt.date:
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _month_after(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def demo_events(today: dt.date) -> list[DemoEvent]:
    events = []
    for ahead in (1, 2, 3):
        year, month = _month_after(today, ahead)
        # The second Tuesday of the month, as many partnership boards meet.
        meeting = _first_weekday(year, month, 1) + dt.timedelta(days=7)
        events.append(
            DemoEvent(
                title="Community safety partnership board", kind="meeting", audience="staff",
                organisation=COUNCIL, start_date=meeting, end_date=meeting,
                start_time=dt.time(14, 0), end_time=dt.time(16, 0),
                location="Council offices, Coalville (demo)",
                description="The partnership board: progress on the action plan, indicators "
                "and exceptions, decisions needed. Papers a week before.",
            )
        )  # fmt: skip
    year, month = _month_after(today, 1)
    drop_in = _first_weekday(year, month, 5) + dt.timedelta(days=14)
    events.append(
        DemoEvent(
            title="Have your say: community safety drop-in", kind="consultation",
            audience="public", organisation=COUNCIL, start_date=drop_in, end_date=drop_in,
            start_time=dt.time(10, 0), end_time=dt.time(13, 0),
            location="Coalville town centre (demo venue)",
            description="Come and tell the partnership what worries you about crime and "
            "anti-social behaviour where you live, and what we should do about it.",
        )
    )  # fmt: skip
    year, month = _month_after(today, 2)
    asb = _first_weekday(year, month, 0)
    events.append(
        DemoEvent(
            title="Anti-social behaviour week of action", kind="campaign", audience="public",
            organisation=COUNCIL, start_date=asb, end_date=asb + dt.timedelta(days=6),
            location="Across North West Leicestershire",
            description="A week of action on anti-social behaviour planned by the partnership "
            "(dates chosen by the partnership, not the national ASB Awareness Week, whose "
            "dates Resolve announces each year).",
        )
    )  # fmt: skip
    year, month = _month_after(today, 3)
    knife = _first_weekday(year, month, 0) + dt.timedelta(days=7)
    events.append(
        DemoEvent(
            title="Knife crime week of action", kind="campaign", audience="public",
            organisation=POLICE, start_date=knife, end_date=knife + dt.timedelta(days=6),
            location="Across North West Leicestershire",
            description="Weapon sweeps, knife amnesty bins and talks in schools, planned by "
            "the partnership (dates chosen by the partnership; the national Operation "
            "Sceptre weeks are set by the police each year).",
        )
    )  # fmt: skip
    # Fixed every year: 25 November (the UN's day for the elimination of violence against
    # women) to 10 December (Human Rights Day).
    year = today.year if today <= dt.date(today.year, 12, 10) else today.year + 1
    events.append(
        DemoEvent(
            title="16 Days of Action against domestic abuse", kind="awareness_week",
            audience="public", organisation=COUNCIL, start_date=dt.date(year, 11, 25),
            end_date=dt.date(year, 12, 10),
            description="Sixteen days of events and messages against domestic abuse, from 25 "
            "November to 10 December.",
        )
    )  # fmt: skip
    return events


class Command(BaseCommand):
    help = (
        "Add demo events to the demo partnership's calendar (board meetings, a public "
        "drop-in, campaign weeks). Run after saferplaces_setup_demo. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from saferplaces.calendar_events.models import Event
        from saferplaces.calendar_events.selectors import roles_by_organisation
        from saferplaces.calendar_events.services import event_create

        partnership = Partnership.objects.filter(gss_code=PARTNERSHIP_CODE).first()
        if partnership is None:
            self.stdout.write("No demo partnership: run saferplaces_setup_demo first.")
            return
        membership = (
            Membership.objects.filter(
                user__email=MANAGER,
                organisation__partnership=partnership,
                role=Role.PARTNERSHIP_MANAGER,
            )
            .select_related("user")
            .first()
        )
        if membership is None:
            self.stdout.write(f"No demo manager ({MANAGER}): run saferplaces_setup_demo.")
            return
        manager = membership.user
        org_roles = roles_by_organisation(user=manager, partnership=partnership)
        organisations = {o.name: o for o in partnership.organisations.all()}
        added = 0
        for item in demo_events(timezone.localdate()):
            owner = organisations.get(item.organisation)
            exists = Event.objects.filter(
                partnership=partnership, title=item.title, start_date=item.start_date
            ).exists()
            if owner is None or exists:
                continue
            event_create(
                by=manager, partnership=partnership, org_roles=org_roles,
                owner_organisation=owner, title=item.title, kind=item.kind,
                start_date=item.start_date, end_date=item.end_date,
                start_time=item.start_time, end_time=item.end_time, location=item.location,
                description=item.description, audience=item.audience,
            )  # fmt: skip
            added += 1
        self.stdout.write(self.style.SUCCESS(f"Demo calendar: {added} event(s) added."))
