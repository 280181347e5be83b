"""Residents' rights over their data, built only on the registries in core.privacy.

This app never imports the apps that hold the data: each registers a purpose, a retention rule
and a subject data source, and what is here runs over whatever is registered. So a new app that
registers is covered by the privacy notice, the retention task and subject access at once.

E-mail addresses never reach the audit log: events carry a keyed hash of the address
(:func:`email_hash`), enough to match two events about one person, not to read the address.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.privacy import RetentionRule, retention_rules, subject_data_sources

ACCESS_SALT = "saferplaces.privacy.access"
ACCESS_MAX_AGE = timedelta(hours=1)
LINK_NOT_VALID = "This link has expired or is not valid. Links work for 1 hour. Ask for a new link."
# A source may say, in its export, what it must keep and why ("kept": ["…"]): shown to the
# resident before and after erasure.
KEPT_KEY = "kept"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def email_hash(email: str) -> str:
    """A keyed hash of the address for the audit log (HMAC-SHA256 with the site's secret)."""
    return salted_hmac(
        "saferplaces.privacy.email", normalise_email(email), algorithm="sha256"
    ).hexdigest()[:32]


# --- retention -------------------------------------------------------------------------------


class _DryRunRollbackError(Exception):
    """Raised to roll a rule's changes back after counting them."""


def _count_without_changing(rule: RetentionRule, now: datetime) -> int:
    counted = 0
    try:
        with transaction.atomic():
            counted = rule.apply(now)
            raise _DryRunRollbackError
    except _DryRunRollbackError:
        pass
    return counted


def retention_run(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Every registered retention rule: records changed per rule (or that would be, dry).

    A dry run applies each rule in a transaction that is rolled back, so the count is exactly
    what a real run would change today, and nothing changes. A real run applies each rule in its
    own transaction and writes one audit event with the counts.
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for rule in retention_rules():
        if dry_run:
            counts[rule.key] = _count_without_changing(rule, now)
        else:
            with transaction.atomic():
                counts[rule.key] = int(rule.apply(now))
    if not dry_run:
        audit_record(
            actor=None,
            verb="privacy.retention_applied",
            object_type="privacy.retention",
            object_id=now.date().isoformat(),
            summary={"changed": counts, "total": sum(counts.values())},
        )
    return counts


# --- subject access and erasure --------------------------------------------------------------


@dataclass
class SourceData:
    key: str
    title: str
    data: Any
    kept: list[str] = field(default_factory=list)

    @property
    def holds_anything(self) -> bool:
        return bool(self.data)


def _kept(data: Any) -> list[str]:
    if isinstance(data, dict) and isinstance(data.get(KEPT_KEY), list):
        return [str(reason) for reason in data[KEPT_KEY]]
    return []


def subject_export(email: str) -> list[SourceData]:
    """What each registered source holds for the address (empty sources included)."""
    email = normalise_email(email)
    found = []
    for source in subject_data_sources():
        data = source.export(email)
        found.append(SourceData(source.key, source.title, data, _kept(data)))
    return found


def subject_holds_anything(email: str) -> bool:
    return any(source.holds_anything for source in subject_export(email))


def access_link(email: str) -> str:
    # The address travels signed and compressed, not encrypted: the link goes only to that
    # address, and lasts an hour.
    signed = signing.TimestampSigner(salt=ACCESS_SALT).sign_object(
        {"e": normalise_email(email)}, compress=True
    )
    base = str(getattr(settings, "SAFERPLACES_BASE_URL", "") or "").rstrip("/")
    return base + reverse("privacy:subject", kwargs={"signed": signed})


def email_from_link(signed: str) -> str:
    try:
        value = signing.TimestampSigner(salt=ACCESS_SALT).unsign_object(
            signed, max_age=ACCESS_MAX_AGE
        )
    except (signing.BadSignature, ValueError):  # also SignatureExpired, bad base64
        raise ApplicationError(LINK_NOT_VALID) from None
    email = normalise_email(value.get("e", "") if isinstance(value, dict) else "")
    if not email:
        raise ApplicationError(LINK_NOT_VALID)
    return email


def subject_access_request(*, email: str) -> bool:
    """E-mail the address either way: a 1-hour link if any source holds something, else a note.

    Returns whether a link went, for tests only. The page says the same either way, and an
    e-mail goes either way, so neither the page nor how long it takes tells anybody whether an
    address is known; only the address's owner learns it, from their inbox.
    """
    email = normalise_email(email)
    if not subject_holds_anything(email):
        body = (
            "You asked for a copy of the information we hold about you, or for it to be "
            "deleted.\n\nWe hold nothing about this e-mail address: no concerns, case review "
            "requests, alerts or community group details were given with it.\n\n"
            "If you did not ask, ignore this e-mail."
        )
        EmailMessage("Your data: we hold nothing", body, None, [email]).send()
        return False
    body = (
        "You asked for a copy of the information we hold about you, or for it to be deleted.\n\n"
        f"Open this link within 1 hour to see it, download it or delete it:\n{access_link(email)}"
        "\n\nIf you did not ask, ignore this e-mail: nothing will change."
    )
    EmailMessage("Your data: your link", body, None, [email]).send()
    return True


def subject_access_record(*, email: str, download: bool) -> None:
    audit_record(
        actor=None,
        verb="privacy.subject_access",
        object_type="privacy.subject",
        object_id=email_hash(email),
        summary={"email_hash": email_hash(email), "download": download},
    )


def subject_erase(*, email: str) -> dict[str, int]:
    """Erase on every source, in one transaction: all of it, or (on any failure) none of it."""
    email = normalise_email(email)
    with transaction.atomic():
        changed = {source.key: int(source.erase(email)) for source in subject_data_sources()}
        audit_record(
            actor=None,
            verb="privacy.subject_erased",
            object_type="privacy.subject",
            object_id=email_hash(email),
            summary={"email_hash": email_hash(email), "changed": changed},
        )
    return changed


def subject_export_json(sources: Iterable[SourceData]) -> dict[str, Any]:
    return {
        "exported_at": timezone.now().isoformat(),
        "sources": {source.key: {"title": source.title, "data": source.data} for source in sources},
    }
