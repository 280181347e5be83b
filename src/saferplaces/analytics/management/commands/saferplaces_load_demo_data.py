from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from saferplaces.accounts.models import Partnership
from saferplaces.analytics.data_loading import REAL, load_demo_data
from saferplaces.analytics.selectors import crime_data_prepare
from saferplaces.analytics.signals import crime_data_loaded


class Command(BaseCommand):
    help = (
        "Load crime data for the demo partnership into the data folder (SAFERPLACES_DATA_DIR): "
        "the real police.uk and ONS files from SAFERPLACES_SHARED_DATA when present, otherwise "
        "clearly labelled generated demo data. Safe to run again."
    )

    # The checks would load every URL and view; this command needs neither, and should be quick
    # when there is nothing to load.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--shared-data",
            type=Path,
            default=None,
            help="Folder with police-uk/, ons/ and boundaries/ (default SAFERPLACES_SHARED_DATA)",
        )

    def handle(self, *args: Any, shared_data: Path | None = None, **options: Any) -> None:
        source = shared_data or settings.SAFERPLACES_SHARED_DATA
        data_dir = Path(settings.DATA_DIR)
        report = load_demo_data(data_dir=data_dir, shared_data=source)
        style = self.style.SUCCESS if report.source == REAL else self.style.WARNING
        self.stdout.write(style(report.headline))
        self.stdout.write(f"Data folder: {data_dir}")
        for message in report.messages:
            self.stdout.write(message)
        # Fill the shared cache now, so nobody waits for the engine on their first page view.
        for partnership in Partnership.objects.all():
            crime_data_prepare(partnership=partnership)
        self.stdout.write("Crime data figures prepared for every partnership.")
        if not report.skipped:
            # Other apps (the plan indicators) recompute from the new data.
            crime_data_loaded.send(sender=self.__class__, data_dir=data_dir)
