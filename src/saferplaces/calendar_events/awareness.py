"""National awareness weeks a partnership often joins, to add with one click.

Their organisers set the dates each year, so none is stored here: the form opens with the
title, kind and description filled in and the dates blank, for the person adding it to copy
from the organiser's own announcement. ``when`` says only what is true every year.
"""

from __future__ import annotations

from dataclasses import dataclass

from saferplaces.calendar_events.models import Audience, EventKind


@dataclass(frozen=True)
class AwarenessWeek:
    key: str
    title: str
    organiser: str
    when: str
    description: str
    kind: str = EventKind.AWARENESS_WEEK
    audience: str = Audience.PUBLIC


AWARENESS_WEEKS: tuple[AwarenessWeek, ...] = (
    AwarenessWeek(
        key="asb-awareness-week",
        title="ASB Awareness Week",
        organiser="Resolve (the national anti-social behaviour charity)",
        when="Dates are announced by Resolve each year.",
        description="The national week to raise awareness of anti-social behaviour and what "
        "partners and residents can do about it.",
    ),
    AwarenessWeek(
        key="knife-crime-awareness-week",
        title="Knife Crime Awareness Week (Operation Sceptre)",
        organiser="Police forces, through Operation Sceptre",
        when="Operation Sceptre weeks of action are set nationally; check the dates with the "
        "police.",
        description="A week of action against knife crime: weapon sweeps, amnesty bins, test "
        "purchases and education in schools.",
    ),
    AwarenessWeek(
        key="hate-crime-awareness-week",
        title="National Hate Crime Awareness Week",
        organiser="Hate crime charities with the police and councils",
        when="Held in October; the exact week is announced each year.",
        description="A week to encourage reporting of hate crime and to support victims.",
    ),
    AwarenessWeek(
        key="16-days-of-action",
        title="16 Days of Action against domestic abuse",
        organiser="The international 16 Days of Activism against gender-based violence",
        when="Runs from 25 November to 10 December each year.",
        description="Sixteen days of events and messages against domestic abuse and violence "
        "against women and girls.",
        kind=EventKind.CAMPAIGN,
    ),
    AwarenessWeek(
        key="safer-internet-day",
        title="Safer Internet Day",
        organiser="The UK Safer Internet Centre",
        when="One day in February; the date is announced each year.",
        description="A day on using the internet safely, aimed at children, parents and schools.",
    ),
    AwarenessWeek(
        key="scams-awareness",
        title="Scams Awareness Fortnight",
        organiser="Citizens Advice",
        when="Dates are announced by Citizens Advice each year.",
        description="Two weeks to help residents spot, report and talk about scams.",
        kind=EventKind.CAMPAIGN,
    ),
)

BY_KEY = {week.key: week for week in AWARENESS_WEEKS}
