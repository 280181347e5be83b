"""Every write to the community network, the forums and the published pages.

Each service checks the capability it needs, validates, saves in one transaction and writes an
audit event. A refusal is ``PermissionDenied`` (not allowed at all) or ``ApplicationError``
(allowed, but not like this) before anything is saved.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from saferplaces.accounts.models import Organisation, Partnership
from saferplaces.audit.services import audit_record
from saferplaces.community import selectors
from saferplaces.community.models import (
    CommunityGroup,
    ForumIssue,
    ForumMeeting,
    GroupKind,
    IssueStatus,
    NeighbourhoodForum,
    PublishedPage,
)
from saferplaces.community.permissions import (
    NOT_ALLOWED_EDIT,
    NOT_ALLOWED_FORUM,
    NOT_ALLOWED_PUBLISH,
    can_create_forum,
    can_edit_forum,
    can_edit_group,
    can_publish_page,
)
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.models import SharingLevel

# Coordinators are anonymised this many months after the review date passed unreviewed.
RETENTION_MONTHS = 6

NAME_NEEDED = "Enter the name of the group, scheme or champion"
KIND_NEEDED = "Choose what kind of group it is"
AREA_NEEDED = "Choose at least one small area (LSOA), or a neighbourhood, that the group covers"
NEIGHBOURHOOD_ELSEWHERE = "Choose a neighbourhood of this partnership"
WRONG_OWNER = "Choose an organisation of this partnership that you work for"
CONSENT_NEEDED = (
    "Record the coordinator's consent (the date and the words they agreed to) before saving "
    "their name, e-mail address or phone number"
)
CONSENT_IN_FUTURE = "The date of consent cannot be in the future"
MEMBERS_RANGE = "Enter the number of members as a whole number from 0 to 100,000"
ALREADY_WITHDRAWN = "Consent was already withdrawn and the coordinator's details removed"
FORUM_EXISTS = "This neighbourhood already has a forum: {name}"
MEETING_PLACE_NEEDED = "Enter where the meeting was held"
MEETING_IN_FUTURE = "Record a meeting once it has taken place: the date cannot be in the future"
ISSUE_TEXT_NEEDED = "Enter what residents raised"
PRIORITY_ELSEWHERE = "Choose a priority of this partnership's plan"
WE_DID_NEEDED = "Say what the partnership did before marking the issue as done"
NOT_SHARED = (
    "Only a neighbourhood shared with the whole partnership can be published: change who can "
    "see it first"
)

VERB_GROUP_CREATED = "community.group_created"
VERB_GROUP_CHANGED = "community.group_changed"
VERB_CONSENT_WITHDRAWN = "community.consent_withdrawn"
VERB_ANONYMISED = "community.coordinator_anonymised"
VERB_FORUM_CREATED = "community.forum_created"
VERB_MEETING_RECORDED = "community.meeting_recorded"
VERB_ISSUE_RECORDED = "community.issue_recorded"
VERB_ISSUE_CHANGED = "community.issue_changed"
VERB_PAGE_PUBLISHED = "community.page_published"
VERB_PAGE_WITHDRAWN = "community.page_withdrawn"


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last_day = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30,
                31, 30, 31, 31, 30, 31, 30, 31][month]  # fmt: skip
    return date(year, month + 1, min(day.day, last_day))


def _area(partnership: Partnership, lsoa_codes: Collection[str], neighbourhood: Any) -> list[str]:
    if neighbourhood is not None:
        if neighbourhood.partnership_id != partnership.pk:
            raise ApplicationError(NEIGHBOURHOOD_ELSEWHERE, {"field": "neighbourhood"})
        return sorted(neighbourhood.lsoa_codes)
    if not lsoa_codes:
        raise ApplicationError(AREA_NEEDED, {"field": "lsoa_codes"})
    from saferplaces.neighbourhoods.services import lsoas_from_codes

    try:
        return lsoas_from_codes(partnership=partnership, codes=list(lsoa_codes))
    except ValidationError as error:
        message = "; ".join(m for ms in error.message_dict.values() for m in ms)
        raise ApplicationError(message, {"field": "lsoa_codes"}) from error


def _check_group_fields(fields: dict[str, Any], by: Any) -> None:
    if not (fields.get("name") or "").strip():
        raise ApplicationError(NAME_NEEDED, {"field": "name"})
    if fields.get("kind") not in GroupKind.values:
        raise ApplicationError(KIND_NEEDED, {"field": "kind"})
    members = fields.get("members_count")
    if members is not None and not (0 <= members <= 100_000):
        raise ApplicationError(MEMBERS_RANGE, {"field": "members_count"})
    personal = any(
        (fields.get(key) or "").strip()
        for key in ("coordinator_name", "coordinator_email", "coordinator_phone")
    )
    consent_day = fields.get("consent_given_on")
    if personal and (consent_day is None or not (fields.get("consent_wording") or "").strip()):
        raise ApplicationError(CONSENT_NEEDED, {"field": "consent_given_on"})
    if consent_day is not None and consent_day > timezone.localdate():
        raise ApplicationError(CONSENT_IN_FUTURE, {"field": "consent_given_on"})


PERSONAL_FIELDS = ("coordinator_name", "coordinator_email", "coordinator_phone")
GROUP_FIELDS = (
    "kind", "name", "description", "members_count", "listed_publicly", "review_date",
    *PERSONAL_FIELDS, "consent_given_on", "consent_wording",
)  # fmt: skip


@transaction.atomic
def group_create(
    *,
    partnership: Partnership,
    by: Any,
    roles: Collection[str],
    owner_organisation: Organisation,
    lsoa_codes: Collection[str] = (),
    neighbourhood: Any = None,
    **fields: Any,
) -> CommunityGroup:
    writers = selectors.writer_organisation_ids(user=by, partnership=partnership)
    if owner_organisation.partnership_id != partnership.pk:
        raise ApplicationError(WRONG_OWNER, {"field": "owner_organisation"})
    if not can_edit_group(
        by, roles=roles, writer_organisation_ids=writers, owner_id=owner_organisation.pk
    ):
        raise PermissionDenied(NOT_ALLOWED_EDIT)
    _check_group_fields(fields, by)
    codes = _area(partnership, lsoa_codes, neighbourhood)
    values = {key: fields.get(key) for key in GROUP_FIELDS if key in fields}
    for key in ("name", "description", *PERSONAL_FIELDS, "consent_wording"):
        values[key] = (values.get(key) or "").strip()
    group = CommunityGroup(
        partnership=partnership, owner_organisation=owner_organisation,
        sharing=SharingLevel.PARTNERSHIP, lsoa_codes=codes, neighbourhood=neighbourhood,
        created_by=by, **values,
    )  # fmt: skip
    if group.consent_given_on is not None:
        group.consent_recorded_by = by
    group.full_clean()
    group.save()
    audit_record(
        actor=by, verb=VERB_GROUP_CREATED, target=group, partnership=partnership,
        summary={"kind": group.kind, "lsoas": len(codes), "consent": bool(group.consent_given_on)},
    )  # fmt: skip
    return group


@transaction.atomic
def group_update(
    *,
    group: CommunityGroup,
    by: Any,
    roles: Collection[str],
    lsoa_codes: Collection[str] = (),
    neighbourhood: Any = None,
    owner_organisation: Organisation | None = None,
    **fields: Any,
) -> CommunityGroup:
    group = CommunityGroup.objects.select_for_update().get(pk=group.pk)
    writers = selectors.writer_organisation_ids(user=by, partnership=group.partnership)
    if not can_edit_group(
        by, roles=roles, writer_organisation_ids=writers, owner_id=group.owner_organisation_id
    ):
        raise PermissionDenied(NOT_ALLOWED_EDIT)
    # Handing the contact to another organisation: the new owner must be one the user writes for.
    new_owner = owner_organisation
    moving = new_owner is not None and new_owner.pk != group.owner_organisation_id
    if moving and (
        new_owner.partnership_id != group.partnership_id
        or not can_edit_group(
            by, roles=roles, writer_organisation_ids=writers, owner_id=new_owner.pk
        )
    ):
        raise ApplicationError(WRONG_OWNER, {"field": "owner_organisation"})
    _check_group_fields(fields, by)
    codes = _area(group.partnership, lsoa_codes, neighbourhood)
    changed = []
    before_consent = group.consent_given_on
    for key in GROUP_FIELDS:
        if key not in fields:
            continue
        value = fields[key]
        if isinstance(value, str):
            value = value.strip()
        if getattr(group, key) != value:
            changed.append(key)
            setattr(group, key, value)
    if moving:
        changed.append("owner_organisation")
        group.owner_organisation = new_owner
    if group.lsoa_codes != codes or group.neighbourhood_id != getattr(neighbourhood, "pk", None):
        changed.append("area")
        group.lsoa_codes, group.neighbourhood = codes, neighbourhood
    if group.consent_given_on != before_consent and group.consent_given_on is not None:
        group.consent_recorded_by = by
        group.consent_withdrawn_at = None
    group.full_clean()
    group.save()
    # Field names only: the audit log never holds the personal data itself.
    audit_record(
        actor=by, verb=VERB_GROUP_CHANGED, target=group, partnership=group.partnership,
        summary={"changed": changed},
    )  # fmt: skip
    return group


def _anonymise(group: CommunityGroup, *, reason: str, now: datetime) -> None:
    group.coordinator_name = ""
    group.coordinator_email = ""
    group.coordinator_phone = ""
    group.consent_wording = ""
    group.consent_given_on = None
    group.anonymised_at = now
    group.anonymised_reason = reason[:200]
    group.save()


@transaction.atomic
def group_withdraw_consent(
    *, group: CommunityGroup, by: Any, roles: Collection[str]
) -> CommunityGroup:
    """Consent withdrawn: the coordinator's details go at once; the anonymous record stays.

    The group is also taken off the public listing: the coordinator agreed to it on the
    group's behalf, and a new coordinator may agree again.
    """
    group = CommunityGroup.objects.select_for_update().get(pk=group.pk)
    writers = selectors.writer_organisation_ids(user=by, partnership=group.partnership)
    if not can_edit_group(
        by, roles=roles, writer_organisation_ids=writers, owner_id=group.owner_organisation_id
    ):
        raise PermissionDenied(NOT_ALLOWED_EDIT)
    if group.consent_withdrawn_at is not None and not group.has_personal_data:
        raise ApplicationError(ALREADY_WITHDRAWN)
    now = timezone.now()
    group.consent_withdrawn_at = now
    group.listed_publicly = False
    _anonymise(group, reason="Consent withdrawn", now=now)
    audit_record(actor=by, verb=VERB_CONSENT_WITHDRAWN, target=group, partnership=group.partnership)
    return group


def retention_apply(now: datetime) -> int:
    """Anonymise coordinators whose consent was withdrawn, or whose review date passed
    ``RETENTION_MONTHS`` months ago without a review; returns how many records changed."""
    cutoff = _months_before(timezone.localdate(now) if timezone.is_aware(now) else now.date(),
                            RETENTION_MONTHS)  # fmt: skip
    has_data = ~Q(coordinator_name="") | ~Q(coordinator_email="") | ~Q(coordinator_phone="")
    due = CommunityGroup.objects.filter(has_data).filter(
        Q(consent_withdrawn_at__isnull=False) | Q(review_date__lt=cutoff)
    )
    changed = 0
    for group in due.select_related("partnership"):
        with transaction.atomic():
            reason = (
                "Consent withdrawn"
                if group.consent_withdrawn_at
                else f"Review date {group.review_date:%d %B %Y} passed over {RETENTION_MONTHS} "
                "months ago"
            )
            _anonymise(group, reason=reason, now=now)
            audit_record(
                actor=None, verb=VERB_ANONYMISED, target=group, partnership=group.partnership,
                summary={"reason": reason},
            )  # fmt: skip
            changed += 1
    return changed


def subject_export(email: str) -> list[dict[str, Any]]:
    """A coordinator's records, for a subject access request."""
    return [
        {
            "group": group.name,
            "kind": group.get_kind_display(),
            "partnership": group.partnership.name,
            "coordinator_name": group.coordinator_name,
            "coordinator_email": group.coordinator_email,
            "coordinator_phone": group.coordinator_phone,
            "consent_given_on": group.consent_given_on.isoformat()
            if group.consent_given_on
            else None,
            "consent_wording": group.consent_wording,
            "review_date": group.review_date.isoformat(),
        }
        for group in CommunityGroup.objects.filter(
            coordinator_email__iexact=email.strip()
        ).select_related("partnership")
        if email.strip()
    ]


