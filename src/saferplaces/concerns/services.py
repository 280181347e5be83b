"""Every write to a concern: the resident's report and reopening, and the staff's triage.

Each service checks permission (staff), validates, writes in one transaction and records an
audit event. Personal data never goes into an audit summary.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from saferplaces.audit.services import audit_record
from saferplaces.concerns import permissions as perms
from saferplaces.concerns.categories import BY_KEY, category_label
from saferplaces.concerns.emails import email_officer, email_resident
from saferplaces.concerns.models import (
    Concern,
    ConcernEvent,
    EventKind,
    Outcome,
    ReferenceCounter,
    Status,
)
from saferplaces.concerns.photos import photo_delete, photo_orphans
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.public_forms import stored_once

REOPEN_DAYS = 28
DUPLICATE_WINDOW_DAYS = 14


def due_days() -> int:
    return int(getattr(settings, "SAFERPLACES_CONCERN_DUE_DAYS", 10))


def retention_days() -> int:
    return int(getattr(settings, "SAFERPLACES_CONCERN_RETENTION_DAYS", 730))


def reference_next(year: int) -> str:
    """``C-<year>-<number>``, numbered without gaps or repeats under concurrent submissions.

    The UPDATE takes the row's write lock (PostgreSQL) or the database write lock (SQLite)
    first, so the value read back is this transaction's own. Call inside a transaction.
    """
    if not ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year, last=1)
        except IntegrityError:  # another submission made the year's row first
            ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.get(year=year).last
    return f"C-{year}-{number:05d}"


# --- The resident's report -----------------------------------------------------------------


def concern_submit(*, partnership: Any, answers: dict[str, Any], key: Any) -> tuple[Concern, bool]:
    """Store the answers as one concern under the form's key (a second send finds the first)."""
    if answers.get("category") not in BY_KEY:
        raise ApplicationError("Choose what the concern is about")
    if not answers.get("description"):
        raise ApplicationError("Describe the problem")

    def create() -> Concern:
        now = timezone.now()
        happened = answers.get("happened_on")
        concern = Concern(
            partnership=partnership,
            reference=reference_next(timezone.localdate(now).year),
            token=secrets.token_urlsafe(32),
            submission_key=key,
            category=answers["category"],
            location_method=answers["location_method"],
            postcode=answers.get("postcode", ""),
            latitude=answers.get("latitude"),
            longitude=answers.get("longitude"),
            lsoa_code=answers.get("lsoa_code", ""),
            lsoa_name=answers.get("lsoa_name", ""),
            place_description=answers.get("place_description", ""),
            ongoing=bool(answers.get("ongoing")),
            happened_on=date.fromisoformat(happened) if happened else None,
            time_of_day=answers.get("time_of_day", ""),
            description=answers["description"],
            photo_name=answers.get("photo_name", ""),
            anonymous=bool(answers.get("anonymous", True)),
            contact_name=answers.get("name", ""),
            contact_email=answers.get("email", ""),
            contact_phone=answers.get("phone", ""),
            consented_at=now if not answers.get("anonymous", True) else None,
            due_on=timezone.localdate(now) + timedelta(days=due_days()),
        )
        concern.full_clean(exclude=["submission_key"])
        concern.save()
        ConcernEvent.objects.create(
            concern=concern, kind=EventKind.RECEIVED, public=True, text="We received your concern."
        )
        audit_record(
            actor=None,
            verb="concerns.reported",
            target=concern,
            partnership=partnership,
            summary={
                "reference": concern.reference,
                "category": concern.category,
                "lsoa": concern.lsoa_code,
            },
        )
        email_resident(
            concern,
            "We received your concern",
            [
                "Thank you for reporting a concern about "
                f"{category_label(concern.category).lower()}.",
                f"Your reference number is {concern.reference}.",
                "We will look at it and post updates on your status page.",
            ],
        )
        return concern

    return stored_once(Concern, key, create)


