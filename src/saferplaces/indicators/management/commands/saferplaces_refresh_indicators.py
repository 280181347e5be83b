"""Recompute every bound indicator from the data folder (run after `saferplaces data import`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from saferplaces.accounts.models import Partnership
from saferplaces.indicators.tasks import refresh_run


class Command(BaseCommand):
    help = (
        "Compute the plan indicators bound to the police.uk data for every month held, judge "
        "their RAG status and raise exceptions for any turned red. Run after each data import."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", help="GSS code of one partnership (default: all)")

    def handle(self, *args: Any, partnership: str | None = None, **options: Any) -> None:
        partnerships = Partnership.objects.all()
        if partnership:
            partnerships = partnerships.filter(gss_code=partnership)
        for each in partnerships:
            outcome = refresh_run(partnership_id=str(each.pk))
            self.stdout.write(f"{each.name}: {len(outcome)} computed indicators refreshed.")