def subject_erase(email: str) -> int:
    if not email.strip():
        return 0
    now = timezone.now()
    changed = 0
    for group in CommunityGroup.objects.filter(coordinator_email__iexact=email.strip()):
        with transaction.atomic():
            _anonymise(group, reason="Erased at the coordinator's request", now=now)
            audit_record(
                actor=None, verb=VERB_ANONYMISED, target=group, partnership=group.partnership,
                summary={"reason": "erasure request"},
            )  # fmt: skip
            changed += 1
    return changed


# --- forums -----------------------------------------------------------------------------------


def _require_forum_editor(by: Any, roles: Collection[str], forum: NeighbourhoodForum) -> None:
    officers = selectors.officer_organisation_ids(user=by, partnership=forum.partnership)
    if not can_edit_forum(
        by, roles=roles, officer_organisation_ids=officers, owner_id=forum.owner_organisation_id
    ):
        raise PermissionDenied(NOT_ALLOWED_FORUM)


@transaction.atomic
def forum_create(
    *,
    partnership: Partnership,
    by: Any,
    roles: Collection[str],
    neighbourhood: Any,
    owner_organisation: Organisation,
    name: str = "",
) -> NeighbourhoodForum:
    if not can_create_forum(by, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_FORUM)
    if neighbourhood.partnership_id != partnership.pk:
        raise ApplicationError(NEIGHBOURHOOD_ELSEWHERE, {"field": "neighbourhood"})
    if owner_organisation.partnership_id != partnership.pk:
        raise ApplicationError(WRONG_OWNER, {"field": "owner_organisation"})
    existing = NeighbourhoodForum.objects.filter(neighbourhood=neighbourhood).first()
    if existing is not None:
        raise ApplicationError(FORUM_EXISTS.format(name=existing.name), {"field": "neighbourhood"})
    forum = NeighbourhoodForum(
        partnership=partnership, neighbourhood=neighbourhood,
        owner_organisation=owner_organisation,
        name=(name or "").strip() or f"{neighbourhood.name} neighbourhood forum", created_by=by,
    )  # fmt: skip
    _require_forum_editor(by, roles, forum)
    forum.full_clean()
    forum.save()
    audit_record(actor=by, verb=VERB_FORUM_CREATED, target=forum, partnership=partnership)
    return forum