def concern_reopen(*, concern: Concern, reason: str, now: datetime | None = None) -> Concern:
    """The resident reopens a closed concern within 28 days of its closing, giving a reason."""
    now = now or timezone.now()
    if concern.status != Status.CLOSED or concern.closed_at is None:
        raise ApplicationError("This concern is still open, so there is nothing to reopen")
    if now - concern.closed_at > timedelta(days=REOPEN_DAYS):
        raise ApplicationError(
            f"This concern was closed more than {REOPEN_DAYS} days ago, so it cannot be "
            "reopened. Report a new concern instead, and mention this reference number"
        )
    if not reason.strip():
        raise ApplicationError("Tell us why you want to reopen the concern")
    with transaction.atomic():
        concern.status = Status.ASSIGNED if concern.assigned_organisation_id else Status.NEW
        concern.outcome = ""
        concern.closed_at = None
        concern.due_on = timezone.localdate(now) + timedelta(days=due_days())
        concern.save(update_fields=["status", "outcome", "closed_at", "due_on", "updated_at"])
        ConcernEvent.objects.create(
            concern=concern, kind=EventKind.REOPENED, public=True, text=reason.strip()
        )
        audit_record(
            actor=None, verb="concerns.reopened", target=concern, partnership=concern.partnership
        )
        email_officer(
            concern,
            concern.assigned_officer,
            "A resident reopened a concern",
            "A resident reopened a concern assigned to you.",
        )
    return concern


def concern_status_link_send(*, reference: str, email: str) -> None:
    """E-mail the status link to the address given on the concern, if reference and address match.

    The page says the same whether or not they matched, so it cannot be used to learn which
    references exist or who reported them.
    """
    concern = Concern.objects.filter(
        reference=reference, contact_email__iexact=email.strip(), anonymous=False
    ).first()
    if concern is None:
        return
    email_resident(concern, "The link to your concern", ["You asked for the link to your concern."])
    audit_record(actor=None, verb="concerns.status_link_sent", target=concern,
                 partnership=concern.partnership)  # fmt: skip


# --- Staff ---------------------------------------------------------------------------------


def _require_act(concern: Concern, access: Any) -> None:
    if not perms.can_act_on_concern(
        concern, roles=access.roles, acting_organisation_ids=access.acting_organisation_ids
    ):
        raise PermissionDenied(perms.NOT_ALLOWED_ACT)


def _require_open(concern: Concern) -> None:
    if concern.status == Status.CLOSED:
        raise ApplicationError("This concern is closed. It can be reopened by the resident")


@transaction.atomic
def concern_assign(
    *, concern: Concern, by: Any, access: Any, organisation: Any, officer: Any = None
) -> Concern:
    if not perms.can_assign_concern(
        concern, roles=access.roles, acting_organisation_ids=access.acting_organisation_ids
    ):
        raise PermissionDenied(perms.NOT_ALLOWED_ASSIGN)
    _require_open(concern)
    if organisation.partnership_id != concern.partnership_id:
        raise ApplicationError(
            "Choose an organisation of this partnership", {"field": "organisation"}
        )
    if officer is not None and not officer.memberships.filter(organisation=organisation).exists():
        raise ApplicationError(
            f"{officer.full_name or officer.email} is not a member of {organisation.name}",
            {"field": "officer"},
        )
    concern.assigned_organisation = organisation
    concern.assigned_officer = officer
    concern.status = Status.ASSIGNED
    concern.save(
        update_fields=["assigned_organisation", "assigned_officer", "status", "updated_at"]
    )
    ConcernEvent.objects.create(
        concern=concern,
        kind=EventKind.ASSIGNED,
        public=True,
        by=by,
        organisation=organisation,
        text=f"Passed to {organisation.name}.",
    )
    if officer is not None and officer != by:
        email_officer(
            concern,
            officer,
            "A concern was passed to you",
            f"{concern.reference} was passed to you at {organisation.name}.",
        )
    audit_record(
        actor=by,
        verb="concerns.assigned",
        target=concern,
        summary={
            "organisation": str(organisation.pk),
            "officer": str(officer.pk) if officer else "",
        },
    )
    return concern


