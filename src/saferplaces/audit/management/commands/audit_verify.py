from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from saferplaces.audit.selectors import audit_chain_report, audit_chain_verify


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain. Prints the last event's hash (note it down "
        "off the server) or the first broken link, and fails when the chain is broken."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verification = audit_chain_verify()
        report = audit_chain_report(verification)
        if not verification.intact:
            raise CommandError(report, returncode=1)
        self.stdout.write(report)
