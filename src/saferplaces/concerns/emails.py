"""E-mails to a resident who gave an address: the status link, updates, the outcome."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from saferplaces.concerns.models import Concern

log = logging.getLogger(__name__)


def status_url(concern: Concern) -> str:
    return settings.SAFERPLACES_BASE_URL + reverse("concerns_public:status", args=[concern.token])


def email_resident(concern: Concern, subject: str, lines: list[str]) -> None:
    """Send after the transaction commits, only when the resident gave an e-mail address."""
    if concern.anonymous or not concern.contact_email:
        return
    to = concern.contact_email
    body = "\n\n".join(
        [
            *lines,
            f"See your concern {concern.reference} at any time:\n{status_url(concern)}",
            "Please do not reply to this e-mail. In an emergency call 999; to report a crime "
            "call 101.",
        ]
    )

    def send() -> None:
        try:
            send_mail(f"{subject} ({concern.reference})", body, None, [to])
        except Exception:  # the concern is saved; a mail server fault must not undo it
            log.exception("could not e-mail the resident about %s", concern.reference)

    transaction.on_commit(send)


def email_officer(concern: Concern, officer: Any, subject: str, line: str) -> None:
    """Tell the officer a concern needs them; no personal data in the e-mail, only the link."""
    if officer is None or not officer.email:
        return
    from saferplaces.concerns.categories import category_label

    link = settings.SAFERPLACES_BASE_URL + reverse("concerns:detail", args=[concern.pk])
    body = "\n\n".join([
        line,
        f"{concern.reference}: {category_label(concern.category)}, "
        f"{concern.lsoa_name or 'place described by the resident'}. "
        f"Due {concern.due_on:%-d %B %Y}.",
        f"Open it (sign-in needed):\n{link}",
    ])  # fmt: skip
    to = officer.email

    def send() -> None:
        try:
            send_mail(f"{subject} ({concern.reference})", body, None, [to])
        except Exception:
            log.exception("could not e-mail the officer about %s", concern.reference)

    transaction.on_commit(send)
