"""Background work: refreshing bound indicators, e-mails about exceptions, board packs.

Run by the task worker (``manage.py db_worker``); the tests use the immediate backend.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("saferplaces.indicators")


def _base_url() -> str:
    return str(getattr(settings, "SAFERPLACES_BASE_URL", "") or "").rstrip("/")


def refresh_run(*, partnership_id: str, data_dir: Path | None = None) -> dict[str, str]:
    """Compute every bound indicator of the partnership for all months held (the task body)."""
    from crimestats.store import Store
    from saferplaces.accounts.models import Partnership
    from saferplaces.analytics.engine import engine_for
    from saferplaces.indicators import services

    partnership = Partnership.objects.get(pk=partnership_id)
    store = Store(Path(data_dir or settings.DATA_DIR))
    if not store.data_dir.is_dir() or not store.geography_loaded():
        return {}
    partitions = store.partitions("street")
    own = [p.month for p in partitions if p.force == partnership.police_force]
    months = own or [p.month for p in partitions]
    if not months:
        return {}
    version = int(store.catalogue_version())
    with engine_for(store, version) as engine:
        return services.indicators_refresh(
            partnership=partnership,
            engine=engine,
            first=min(months),
            last=max(months),
            catalogue_version=version,
        )


@task()
def refresh_bound_indicators(*, partnership_id: str) -> dict[str, str]:
    """Recompute the partnership's bound indicators from ``settings.DATA_DIR`` (after an import)."""
    return refresh_run(partnership_id=partnership_id)


def _exception_message(exception: Any) -> tuple[str, str]:
    url = _base_url() + reverse("indicators:exception_note", kwargs={"exception_id": exception.pk})
    subject = f"Exception report needed: {exception.summary}"[:200]
    body = (
        f"{exception.summary}\n\n"
        "Please write an exception note for the partnership board: what caused it, the "
        "recovery action, and the date it will be back on track.\n\n"
        f"Write the note here: {url}\n\n"
        "You are receiving this because you lead the priority or are responsible for the action."
    )
    return subject, body


@task()
def exception_notify(*, exception_id: str) -> int:
    """E-mail the exception's owners asking for the exception note."""
    from saferplaces.audit.services import audit_record
    from saferplaces.indicators.models import PlanException

    exception = PlanException.objects.filter(pk=exception_id).first()
    if exception is None:
        return 0
    recipients = sorted({u.email for u in exception.owners.all() if u.email and u.is_active})
    if not recipients:
        return 0
    subject, body = _exception_message(exception)
    sent = send_mail(subject, body, None, recipients)
    exception.notified_at = timezone.now()
    exception.save(update_fields=["notified_at", "updated_at"])
    audit_record(
        actor=None,
        verb="exception.notified",
        target=exception,
        partnership=exception.partnership,
        summary={"recipients": len(recipients)},
    )
    return int(sent)


@task()
def milestone_remind(*, milestone_id: str, today: str) -> int:
    """Remind an action's responsible officers that a milestone is due soon."""
    from saferplaces.audit.services import audit_record
    from saferplaces.plans.models import Milestone

    milestone = Milestone.objects.filter(pk=milestone_id).select_related("action").first()
    if milestone is None:
        return 0
    action = milestone.action
    recipients = sorted(
        {u.email for u in action.responsible_officers.all() if u.email and u.is_active}
    )
    if not recipients:
        return 0
    days = (milestone.due_date - date.fromisoformat(today)).days
    subject = f"Milestone due in {days} days: {milestone.title}"[:200]
    body = (
        f"The milestone “{milestone.title}” of the action “{action.key_activity}” is due on "
        f"{milestone.due_date:%-d %B %Y}. When it is done, record it in the action plan; if it "
        "will be late, post a progress update saying why."
    )
    sent = send_mail(subject, body, None, recipients)
    partnership = action.priority.plan.partnership
    audit_record(
        actor=None,
        verb="exception.reminded",
        target=milestone,
        partnership=partnership,
        summary={"due": milestone.due_date.isoformat(), "recipients": len(recipients)},
    )
    return int(sent)


@task()
def board_pack_build(*, pack_id: str) -> str:
    """Make the board pack's HTML and PDF and keep them with the meeting."""
    from saferplaces.indicators.boardpack import board_pack_build_run

    return board_pack_build_run(pack_id=pack_id)
