"""Give the demo partnership a published 2026–2029 Community Safety Plan. Idempotent.

The priorities come from the demo strategic assessment's priority matrix. When the partnership
has no approved assessment yet, the demo draft is submitted by the demo analyst and approved by
the demo manager first (through the assessment services, so the audit log shows it), so every
priority's evidence link points at an approved version.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from saferplaces.accounts.models import Membership, Organisation, Partnership, Role, User
from saferplaces.assessments import services as assessment_services
from saferplaces.assessments.models import Assessment, AssessmentStatus
from saferplaces.assessments.selectors import assessment_last_approved
from saferplaces.core.exceptions import ApplicationError
from saferplaces.plans import services
from saferplaces.plans.models import Plan

DEMO_GSS_CODE = "E22000170"  # North West Leicestershire CSP (saferplaces_setup_demo)
MANAGER = "manager@demo.saferplaces.test"
ANALYST = "analyst@demo.saferplaces.test"
OFFICER = "officer@demo.saferplaces.test"
TITLE = "Community Safety Plan"
START, END = 2026, 2029
PRIORITIES = 4

COUNCIL = "North West Leicestershire District Council"
POLICE = "Leicestershire Police"
FIRE = "Leicestershire Fire and Rescue Service"
HOUSING = "Demo Housing Association"
YOUTH = "Leicestershire Youth Justice Service"
VOLUNTARY = "Coalville Community Voluntary Group (demo)"
PROBATION = "Probation Service East Midlands"

VISION = (
    "North West Leicestershire is a place where people feel safe at home, in their town "
    "centres and online, and where partners act early, together, on what the evidence shows "
    "matters most.\n\n"
    "Over the four years of this plan the partnership will focus its shared effort on the "
    "priorities its strategic assessment ranked highest, and report progress to residents."
)

# Three actions per priority: (key activity with {topic}, owners, level, cost, funding,
# (months to completion), milestones as (title, months from the start of 2026)).
ACTIONS = [
    (
        "Map the places and times where {topic} concentrates and agree a problem-solving "
        "plan for the top locations",
        [POLICE, COUNCIL],
        "problem_solving",
        None,
        "",
        18,
        [("Problem profile agreed", 4), ("Plans in place for the top five locations", 10)],
    ),
    (
        "Run a prevention campaign with residents and businesses on {topic}, with advice "
        "in plain English",
        [COUNCIL, VOLUNTARY],
        "prevention",
        Decimal("4500.00"),
        "Police and Crime Commissioner community safety grant",
        12,
        [("Campaign materials ready", 3), ("Campaign week held", 6)],
    ),
    (
        "Offer early support to repeat victims and to people starting to offend, linked to {topic}",
        [POLICE, HOUSING],
        "early_resolution",
        Decimal("12000.00"),
        "Partnership budget",
        24,
        [("Referral route agreed", 5), ("First quarterly review", 9)],
    ),
]
# The last priority also gets a high-risk action (so every level appears in the demo).
HIGH_RISK = (
    "Manage the small number of people and places at highest risk of {topic} through the "
    "multi-agency risk meeting",
    [PROBATION, POLICE, YOUTH],
    "high_risk",
    None,
    "",
    36,
    [("Risk meeting terms of reference agreed", 3)],
)


def _month(months: int) -> date:
    year, month = divmod(months, 12)
    return date(START + year, month + 1, 1)


class Command(BaseCommand):
    help = (
        "Create a published 2026–2029 community safety plan for the demo partnership, with "
        "priorities from the demo strategic assessment, a dozen actions across partner "
        "organisations, milestones and progress updates. Does nothing when the plan exists. "
        "Run after saferplaces_demo_assessment."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = Partnership.objects.filter(gss_code=DEMO_GSS_CODE).first()
        if partnership is None:
            raise CommandError("No demo partnership: run `manage.py saferplaces_setup_demo` first.")
        if Plan.objects.filter(partnership=partnership, start_year=START, title=TITLE).exists():
            self.stdout.write("The demo partnership already has its 2026–2029 plan; nothing to do.")
            return
        manager = self._user(partnership, MANAGER, Role.PARTNERSHIP_MANAGER)
        analyst = self._user(partnership, ANALYST, Role.ANALYST)
        officer = self._user(partnership, OFFICER, Role.PARTNER_OFFICER)
        try:
            with transaction.atomic():
                assessment = self._approved_assessment(partnership, manager, analyst)
                plan = self._plan(partnership, assessment, manager, analyst, officer)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Published: {plan.title} {plan.period_label}, with {plan.priorities.count()} "
                f"priorities from assessment version {assessment.number}."
            )
        )

    def _user(self, partnership: Partnership, email: str, role: str) -> User:
        membership = (
            Membership.objects.filter(
                organisation__partnership=partnership, role=role, user__email=email
            )
            .select_related("user")
            .first()
        )
        if membership is None:
            raise CommandError(f"No demo user {email}: run saferplaces_setup_demo.")
        return membership.user

    def _approved_assessment(
        self, partnership: Partnership, manager: User, analyst: User
    ) -> Assessment:
        approved = assessment_last_approved(partnership=partnership)
        if approved is not None:
            return approved
        draft = (
            Assessment.objects.filter(
                partnership=partnership,
                status__in=[AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED],
                document__isnull=False,
            )
            .order_by("-created_at")
            .first()
        )
        if draft is None:
            raise CommandError(
                "The demo partnership has no strategic assessment to take priorities from: "
                "run `manage.py saferplaces_demo_assessment` first."
            )
        if draft.status == AssessmentStatus.DRAFT:
            draft = assessment_services.assessment_submit(
                assessment=draft, by=analyst, roles={Role.ANALYST}
            )
        return assessment_services.assessment_approve(
            assessment=draft,
            by=manager,
            roles={Role.PARTNERSHIP_MANAGER},
            note="Approved for the demo so the community safety plan can cite it.",
        )

    def _plan(
        self,
        partnership: Partnership,
        assessment: Assessment,
        manager: User,
        analyst: User,
        officer: User,
    ) -> Plan:
        roles = {Role.PARTNERSHIP_MANAGER}
        organisations = {o.name: o for o in Organisation.objects.filter(partnership=partnership)}
        plan = services.plan_create(
            partnership=partnership,
            by=manager,
            roles=roles,
            title=TITLE,
            start_year=START,
            end_year=END,
            vision=VISION,
        )
        from saferplaces.assessments.document import priority_rows

        ranked = sorted(priority_rows(assessment), key=lambda row: row.rank)[:PRIORITIES]
        priorities = services.priorities_from_assessment(
            plan=plan,
            assessment=assessment,
            categories=[row.category for row in ranked],
            by=manager,
            roles=roles,
        )
        leads = [(POLICE, officer), (COUNCIL, analyst), (COUNCIL, manager), (POLICE, officer)]
        actions = []
        for index, priority in enumerate(priorities):
            lead_org, lead_officer = leads[index % len(leads)]
            services.priority_change(
                priority=priority,
                by=manager,
                roles=roles,
                data={
                    "title": priority.title,
                    "description": priority.description,
                    "lead_officer": lead_officer,
                    "lead_organisation": organisations[lead_org],
                },
            )
            topic = priority.title.lower()
            objective = services.objective_create(
                priority=priority,
                by=manager,
                roles=roles,
                text=f"Fewer people harmed by {topic}, measured against the 2025 baseline",
            )
            specs = list(ACTIONS) + ([HIGH_RISK] if index == len(priorities) - 1 else [])
            for spec in specs:
                text, owners, level, cost, funding, months, milestones = spec
                owner_orgs = [organisations[name] for name in owners]
                officers = [officer] if POLICE in owners else [analyst]
                action = services.action_create(
                    priority=priority,
                    by=manager,
                    roles=roles,
                    data={
                        "key_activity": text.format(topic=topic),
                        "objective": objective,
                        "organisations": owner_orgs,
                        "responsible_officers": officers,
                        "intervention_level": level,
                        "status": "not_started",
                        "start_date": date(START, 4, 1),
                        "completion_date": _month(months) - timedelta(days=1),
                        "cost": cost,
                        "funding_source": funding,
                    },
                )
                for title, due in milestones:
                    services.milestone_create(
                        action=action, by=manager, roles=roles, title=title, due_date=_month(due)
                    )
                actions.append(action)
        services.plan_submit(plan=plan, by=analyst, roles={Role.ANALYST})
        services.plan_approve(
            plan=plan,
            by=manager,
            roles=roles,
            minute=(
                "Community Safety Partnership board, 12 March 2026, item 5: the board approved "
                "the Community Safety Plan 2026–2029."
            ),
            approved_on=min(date(2026, 3, 12), timezone.localdate()),
        )
        plan.refresh_from_db()
        services.plan_publish(plan=plan, by=manager, roles=roles)
        self._progress(partnership, actions, analyst, officer)
        plan.refresh_from_db()
        return plan

    def _progress(
        self, partnership: Partnership, actions: list[Any], analyst: User, officer: User
    ) -> None:
        """A few updates: the police officer on police actions, the analyst on the others."""
        from saferplaces.plans.selectors import officer_organisation_ids

        today = timezone.localdate()
        officer_orgs = officer_organisation_ids(user=officer, partnership=partnership)
        updates = [
            (
                0,
                "on_track",
                "Problem profile drafted with police and council data; locations agreed.",
                "Problem-solving meeting minutes",
            ),
            (
                1,
                "complete",
                "Campaign week held; leaflets delivered to 4,000 homes.",
                "Campaign report to the board",
            ),
            (2, "at_risk", "Referral route delayed: waiting for the data-sharing agreement.", ""),
            (3, "on_track", "Top locations identified; patrol plans in place.", "Tasking minutes"),
        ]
        for days_ago, (index, status, text, evidence) in enumerate(updates, start=1):
            if index >= len(actions):
                continue
            action = actions[index]
            owners = {str(o.pk) for o in action.organisations.all()}
            by, roles = (
                (officer, {Role.PARTNER_OFFICER})
                if owners & officer_orgs
                else (analyst, {Role.ANALYST})
            )
            services.progress_post(
                action=action,
                by=by,
                roles=roles,
                officer_org_ids=officer_orgs if by == officer else set(),
                on=today - timedelta(days=7 * days_ago),
                text=text,
                evidence_note=evidence,
                status=status,
            )
        done = actions[1].milestones.order_by("due_date").first()
        if done is not None and done.due_date <= today:
            services.milestone_change(
                milestone=done,
                by=analyst,
                roles={Role.ANALYST},
                officer_org_ids=set(),
                title=done.title,
                due_date=done.due_date,
                done_date=done.due_date,
            )