def _public_update(concern: Concern, *, by: Any, text: str, kind: str = EventKind.UPDATE) -> None:
    """A public line on the concern and on every concern marked as its duplicate, e-mailed."""
    for target in [concern, *concern.duplicates.all()]:
        ConcernEvent.objects.create(concern=target, kind=kind, public=True, text=text, by=by)
        email_resident(target, "An update on your concern", [text])


@transaction.atomic
def concern_note(*, concern: Concern, by: Any, access: Any, text: str, public: bool) -> Concern:
    """An internal note (staff only) or a public update (status page, e-mailed if consented)."""
    _require_act(concern, access)
    text = text.strip()
    if not text:
        raise ApplicationError("Write the note or update", {"field": "text"})
    if public:
        _public_update(concern, by=by, text=text)
    else:
        ConcernEvent.objects.create(concern=concern, kind=EventKind.NOTE, text=text, by=by)
    concern.save(update_fields=["updated_at"])
    audit_record(actor=by, verb="concerns.updated" if public else "concerns.noted", target=concern)
    return concern


def duplicate_candidates(concern: Concern) -> list[Concern]:
    """Concerns of the same category at the same place (LSOA or postcode) within 14 days."""
    if not (concern.lsoa_code or concern.postcode):
        return []
    window = timedelta(days=DUPLICATE_WINDOW_DAYS)
    found = Concern.objects.filter(
        partnership_id=concern.partnership_id,
        category=concern.category,
        created_at__gte=concern.created_at - window,
        created_at__lte=concern.created_at + window,
        duplicate_of__isnull=True,
    ).exclude(pk=concern.pk)
    place = [
        c
        for c in found
        if (concern.lsoa_code and c.lsoa_code == concern.lsoa_code)
        or (concern.postcode and c.postcode == concern.postcode)
    ]
    return sorted(place, key=lambda c: c.created_at)


@transaction.atomic
def concern_mark_duplicate(*, concern: Concern, by: Any, access: Any, original: Concern) -> Concern:
    """Close ``concern`` as a duplicate of ``original``: its updates reach both reporters."""
    _require_act(concern, access)
    _require_open(concern)
    if original.pk == concern.pk or original.partnership_id != concern.partnership_id:
        raise ApplicationError("Choose another concern of this partnership as the original")
    if original.duplicate_of_id:
        original = original.duplicate_of  # point at the first report, never a chain
    concern.duplicate_of = original
    concern.status = Status.CLOSED
    concern.outcome = Outcome.DUPLICATE
    concern.closed_at = timezone.now()
    concern.public_outcome = (
        f"Someone else reported the same problem ({original.reference}). We are dealing with "
        "them together: updates on it will appear here too."
    )
    concern.save()
    ConcernEvent.objects.create(
        concern=concern, kind=EventKind.DUPLICATE, public=True, by=by, text=concern.public_outcome
    )
    audit_record(
        actor=by,
        verb="concerns.marked_duplicate",
        target=concern,
        summary={"original": original.reference},
    )
    return concern


@transaction.atomic
def concern_close(
    *, concern: Concern, by: Any, access: Any, outcome: str, public_outcome: str
) -> Concern:
    _require_act(concern, access)
    _require_open(concern)
    if outcome not in Outcome.values or outcome == Outcome.DUPLICATE:
        raise ApplicationError("Choose the outcome", {"field": "outcome"})
    public_outcome = public_outcome.strip()
    if not public_outcome:
        raise ApplicationError(
            "Say what was done, in words the resident will read", {"field": "public_outcome"}
        )
    concern.status = Status.CLOSED
    concern.outcome = outcome
    concern.public_outcome = public_outcome
    concern.closed_at = timezone.now()
    concern.save(update_fields=["status", "outcome", "public_outcome", "closed_at", "updated_at"])
    label = Outcome(outcome).label
    for target in [concern, *concern.duplicates.all()]:
        ConcernEvent.objects.create(
            concern=target,
            kind=EventKind.CLOSED,
            public=True,
            by=by,
            text=f"{label}. {public_outcome}",
        )
        email_resident(
            target,
            "Your concern is closed",
            [
                f"Outcome: {label}.",
                public_outcome,
                f"If the problem is not solved you can reopen the concern within "
                f"{REOPEN_DAYS} days from your status page.",
            ],
        )
    audit_record(actor=by, verb="concerns.closed", target=concern, summary={"outcome": outcome})
    return concern


