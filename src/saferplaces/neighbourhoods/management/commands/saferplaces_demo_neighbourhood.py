"""Give the demo partnership a saved neighbourhood: Greenhill and Agar Nook, an estate in Coalville.

The five 2021 LSOAs of MSOA North West Leicestershire 009 ("Agar Nook"): the Greenhill ward's
two (009A, 009B), Castle Rock's two (009C, 009D) and Broom Leys' 009E, which share boundaries
(queen contiguity in the ONS boundaries) and are home to about 7,200 people (Census 2021).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from saferplaces.accounts.models import Membership, Partnership, Role

PARTNERSHIP_CODE = "E22000170"
NAME = "Greenhill and Agar Nook, Coalville"
DESCRIPTION = (
    "The Greenhill and Agar Nook estates on the north-east side of Coalville: the five small "
    "areas of the ONS 'Agar Nook' MSOA (North West Leicestershire 009)."
)
LSOA_CODES = ["E01025932", "E01025933", "E01025934", "E01025935", "E01025936"]
BASELINE = date(2024, 1, 1)
OWNER = "North West Leicestershire District Council"
ANALYST = "analyst@demo.saferplaces.test"


class Command(BaseCommand):
    help = (
        "Save the demo neighbourhood (Greenhill and Agar Nook, Coalville) in the demo "
        "partnership and prepare its profile. Run after saferplaces_setup_demo and "
        "saferplaces_load_demo_data. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from saferplaces.neighbourhoods.models import Neighbourhood
        from saferplaces.neighbourhoods.selectors import neighbourhood_profile
        from saferplaces.neighbourhoods.services import neighbourhood_create

        partnership = Partnership.objects.filter(gss_code=PARTNERSHIP_CODE).first()
        if partnership is None:
            self.stdout.write("No demo partnership: run saferplaces_setup_demo first.")
            return
        neighbourhood = Neighbourhood.objects.filter(partnership=partnership, name=NAME).first()
        if neighbourhood is None:
            membership = (
                Membership.objects.filter(
                    user__email=ANALYST, organisation__partnership=partnership, role=Role.ANALYST
                )
                .select_related("user", "organisation")
                .first()
            )
            if membership is None:
                self.stdout.write(f"No demo analyst ({ANALYST}): run saferplaces_setup_demo.")
                return
            try:
                neighbourhood = neighbourhood_create(
                    by=membership.user, partnership=partnership,
                    owner_organisation=membership.organisation, name=NAME,
                    description=DESCRIPTION, lsoa_codes=LSOA_CODES, baseline_month=BASELINE,
                )  # fmt: skip
            except ValidationError as error:
                # Generated demo data has no real places: there is nothing to profile.
                messages = "; ".join(m for ms in error.message_dict.values() for m in ms)
                self.stdout.write(f"Demo neighbourhood not created: {messages}")
                return
            self.stdout.write(self.style.SUCCESS(f"Saved the demo neighbourhood: {NAME}."))
        else:
            self.stdout.write(f"The demo neighbourhood is already saved: {NAME}.")
        data = neighbourhood_profile(neighbourhood=neighbourhood)
        self.stdout.write(f"Its profile is prepared ({data.state}).")
