from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferplaces.audit.services import access_logs_purge


class Command(BaseCommand):
    help = (
        "Delete sign-in records (django-axes lockout counters and logs) older than --days "
        "(default SAFERPLACES_ACCESS_LOG_DAYS, 30). Run daily from cron or a systemd timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.SAFERPLACES_ACCESS_LOG_DAYS)

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        if days < 1:
            raise CommandError("--days must be at least 1.")
        result = access_logs_purge(older_than=timedelta(days=days))
        self.stdout.write(
            f"Deleted sign-in records older than {days} days: {result.attempts} lockout "
            f"counters, {result.access_logs} access log and {result.failure_logs} failure log "
            f"entries, {result.refusal_windows} refusal counters; wrote "
            f"{result.refusal_counts_written} refusal counts to the audit log."
        )
