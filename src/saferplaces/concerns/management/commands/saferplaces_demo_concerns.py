"""Give the demo partnership a few residents' concerns at different stages. Idempotent.

Real North West Leicestershire postcodes (looked up in the ONS file like a resident's would
be); the descriptions and the residents are generated for the demonstration and say so. The
staff steps go through the services, so the timeline and the audit log show them.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from saferplaces.accounts.models import Organisation, Partnership, User
from saferplaces.concerns import services
from saferplaces.concerns.models import Concern, Outcome
from saferplaces.concerns.postcodes import postcode_place
from saferplaces.concerns.selectors import staff_access

DEMO_GSS_CODE = "E22000170"  # North West Leicestershire CSP (saferplaces_setup_demo)
MANAGER = "manager@demo.saferplaces.test"
OFFICER = "officer@demo.saferplaces.test"
COUNCIL = "North West Leicestershire District Council"
POLICE = "Leicestershire Police"
LABEL = " (Generated for the demonstration.)"
NAMESPACE = uuid.UUID("6f1c3f0e-3d5a-4d0b-9a51-5e0c2b7d9a10")

# key, category, postcode, description, resident (None: anonymous), stage
DEMO = [
    ("new", "fly_tipping", "LE67 3AA",
     "Bags of rubbish and an old mattress dumped at the end of the lane by the field gate.",
     None, "new"),
    ("bikes", "vehicle_nuisance", "LE65 1AA",
     "Off-road bikes ride across the recreation ground most evenings, close to children.",
     ("Demo Resident One", "resident.one@demo.saferplaces.test"), "assigned"),
    ("bikes-again", "vehicle_nuisance", "LE65 1AA",
     "Motorbikes on the park again at about 8pm, tearing up the grass.",
     None, "duplicate"),
    ("graffiti", "graffiti", "LE12 5BA",
     "Graffiti sprayed across the bus shelter and the wall of the village hall.",
     ("Demo Resident Two", "resident.two@demo.saferplaces.test"), "closed"),
    ("drinking", "street_drinking", "DE74 0AE",
     "A group drinking by the war memorial leaves cans and bottles and shouts at passers-by.",
     None, "reopened"),
]  # fmt: skip


class Command(BaseCommand):
    help = "Add generated residents' concerns at different stages to the demo partnership."

    def handle(self, *args: Any, **options: Any) -> None:
        # Demo e-mails are kept in memory, not printed where they would bury `make run`'s
        # sign-in details (a real deployment sends them: admin guide).
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        partnership = Partnership.objects.filter(gss_code=DEMO_GSS_CODE).first()
        if partnership is None:
            raise CommandError("No demo partnership: run `manage.py saferplaces_setup_demo` first.")
        manager = User.objects.filter(email=MANAGER).first()
        officer = User.objects.filter(email=OFFICER).first()
        council = Organisation.objects.filter(partnership=partnership, name=COUNCIL).first()
        police = Organisation.objects.filter(partnership=partnership, name=POLICE).first()
        if None in (manager, officer, council, police):
            raise CommandError("The demo users or organisations are missing: run setup first.")
        made = 0
        with transaction.atomic():
            concerns: dict[str, Concern] = {}
            for key, category, postcode, text, resident, stage in DEMO:
                submission_key = uuid.uuid5(NAMESPACE, key)
                if Concern.objects.filter(submission_key=submission_key).exists():
                    concerns[key] = Concern.objects.get(submission_key=submission_key)
                    continue
                place = postcode_place(postcode)
                answers = {
                    "category": category, "location_method": "postcode", "postcode": postcode,
                    "lsoa_code": place.lsoa_code, "lsoa_name": place.lsoa_name,
                    "ongoing": True, "time_of_day": "evening", "description": text + LABEL,
                    "anonymous": resident is None,
                    "name": resident[0] if resident else "",
                    "email": resident[1] if resident else "",
                }  # fmt: skip
                concern, _ = services.concern_submit(
                    partnership=partnership, answers=answers, key=submission_key
                )
                concerns[key] = concern
                self._stage(concern, stage, concerns, manager, officer, council, police)
                made += 1
        self.stdout.write(
            self.style.SUCCESS(f"{made} demo concerns added.")
            if made
            else "The demo partnership already has its demo concerns; nothing to do."
        )

    def _stage(self, concern: Concern, stage: str, concerns: dict[str, Concern], manager: User,
               officer: User, council: Organisation, police: Organisation) -> None:  # fmt: skip
        if stage == "new":
            return
        access = staff_access(user=manager, partnership=concern.partnership)
        if stage == "duplicate":
            services.concern_mark_duplicate(
                concern=concern, by=manager, access=access, original=concerns["bikes"]
            )
            return
        organisation = police if stage == "assigned" else council
        services.concern_assign(
            concern=concern, by=manager, access=access, organisation=organisation,
            officer=officer if organisation == police else None,
        )  # fmt: skip
        if stage == "assigned":
            services.concern_note(
                concern=concern, by=officer, access=access, public=True,
                text="Officers will patrol the recreation ground on weekday evenings this "
                "month." + LABEL,
            )  # fmt: skip
            return
        services.concern_close(
            concern=concern, by=manager, access=access,
            outcome=Outcome.ACTION_TAKEN if stage == "closed" else Outcome.NO_FURTHER_ACTION,
            public_outcome=(
                "The council's street scene team removed the graffiti within 5 days and the "
                "parish council has agreed to a camera at the shelter." if stage == "closed"
                else "We visited twice and found no one drinking there."
            ) + LABEL,
        )  # fmt: skip
        if stage == "reopened":
            services.concern_reopen(
                concern=concern, reason="The group was back on Friday and Saturday night." + LABEL
            )