def concern_personal_data_viewed(
    *, concern: Concern, by: Any, what: str, request: Any = None
) -> None:
    """Every look at a concern's personal data (details page, photo) goes in the audit log."""
    audit_record(
        actor=by,
        verb="concerns.personal_data_viewed",
        target=concern,
        summary={"what": what},
        request=request,
    )


# --- Retention and a resident's own data ---------------------------------------------------

PERSONAL_FIELDS = {
    "contact_name": "",
    "contact_email": "",
    "contact_phone": "",
    "photo_name": "",
    "place_description": "",
    "latitude": None,
    "longitude": None,
}
REMOVED_TEXT = "[Removed under the retention schedule]"


def _remove_personal_data(concern: Concern, now: datetime, reason: str) -> None:
    # The file goes only if the change is kept: a dry run (rolled back) must delete nothing.
    name = concern.photo_name
    transaction.on_commit(lambda: photo_delete(name))
    for field, blank in PERSONAL_FIELDS.items():
        setattr(concern, field, blank)
    concern.description = REMOVED_TEXT
    concern.anonymous = True
    concern.personal_data_removed_at = now
    concern.save()
    ConcernEvent.objects.filter(concern=concern, public=False).update(text=REMOVED_TEXT)
    ConcernEvent.objects.filter(concern=concern, kind=EventKind.REOPENED).update(text=REMOVED_TEXT)
    ConcernEvent.objects.create(concern=concern, kind=EventKind.PERSONAL_DATA_REMOVED, text=reason)


def concerns_retention_apply(now: datetime) -> int:
    """Remove contact details, photos and free text from concerns closed long enough ago."""
    cutoff = now - timedelta(days=retention_days())
    changed = 0
    for concern in Concern.objects.filter(
        status=Status.CLOSED, closed_at__lt=cutoff, personal_data_removed_at__isnull=True
    ):
        with transaction.atomic():
            _remove_personal_data(concern, now, "Removed under the retention schedule.")
            audit_record(
                actor=None,
                verb="concerns.personal_data_removed",
                target=concern,
                summary={"reason": "retention"},
            )
        changed += 1
    # Photos uploaded for reports that were never sent: gone once the session has expired.
    keep = set(Concern.objects.exclude(photo_name="").values_list("photo_name", flat=True))
    orphans = photo_orphans(keep=keep, older_than=(now - timedelta(days=1)).timestamp())
    transaction.on_commit(lambda: [photo_delete(name) for name in orphans])
    return changed + len(orphans)


def _by_email(email: str) -> Any:
    return Concern.objects.filter(contact_email__iexact=(email or "").strip()).exclude(
        contact_email=""
    )


def concerns_subject_export(email: str) -> list[dict[str, Any]]:
    return [
        {
            "reference": c.reference,
            "reported_at": c.created_at.isoformat(),
            "category": category_label(c.category),
            "status": c.get_status_display(),
            "postcode": c.postcode,
            "place": c.place_description,
            "description": c.description,
            "when": "ongoing"
            if c.ongoing
            else (c.happened_on.isoformat() if c.happened_on else ""),
            "name": c.contact_name,
            "email": c.contact_email,
            "phone": c.contact_phone,
            "has_photo": bool(c.photo_name),
            "outcome": c.public_outcome,
            "updates": [e.text for e in c.events.filter(public=True)],
        }
        for c in _by_email(email)
    ]


def concerns_subject_erase(email: str) -> int:
    now = timezone.now()
    changed = 0
    for concern in _by_email(email):
        with transaction.atomic():
            _remove_personal_data(concern, now, "Removed at the resident's request.")
            audit_record(
                actor=None,
                verb="concerns.personal_data_removed",
                target=concern,
                summary={"reason": "erasure"},
            )
        changed += 1
    return changed
