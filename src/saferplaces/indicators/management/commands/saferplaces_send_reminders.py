"""Daily: exceptions for missed milestones, reminders for milestones due soon (run by cron)."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from saferplaces.accounts.models import Partnership
from saferplaces.indicators import services
from saferplaces.indicators.tasks import milestone_remind


class Command(BaseCommand):
    help = (
        "Raise an exception (and e-mail its owners) for every plan milestone past its due date "
        "and not done, and remind the responsible officers of milestones due within N days "
        "(setting SAFERPLACES_MILESTONE_REMINDER_DAYS, default 14). Run once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--days", type=int, help="Remind of milestones due within this many days"
        )

    def handle(
        self, *args: Any, today: str | None = None, days: int | None = None, **options: Any
    ) -> None:
        day = date.fromisoformat(today) if today else timezone.localdate()
        window = days if days is not None else services.reminder_days()
        for partnership in Partnership.objects.all():
            raised = services.exceptions_check_milestones(partnership=partnership, today=day)
            soon = services.milestones_due_soon(partnership=partnership, today=day, days=window)
            for milestone in soon:
                # Once a week at most per milestone: on the day it enters the window, then
                # every 7 days, so a daily run does not send a reminder every day.
                if (milestone.due_date - day).days % 7 == window % 7:
                    transaction.on_commit(
                        partial(
                            milestone_remind.enqueue,
                            milestone_id=str(milestone.pk),
                            today=day.isoformat(),
                        )
                    )
            self.stdout.write(
                f"{partnership.name}: {len(raised)} missed milestones raised as exceptions; "
                f"{len(soon)} milestones due within {window} days."
            )
