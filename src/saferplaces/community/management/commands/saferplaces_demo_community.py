"""Give the demo partnership its community network and a neighbourhood forum. Idempotent.

Two neighbourhood watch schemes and a community champion in Greenhill and Agar Nook (the demo
neighbourhood), their coordinators' details labelled as generated for the demonstration; the
neighbourhood's forum with one meeting and three issues (one linked to a priority of the demo
plan, with what the partnership did); and the neighbourhood's public "You said, we did" page.
Everything goes through the services, so the audit log shows it.

Run after saferplaces_setup_demo, saferplaces_demo_neighbourhood and saferplaces_demo_plan.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from saferplaces.accounts.models import Membership, Partnership, Role, User
from saferplaces.accounts.permissions import roles_in_partnership
from saferplaces.core.exceptions import ApplicationError

PARTNERSHIP_CODE = "E22000170"
NEIGHBOURHOOD = "Greenhill and Agar Nook, Coalville"
MANAGER = "manager@demo.saferplaces.test"
ANALYST = "analyst@demo.saferplaces.test"
OFFICER = "officer@demo.saferplaces.test"
LABEL = "(generated for the demonstration)"
CONSENT = (
    "I agree that the community safety partnership may keep my name, e-mail address and phone "
    "number as the contact for this group. My details will not be published. I can withdraw "
    "my consent at any time. [Generated for the demonstration: no real person agreed.]"
)

# (kind, name, LSOAs among the neighbourhood's, members, coordinator, e-mail, phone)
GROUPS = [
    ("watch", f"Greenhill Road Neighbourhood Watch {LABEL}", ["E01025932", "E01025933"], 38,
     f"Alex Sample {LABEL}", "alex.sample@example.invalid", "01530 000 001"),
    ("watch", f"Agar Nook Lane Neighbourhood Watch {LABEL}", ["E01025935"], 21,
     f"Jo Sample {LABEL}", "jo.sample@example.invalid", "01530 000 002"),
    ("champion", f"Greenhill estate community champion {LABEL}", ["E01025932", "E01025934"],
     None, f"Chris Sample {LABEL}", "chris.sample@example.invalid", ""),
]  # fmt: skip

# (text, raised by, votes, status, what we did, link to the plan's priority?)
ISSUES = [
    ("Off-road motorbikes on the Greenhill playing field in the evenings", 9, 17, "done",
     "Police and council wardens patrolled on eight evenings, two bikes were seized and "
     "barriers went in at the field's entrances.", True),
    ("Poor street lighting on the path to the Agar Nook shops", 5, 11, "in_progress",
     "The council has surveyed the path; new lights are ordered.", False),
    ("Litter and fly-tipping behind the community centre", 4, 6, "open", "", False),
]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Record two watch schemes and a community champion in the demo neighbourhood, its "
        "forum with a meeting and three issues, and publish its 'You said, we did' page. "
        "Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Demo e-mails are kept in memory, not printed where they would bury `make run`'s
        # sign-in details (a real deployment sends them: admin guide).
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        from saferplaces.neighbourhoods.models import Neighbourhood

        partnership = Partnership.objects.filter(gss_code=PARTNERSHIP_CODE).first()
        if partnership is None:
            self.stdout.write("No demo partnership: run saferplaces_setup_demo first.")
            return
        neighbourhood = Neighbourhood.objects.filter(
            partnership=partnership, name=NEIGHBOURHOOD
        ).first()
        if neighbourhood is None:
            call_command("saferplaces_demo_neighbourhood", stdout=self.stdout)
            neighbourhood = Neighbourhood.objects.filter(
                partnership=partnership, name=NEIGHBOURHOOD
            ).first()
        if neighbourhood is None:
            self.stdout.write("No demo neighbourhood (is the crime data loaded?): nothing to do.")
            return
        people = {email: self._member(partnership, email, role) for email, role in
                  ((MANAGER, Role.PARTNERSHIP_MANAGER), (ANALYST, Role.ANALYST),
                   (OFFICER, Role.PARTNER_OFFICER))}  # fmt: skip
        if None in people.values():
            self.stdout.write("The demo people are missing: run saferplaces_setup_demo first.")
            return
        try:
            with transaction.atomic():
                self._groups(partnership, neighbourhood, people[ANALYST])
                self._forum(partnership, neighbourhood, people[ANALYST], people[OFFICER])
                self._publish(partnership, neighbourhood, people[MANAGER])
        except ApplicationError as error:
            self.stdout.write(f"Demo community network not made: {error.message}")
            return
        self.stdout.write(self.style.SUCCESS("The demo community network and forum are ready."))

    def _member(self, partnership: Partnership, email: str, role: str) -> User | None:
        membership = (
            Membership.objects.filter(
                user__email=email, organisation__partnership=partnership, role=role
            )
            .select_related("user")
            .first()
        )
        return membership.user if membership else None

    def _groups(self, partnership: Partnership, neighbourhood: Any, analyst: User) -> None:
        from saferplaces.community.models import CommunityGroup
        from saferplaces.community.services import group_create

        owner = neighbourhood.owner_organisation
        roles = roles_in_partnership(analyst, partnership)
        today = timezone.localdate()
        for kind, name, codes, members, coordinator, email, phone in GROUPS:
            if CommunityGroup.objects.filter(partnership=partnership, name=name).exists():
                continue
            group_create(
                partnership=partnership, by=analyst, roles=roles, owner_organisation=owner,
                lsoa_codes=codes, kind=kind, name=name, members_count=members,
                description="Generated for the demonstration: not a real group.",
                listed_publicly=True, review_date=today + timedelta(days=365),
                coordinator_name=coordinator, coordinator_email=email, coordinator_phone=phone,
                consent_given_on=today - timedelta(days=30), consent_wording=CONSENT,
            )  # fmt: skip
            self.stdout.write(f"Recorded: {name}.")

    def _forum(
        self, partnership: Partnership, neighbourhood: Any, analyst: User, officer: User
    ) -> None:
        from saferplaces.community.models import NeighbourhoodForum
        from saferplaces.community.services import forum_create, issue_record, meeting_record

        roles = roles_in_partnership(analyst, partnership)
        forum = NeighbourhoodForum.objects.filter(neighbourhood=neighbourhood).first()
        if forum is None:
            forum = forum_create(
                partnership=partnership, by=analyst, roles=roles, neighbourhood=neighbourhood,
                owner_organisation=neighbourhood.owner_organisation,
                name="Greenhill and Agar Nook residents' forum",
            )  # fmt: skip
        if forum.meetings.exists():
            self.stdout.write(f"{forum.name} already has its meeting.")
            return
        held = timezone.localdate() - timedelta(days=40)
        meeting = meeting_record(
            forum=forum, by=analyst, roles=roles, date=held, place="Greenhill Community Centre",
            attendance=27, notes="Generated for the demonstration.",
        )  # fmt: skip
        priority = self._priority(partnership)
        for text, raised, votes, status, did, linked in ISSUES:
            issue_record(
                meeting=meeting, by=analyst, roles=roles, text=text, raised_by=raised,
                votes=votes, status=status, we_did=did,
                priority=priority if linked else None,
            )  # fmt: skip
        self.stdout.write(f"{forum.name}: a meeting on {held:%-d %B %Y} with three issues.")

    def _priority(self, partnership: Partnership) -> Any:
        """The demo plan's anti-social behaviour priority (else its first), or None."""
        from saferplaces.plans.models import Priority

        priorities = list(
            Priority.objects.filter(plan__partnership=partnership).order_by(
                "-plan__start_year", "order"
            )
        )
        for priority in priorities:
            if "anti-social" in priority.title.lower() or "asb" in priority.title.lower():
                return priority
        if not priorities:
            self.stdout.write("No demo plan yet (saferplaces_demo_plan): the issue is not linked.")
        return priorities[0] if priorities else None

    def _publish(self, partnership: Partnership, neighbourhood: Any, manager: User) -> None:
        from saferplaces.community.services import page_publish

        page_publish(
            partnership=partnership, neighbourhood=neighbourhood, by=manager,
            roles=roles_in_partnership(manager, partnership),
        )  # fmt: skip
