from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from saferplaces.analytics.data_loading import load_demo_data


class Command(BaseCommand):
    help = (
        "Load crime data for the demo partnership: the real police.uk and ONS files from "
        "SAFERPLACES_SHARED_DATA when present, otherwise clearly labelled generated demo data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--shared-data", type=Path, default=None)

    def handle(self, *args, shared_data: Path | None = None, **options):
        source = shared_data or settings.SAFERPLACES_SHARED_DATA
        report = load_demo_data(data_dir=Path(settings.DATA_DIR), shared_data=source)
        for message in report.messages:
            self.stdout.write(message)
