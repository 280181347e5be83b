"""Apply the retention schedule: every registered rule deletes or anonymises what is past its
period. Run it daily (cron or a systemd timer: docs/admin-guide.md). ``--dry-run`` prints what
would change and changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from saferplaces.core.privacy import retention_rules
from saferplaces.privacy.services import retention_run


class Command(BaseCommand):
    help = "Delete or anonymise residents' personal data past its retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print how many records each rule would change; change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        descriptions = {rule.key: rule.description for rule in retention_rules()}
        counts = retention_run(dry_run=dry_run)
        verb = "would change" if dry_run else "changed"
        for key, count in counts.items():
            self.stdout.write(f"{descriptions.get(key, key)}: {count} {verb}")
        total = sum(counts.values())
        if dry_run:
            self.stdout.write(f"Dry run: {total} records would change; nothing was changed.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{total} records changed (audited)."))