@transaction.atomic
def meeting_record(
    *,
    forum: NeighbourhoodForum,
    by: Any,
    roles: Collection[str],
    date: date,
    place: str,
    attendance: int,
    notes: str = "",
    submission_key: uuid.UUID | None = None,
) -> ForumMeeting:
    _require_forum_editor(by, roles, forum)
    if submission_key is not None:
        earlier = ForumMeeting.objects.filter(submission_key=submission_key).first()
        if earlier is not None:  # a double click: the meeting is saved once
            return earlier
    if not (place or "").strip():
        raise ApplicationError(MEETING_PLACE_NEEDED, {"field": "place"})
    if date > timezone.localdate():
        raise ApplicationError(MEETING_IN_FUTURE, {"field": "date"})
    meeting = ForumMeeting(
        forum=forum, date=date, place=place.strip(), attendance=attendance,
        notes=(notes or "").strip(), submission_key=submission_key,
    )  # fmt: skip
    meeting.full_clean()
    meeting.save()
    audit_record(
        actor=by, verb=VERB_MEETING_RECORDED, target=meeting, partnership=forum.partnership,
        summary={"date": date.isoformat(), "attendance": attendance},
    )  # fmt: skip
    return meeting


def _check_issue(forum: NeighbourhoodForum, fields: dict[str, Any]) -> None:
    if not (fields.get("text") or "").strip():
        raise ApplicationError(ISSUE_TEXT_NEEDED, {"field": "text"})
    priority = fields.get("priority")
    if priority is not None and priority.plan.partnership_id != forum.partnership_id:
        raise ApplicationError(PRIORITY_ELSEWHERE, {"field": "priority"})
    if fields.get("status") == IssueStatus.DONE and not (fields.get("we_did") or "").strip():
        raise ApplicationError(WE_DID_NEEDED, {"field": "we_did"})


