"""Give the demo plan its indicators, one board meeting and its board pack. Idempotent.

Run after ``saferplaces_demo_plan``. Bound indicators are computed from the data folder (the
real Leicestershire data when ``make demo-data`` loaded it); manual ones get figures labelled
"example figure entered for the demo". Baselines are the 12 months to October 2022, the last
complete year before the gap in the published Leicestershire data (2023 and most of 2024 are
missing), and targets are for December 2027, so the judged period (the 12 months to December
2025) is part of the way along the trajectory. With these targets:

- *Anti-social behaviour in North West Leicestershire* is red because the rise is real: 761 to
  1,281 a year, far beyond its usual variation (tested).
- *Burglary in the Greenhill and Agar Nook neighbourhood* is amber: 24 against about 22
  expected is more than 5 % off (a naive rule would show red), but well within the usual
  variation of so few crimes.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from saferplaces.accounts.models import Partnership, User
from saferplaces.accounts.permissions import roles_in_partnership
from saferplaces.indicators import meetings, services
from saferplaces.indicators.boardpack import board_pack_build_run
from saferplaces.indicators.models import BoardPack, Indicator, Meeting, MeetingItem
from saferplaces.indicators.tasks import refresh_run

DEMO_GSS_CODE = "E22000170"
MANAGER = "manager@demo.saferplaces.test"
BASELINE_MONTH = date(2022, 10, 1)
BASELINE_PERIOD = "12 months to October 2022"
TARGET_DATE = date(2027, 12, 1)
EXAMPLE = "Example figure entered for the demo (not a real return)."
COALVILLE_WARDS = ["E05010104", "E05010105", "E05010108", "E05010110"]
COALVILLE_LABEL = "Coalville wards (Coalville East, Coalville West, Greenhill, Holly Hayes)"
NEIGHBOURHOOD = "Greenhill and Agar Nook, Coalville"
MEETING_TITLE = "Community Safety Partnership board"

# (priority category, name, area, categories, measure, unit, target change from baseline)
BOUND = [
    (
        "violent-crime",
        "Violence and sexual offences in North West Leicestershire",
        "partnership",
        ["violent-crime"],
        "count",
        "crimes",
        -0.10,
    ),
    (
        "violent-crime",
        "Violence and sexual offences per 1,000 residents",
        "partnership",
        ["violent-crime"],
        "rate",
        "per 1,000 residents",
        -0.10,
    ),
    (
        "violent-crime",
        "Violence and sexual offences in Coalville wards",
        "wards",
        ["violent-crime"],
        "count",
        "crimes",
        -0.10,
    ),
    (
        "anti-social-behaviour",
        "Anti-social behaviour incidents in North West Leicestershire",
        "partnership",
        ["anti-social-behaviour"],
        "count",
        "incidents",
        -0.10,
    ),
    (
        "anti-social-behaviour",
        "Anti-social behaviour incidents in the Greenhill and Agar Nook neighbourhood",
        "neighbourhood",
        ["anti-social-behaviour"],
        "count",
        "incidents",
        -0.10,
    ),
    (
        "anti-social-behaviour",
        "Criminal damage and arson in Coalville wards",
        "wards",
        ["criminal-damage-arson"],
        "count",
        "crimes",
        -0.10,
    ),
    (
        "burglary",
        "Burglary per 1,000 residents in North West Leicestershire",
        "partnership",
        ["burglary"],
        "rate",
        "per 1,000 residents",
        -0.10,
    ),
    (
        "burglary",
        "Burglary in the Greenhill and Agar Nook neighbourhood",
        "neighbourhood",
        ["burglary"],
        "count",
        "crimes",
        -0.10,
    ),
    (
        "burglary",
        "Acquisitive crime rate per 1,000 in Coalville wards",
        "wards",
        ["acquisitive"],
        "rate",
        "per 1,000 residents",
        -0.10,
    ),
    (
        "robbery",
        "Robbery in North West Leicestershire",
        "partnership",
        ["robbery"],
        "count",
        "crimes",
        -0.10,
    ),
    (
        "robbery",
        "Possession of weapons in North West Leicestershire",
        "partnership",
        ["possession-of-weapons"],
        "count",
        "crimes",
        -0.10,
    ),
]

# (priority category, name, unit, direction, baseline, target, values by month (v, low, high))
MANUAL = [
    (
        "anti-social-behaviour",
        "Residents who feel safe in their area after dark (survey)",
        "% of residents",
        "higher",
        62.0,
        70.0,
        [(date(2025, 3, 1), 63.0, 59.1, 66.9), (date(2025, 9, 1), 64.5, 60.6, 68.4)],
    ),
    (
        "violent-crime",
        "Victims of domestic abuse supported by the IDVA service",
        "people a quarter",
        "higher",
        80.0,
        100.0,
        [
            (date(2025, 6, 1), 84.0, None, None),
            (date(2025, 9, 1), 88.0, None, None),
            (date(2025, 12, 1), 91.0, None, None),
        ],
    ),
    (
        "burglary",
        "Homes given a target-hardening visit after a burglary",
        "homes a quarter",
        "higher",
        40.0,
        60.0,
        [
            (date(2025, 6, 1), 43.0, None, None),
            (date(2025, 9, 1), 39.0, None, None),
            (date(2025, 12, 1), 47.0, None, None),
        ],
    ),
    (
        "robbery",
        "Young people completing the diversion programme",
        "young people a quarter",
        "higher",
        12.0,
        20.0,
        [(date(2025, 9, 1), 13.0, None, None), (date(2025, 12, 1), 15.0, None, None)],
    ),
]


class Command(BaseCommand):
    help = (
        "Add the demo plan's indicators (bound to the crime data and manual with example "
        "figures), compute them, and make one board meeting with its board pack. Idempotent; "
        "run after saferplaces_demo_plan."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's exception e-mails are kept in memory, not printed on the console where they
        # would bury `make run`'s sign-in details (a real deployment sends them: admin guide).
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        from saferplaces.neighbourhoods.models import Neighbourhood
        from saferplaces.plans.models import Plan

        partnership = Partnership.objects.filter(gss_code=DEMO_GSS_CODE).first()
        plan = Plan.objects.filter(partnership=partnership).order_by("-start_year").first()
        manager = User.objects.filter(email=MANAGER).first()
        if partnership is None or plan is None or manager is None:
            raise CommandError("Run saferplaces_setup_demo and saferplaces_demo_plan first.")
        roles = roles_in_partnership(manager, partnership)
        priorities = {p.assessment_category: p for p in plan.priorities.all()}
        fallback = plan.priorities.order_by("order").first()
        neighbourhood = Neighbourhood.objects.filter(
            partnership=partnership, name=NEIGHBOURHOOD
        ).first()

        # The baselines are the data's own values, so compute the series once first.
        created = 0
        for category, name, area_kind, cats, measure, unit, _change in BOUND:
            if area_kind == "neighbourhood" and neighbourhood is None:
                continue
            if Indicator.objects.filter(plan=plan, name=name).exists():
                continue
            area: dict[str, Any] = {"kind": area_kind}
            if area_kind == "wards":
                area.update(wards=COALVILLE_WARDS, label=COALVILLE_LABEL)
            if area_kind == "neighbourhood" and neighbourhood is not None:
                area.update(neighbourhood_id=str(neighbourhood.pk), label=neighbourhood.name)
            services.indicator_create(
                plan=plan,
                by=manager,
                roles=roles,
                data={
                    "name": name,
                    "priority": priorities.get(category, fallback),
                    "kind": Indicator.Kind.BOUND,
                    "unit": unit,
                    "direction": "lower",
                    "frequency": "monthly",
                    "measure": {"area": area, "categories": cats, "measure": measure},
                    "source": "police.uk street-level crime data (computed by SaferPlaces)",
                },
            )
            created += 1
        refresh_run(partnership_id=str(partnership.pk))
        self._set_targets(plan, manager, roles)
        refresh_run(partnership_id=str(partnership.pk))
        for category, name, unit, direction, baseline, target, values in MANUAL:
            indicator = Indicator.objects.filter(plan=plan, name=name).first()
            if indicator is None:
                indicator = services.indicator_create(
                    plan=plan,
                    by=manager,
                    roles=roles,
                    data={
                        "name": name,
                        "priority": priorities.get(category, fallback),
                        "kind": Indicator.Kind.MANUAL,
                        "unit": unit,
                        "direction": direction,
                        "frequency": "quarterly",
                        "baseline_value": baseline,
                        "baseline_period": "2024–25 (example)",
                        "baseline_month": date(2024, 12, 1),
                        "target_value": target,
                        "target_date": TARGET_DATE,
                        "source": "Partner return (example figures for the demo)",
                    },
                )
                created += 1
            for month, value, low, high in values:
                if not indicator.values.filter(month=month).exists():
                    services.indicator_value_enter(
                        indicator=indicator,
                        by=manager,
                        roles=roles,
                        organisation_ids=set(),
                        month=month,
                        value=value,
                        low=low,
                        high=high,
                        note=EXAMPLE,
                    )
        self._example_note(partnership, manager)
        pack = self._meeting(partnership, plan, manager, roles)
        self._scrutiny(partnership, plan, manager, roles)
        colours: dict[str, int] = {}
        for indicator in Indicator.objects.filter(plan=plan):
            colours[indicator.shown_colour] = colours.get(indicator.shown_colour, 0) + 1
        self.stdout.write(
            f"Indicators: {Indicator.objects.filter(plan=plan).count()} ({created} new); "
            f"colours {dict(sorted(colours.items()))}. Board pack: {pack}."
        )

    def _set_targets(self, plan: Any, manager: Any, roles: set[str]) -> None:
        """Baseline = the indicator's own value for the 12 months to October 2022."""
        for _category, name, *_rest, change in BOUND:
            indicator = Indicator.objects.filter(plan=plan, name=name).first()
            if indicator is None or indicator.baseline_value is not None:
                continue
            row = indicator.values.filter(month=BASELINE_MONTH, no_data=False).first()
            if row is None or row.value is None:
                continue
            precise = (indicator.measure or {}).get("measure") == "rate"
            baseline = round(row.value, 2) if precise else row.value
            target = round(baseline * (1 + change), 2 if precise else 0)
            data = {f: getattr(indicator, f) for f in services.FIELDS}
            data.update(
                baseline_value=baseline,
                baseline_period=BASELINE_PERIOD,
                baseline_month=BASELINE_MONTH,
                target_value=target,
                target_date=TARGET_DATE,
            )
            services.indicator_update(indicator=indicator, by=manager, roles=roles, data=data)

    def _example_note(self, partnership: Any, manager: Any) -> None:
        from saferplaces.indicators.models import PlanException

        first = (
            PlanException.objects.filter(
                partnership=partnership,
                status="open",
                indicator__name__startswith="Anti-social behaviour incidents in North West",
            )
            .order_by("created_at")
            .first()
        )
        if first is None:
            return
        services.exception_note(
            exception=first,
            by=manager,
            allowed=True,
            cause="Example note for the demo: reports of anti-social behaviour rose across the "
            "district in 2025, most of all in Coalville town centre in the summer months.",
            recovery_action="Example for the demo: a problem-solving plan for the town centre "
            "with the police neighbourhood team and the council's ASB officers.",
            recovery_date=timezone.localdate() + timedelta(days=120),
        )

    def _scrutiny(self, partnership: Any, plan: Any, manager: Any, roles: set[str]) -> None:
        """A draft annual review for the scrutiny committee, with example words."""
        from saferplaces.indicators import scrutiny
        from saferplaces.indicators.models import ScrutinyReview

        year = timezone.localdate().year
        if ScrutinyReview.objects.filter(partnership=partnership, year=year).exists():
            return
        review = scrutiny.scrutiny_create(
            partnership=partnership,
            by=manager,
            roles=roles,
            data={
                "year": year,
                "plan": plan,
                "committee": "Community Scrutiny Committee (example for the demo)",
                "responsibilities": "Example text for the demo: the partnership produced its "
                "strategic assessment from the police.uk data, agreed the 2026–2029 plan, and "
                "met as a board each quarter with its exception reports.",
                "successes": "Example text for the demo: violence and sexual offences are "
                "below the level expected on the way to the target.",
                "year_ahead": "Example text for the demo: a problem-solving plan for "
                "anti-social behaviour in Coalville town centre.",
                "recommendations": "Example text for the demo: keep anti-social behaviour a "
                "priority while its indicator is red.",
            },
        )
        recommendation = scrutiny.recommendation_add(
            review=review,
            by=manager,
            roles=roles,
            text="Example for the demo: report anti-social behaviour by ward each quarter.",
        )
        scrutiny.recommendation_respond(
            recommendation=recommendation,
            by=manager,
            roles=roles,
            response="Example for the demo: agreed; the board pack will carry it from the next "
            "meeting.",
        )

    @transaction.atomic
    def _meeting_row(self, partnership: Any, plan: Any, manager: Any, roles: set[str]) -> Meeting:
        meeting = Meeting.objects.filter(partnership=partnership, title=MEETING_TITLE).first()
        if meeting is not None:
            return meeting
        meeting_date = timezone.localdate() + timedelta(days=28)
        meeting = meetings.meeting_create(
            partnership=partnership,
            by=manager,
            roles=roles,
            data={
                "title": MEETING_TITLE,
                "date": meeting_date,
                "plan": plan,
                "agenda": "Welcome and apologies\nPerformance: indicators and exceptions\n"
                "Anti-social behaviour in Greenhill and Agar Nook\n"
                "Action plan progress\nAny other business",
                "attendees": list(partnership.organisations.all()[:5]),
            },
        )
        for kind, text, owner, due in (
            (
                MeetingItem.Kind.DECISION_NEEDED,
                "Agree the recovery plan for anti-social behaviour (exception report attached).",
                "",
                None,
            ),
            (
                MeetingItem.Kind.DECISION_NEEDED,
                "Agree to keep burglary in Greenhill and Agar Nook at amber: the rise is within "
                "the usual variation of so few crimes.",
                "",
                None,
            ),
            (
                MeetingItem.Kind.ACTION,
                "Report back on the town-centre problem-solving plan at the next meeting.",
                "Community safety manager",
                meeting_date + timedelta(days=91),
            ),
        ):
            meetings.meeting_item_add(
                meeting=meeting,
                by=manager,
                roles=roles,
                kind=kind,
                text=text,
                owner=owner,
                due_date=due,
            )
        return meeting

    def _meeting(self, partnership: Any, plan: Any, manager: Any, roles: set[str]) -> str:
        meeting = self._meeting_row(partnership, plan, manager, roles)
        if meeting.packs.filter(status=BoardPack.Status.READY).exists():
            return "already made"
        pack = meetings.board_pack_request(meeting=meeting, by=manager, roles=roles, enqueue=False)
        return board_pack_build_run(pack_id=str(pack.pk))