ISSUE_FIELDS = ("text", "raised_by", "votes", "priority", "status", "we_did")


@transaction.atomic
def issue_record(
    *,
    meeting: ForumMeeting,
    by: Any,
    roles: Collection[str],
    submission_key: uuid.UUID | None = None,
    **fields: Any,
) -> ForumIssue:
    _require_forum_editor(by, roles, meeting.forum)
    if submission_key is not None:
        earlier = ForumIssue.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    _check_issue(meeting.forum, fields)
    values = {key: fields[key] for key in ISSUE_FIELDS if key in fields}
    values["text"] = values["text"].strip()
    values["we_did"] = (values.get("we_did") or "").strip()
    issue = ForumIssue(meeting=meeting, submission_key=submission_key, **values)
    issue.full_clean()
    issue.save()
    audit_record(
        actor=by, verb=VERB_ISSUE_RECORDED, target=issue, partnership=meeting.forum.partnership,
        summary={"priority": str(issue.priority_id or ""), "status": issue.status},
    )  # fmt: skip
    return issue


@transaction.atomic
def issue_update(
    *, issue: ForumIssue, by: Any, roles: Collection[str], **fields: Any
) -> ForumIssue:
    issue = ForumIssue.objects.select_for_update().select_related("meeting__forum").get(pk=issue.pk)
    forum = issue.meeting.forum
    _require_forum_editor(by, roles, forum)
    _check_issue(forum, fields)
    changed = []
    for key in ISSUE_FIELDS:
        if key in fields:
            value = fields[key].strip() if isinstance(fields[key], str) else fields[key]
            if getattr(issue, key) != value:
                changed.append(key)
                setattr(issue, key, value)
    issue.full_clean()
    issue.save()
    audit_record(
        actor=by, verb=VERB_ISSUE_CHANGED, target=issue, partnership=forum.partnership,
        summary={"changed": changed, "status": issue.status},
    )  # fmt: skip
    return issue


# --- published pages ---------------------------------------------------------------------------


@transaction.atomic
def page_publish(
    *, partnership: Partnership, neighbourhood: Any, by: Any, roles: Collection[str]
) -> PublishedPage:
    if not can_publish_page(by, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_PUBLISH)
    if neighbourhood.partnership_id != partnership.pk:
        raise ApplicationError(NEIGHBOURHOOD_ELSEWHERE)
    if neighbourhood.sharing != SharingLevel.PARTNERSHIP:
        raise ApplicationError(NOT_SHARED)
    page, created = PublishedPage.objects.get_or_create(
        neighbourhood=neighbourhood, defaults={"partnership": partnership, "published_by": by}
    )
    if created:
        audit_record(
            actor=by, verb=VERB_PAGE_PUBLISHED, target=neighbourhood, partnership=partnership
        )
    return page


@transaction.atomic
def page_withdraw(
    *, partnership: Partnership, neighbourhood: Any, by: Any, roles: Collection[str]
) -> None:
    if not can_publish_page(by, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_PUBLISH)
    deleted, _ = PublishedPage.objects.filter(
        neighbourhood=neighbourhood, partnership=partnership
    ).delete()
    if deleted:
        audit_record(
            actor=by, verb=VERB_PAGE_WITHDRAWN, target=neighbourhood, partnership=partnership
        )
