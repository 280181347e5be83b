"""Every write to a strategic assessment: request a build, edit, override, submit, approve.

Each service checks the capability it needs, runs in one transaction (the row is locked, so two
people cannot both approve, or edit a draft that is being submitted), validates, saves and
writes an audit event. A refusal raises ``PermissionDenied`` (not allowed at all) or
``ApplicationError`` (allowed, but not now or not like this: the message says why) before
anything is saved.

Approved versions are frozen: only their status may move on, from approved to superseded when
a later version is approved. Their document, narrative, scores and number never change.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from saferplaces.accounts.models import Partnership
from saferplaces.assessments.document import (
    category_labels,
    document_narrative_keys,
    options_from_form,
    overrides_for_rescore,
    period_text,
    public_concern_for_rescore,
)
from saferplaces.assessments.models import Assessment, AssessmentStatus
from saferplaces.assessments.narrative import MAX_LENGTH, narrative_clean
from saferplaces.assessments.permissions import (
    NOT_ALLOWED_APPROVE,
    NOT_ALLOWED_DRAFT,
    can_approve_assessment,
    can_draft_assessment,
)
from saferplaces.assessments.selectors import (
    MonthsHeld,
    assessment_last_approved,
    assessment_next_number,
    partnership_manager_count,
)
from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError

logger = logging.getLogger("saferplaces.assessments")

VERB_BUILD_REQUESTED = "assessment.build_requested"
VERB_BUILT = "assessment.built"
VERB_BUILD_FAILED = "assessment.build_failed"
VERB_NARRATIVE_CHANGED = "assessment.narrative_changed"
VERB_PRIORITY_OVERRIDDEN = "assessment.priority_overridden"
VERB_PUBLIC_CONCERN_SET = "assessment.public_concern_set"
VERB_SUBMITTED = "assessment.submitted"
VERB_APPROVED = "assessment.approved"
VERB_RETURNED = "assessment.returned"
VERB_DOWNLOADED = "assessment.downloaded"

NOT_A_DRAFT = "Only a draft can be changed. This version is {status}."
FROZEN = "Version {number} was approved, so it cannot be changed. Start a new draft instead."
NOT_SUBMITTED = "Only a draft waiting for approval can be approved or sent back."
OWN_DRAFT = (
    "You submitted this draft, so another partnership manager must approve it. "
    "You can send it back to draft instead."
)
REASON_NEEDED = "Enter a reason for changing the score"
RETURN_REASON_NEEDED = "Enter what needs to change before the draft is approved"
UNKNOWN_SECTION = "This assessment has no section called {key!r}."
UNKNOWN_CATEGORY = "This assessment has no priority called {key!r}."
CONCERN_RANGE = "The public concern score for {label} must be a whole number from 1 to 5"
SOURCE_NEEDED = "Say where these scores come from (for example, a survey or residents' reports)"
NO_DATA = "No crime data has been loaded for this partnership yet, so nothing can be built."
TOO_LONG = f"The text must be {MAX_LENGTH:,} characters or fewer once formatted"


def _require_draft(assessment: Assessment) -> None:
    if assessment.is_frozen:
        raise ApplicationError(FROZEN.format(number=assessment.number))
    if not assessment.is_editable:
        raise ApplicationError(NOT_A_DRAFT.format(status=assessment.get_status_display().lower()))


def _locked(assessment: Assessment) -> Assessment:
    """The row again, locked for the rest of the transaction (its status may have moved on)."""
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def _require_drafter(by: Any, roles: Collection[str]) -> None:
    if not can_draft_assessment(by, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_DRAFT)


# -- building -------------------------------------------------------------------------------


def period_problem(*, last_month: date, months: int, held: MonthsHeld) -> str | None:
    """Why the chosen period cannot be assessed from the data held, or None."""
    from saferplaces.assessments.document import month_name, month_shift

    if not held.any:
        return NO_DATA
    assert held.first is not None
    assert held.last is not None
    first = month_shift(last_month, -(months - 1))
    if first < held.first or last_month > held.last:
        earliest_last = month_shift(held.first, months - 1)
        if earliest_last > held.last:
            return (
                f"The data held covers {month_name(held.first)} to {month_name(held.last)}, "
                f"which is shorter than a {months}-month period. Choose a shorter period."
            )
        return (
            f"Choose a last month from {month_name(earliest_last)} to {month_name(held.last)}: "
            f"the data held covers {month_name(held.first)} to {month_name(held.last)}, and the "
            f"{months} months of the assessment must fall inside it."
        )
    return None


@transaction.atomic
def assessment_build_request(
    *,
    partnership: Partnership,
    by: Any,
    roles: Collection[str],
    choices: Mapping[str, Any],
    held: MonthsHeld,
    enqueue: bool = True,
) -> Assessment:
    """Record a new draft and queue its build; it starts from the last approved version.

    ``choices`` are the guided form's cleaned values. A period outside the data held is
    refused here, before anything is saved or queued.
    """
    from saferplaces.assessments.tasks import assessment_build

    _require_drafter(by, roles)
    try:
        options = options_from_form(partnership, choices)
    except ValueError as error:
        raise ApplicationError(str(error)[:1].upper() + str(error)[1:] + ".") from error
    last_month = options.last_month or held.last
    if last_month is None:
        raise ApplicationError(NO_DATA, extra={"field": "last_month"})
    problem = period_problem(last_month=last_month, months=options.months, held=held)
    if problem:
        raise ApplicationError(problem, extra={"field": "last_month"})

    previous = assessment_last_approved(partnership=partnership)
    assessment = Assessment(
        partnership=partnership,
        title=f"Strategic assessment: {period_text(last_month, options.months)}",
        options=options.to_dict(),
        status=AssessmentStatus.QUEUED,
        progress_message="Waiting for the background worker to start",
        based_on=previous,
        # A new draft starts from the last version: what people wrote and the scores they
        # changed (with their reasons) come across; the figures are built afresh.
        narrative=dict(previous.narrative) if previous else {},
        overrides=dict(previous.overrides) if previous else {},
        created_by=by,
    )
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=by,
        verb=VERB_BUILD_REQUESTED,
        target=assessment,
        partnership=partnership,
        summary={
            "options": assessment.options,
            "based_on": str(previous.pk) if previous else None,
            "based_on_number": previous.number if previous else None,
        },
    )
    if enqueue:
        # Queued only once the row is committed, so the worker always finds it.
        transaction.on_commit(partial(assessment_build.enqueue, assessment_id=str(assessment.pk)))
    return assessment


def assessment_progress_set(*, assessment_id: Any, percent: int, message: str) -> None:
    """Record how far the build has gone (its own small write, so the status page sees it)."""
    Assessment.objects.filter(pk=assessment_id, status=AssessmentStatus.BUILDING).update(
        progress=max(0, min(100, int(percent))),
        progress_message=message[:200],
        updated_at=timezone.now(),
    )


def assessment_build_start(*, assessment_id: Any) -> Assessment | None:
    """Mark a queued build as started; None when there is nothing to build (already done)."""
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update()
            .filter(pk=assessment_id, status=AssessmentStatus.QUEUED)
            .first()
        )
        if assessment is None:
            return None
        assessment.status = AssessmentStatus.BUILDING
        assessment.progress = 0
        assessment.progress_message = "Starting"
        assessment.build_started_at = timezone.now()
        assessment.save(
            update_fields=[
                "status",
                "progress",
                "progress_message",
                "build_started_at",
                "updated_at",
            ]
        )
        return assessment


@transaction.atomic
def assessment_build_finish(*, assessment_id: Any, document: dict[str, Any]) -> Assessment:
    """Store the engine's document and open the draft for editing."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment_id)
    keys = set(document_narrative_keys(document))
    categories = set(category_labels(document))
    # What came across from the last version but has no place in this one is dropped (a crime
    # type with no crimes this year has no chapter and no row in the matrix).
    dropped_sections = sorted(set(assessment.narrative) - keys)
    dropped_overrides = sorted(set(assessment.overrides) - categories)
    assessment.narrative = {k: v for k, v in assessment.narrative.items() if k in keys}
    assessment.overrides = {k: v for k, v in assessment.overrides.items() if k in categories}
    assessment.document = document
    assessment.title = str(document.get("title") or assessment.title)[:200]
    assessment.status = AssessmentStatus.DRAFT
    assessment.progress = 100
    assessment.progress_message = "Done"
    assessment.error_message = ""
    assessment.built_at = timezone.now()
    assessment.save()
    audit_record(
        actor=None,
        verb=VERB_BUILT,
        target=assessment,
        partnership=assessment.partnership,
        summary={
            "period": document.get("period"),
            "dropped_sections": dropped_sections,
            "dropped_overrides": dropped_overrides,
            "provenance": _provenance_summary(document),
        },
    )
    return assessment


def _provenance_summary(document: Mapping[str, Any]) -> dict[str, Any]:
    provenance = document.get("provenance") or {}
    keep = ("data_months", "months_missing", "forces", "catalogue_version", "crimestats_version")
    return {key: provenance.get(key) for key in keep if key in provenance}


@transaction.atomic
def assessment_build_fail(*, assessment_id: Any, message: str) -> Assessment:
    """Record why the build stopped; nothing of a half-built document is kept."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment_id)
    assessment.status = AssessmentStatus.FAILED
    assessment.error_message = message
    assessment.progress_message = "Stopped"
    assessment.document = None
    assessment.save()
    audit_record(
        actor=None,
        verb=VERB_BUILD_FAILED,
        target=assessment,
        partnership=assessment.partnership,
        summary={"error": message[:500]},
    )
    return assessment


# -- editing --------------------------------------------------------------------------------


@transaction.atomic
def assessment_narrative_change(
    *, assessment: Assessment, by: Any, roles: Collection[str], section_key: str, text: str
) -> Assessment:
    """Replace one section's narrative (sanitised); empty text puts the drafted one back."""
    _require_drafter(by, roles)
    assessment = _locked(assessment)
    _require_draft(assessment)
    if section_key not in document_narrative_keys(assessment.document or {}):
        raise ApplicationError(UNKNOWN_SECTION.format(key=section_key))
    html = narrative_clean(text)
    if len(html) > MAX_LENGTH:
        raise ApplicationError(TOO_LONG, extra={"field": "text"})
    before = assessment.narrative.get(section_key)
    if html:
        assessment.narrative = {**assessment.narrative, section_key: html}
    else:
        assessment.narrative = {k: v for k, v in assessment.narrative.items() if k != section_key}
    assessment.save(update_fields=["narrative", "updated_at"])
    audit_record(
        actor=by,
        verb=VERB_NARRATIVE_CHANGED,
        target=assessment,
        partnership=assessment.partnership,
        summary={
            "section": section_key,
            "restored_default": not html,
            "characters_before": len(before or ""),
            "characters_after": len(html),
        },
    )
    return assessment


@transaction.atomic
def assessment_priority_override(
    *,
    assessment: Assessment,
    by: Any,
    roles: Collection[str],
    category: str,
    score: float | None,
    reason: str,
) -> Assessment:
    """Set (or, with ``score=None``, remove) a category's overriding score, with its reason."""
    from saferplaces_reports.assessment import AssessmentDocument, rescore

    _require_drafter(by, roles)
    assessment = _locked(assessment)
    _require_draft(assessment)
    labels = category_labels(assessment.document or {})
    if category not in labels:
        raise ApplicationError(UNKNOWN_CATEGORY.format(key=category))
    reason = (reason or "").strip()
    before = assessment.overrides.get(category)
    overrides = {k: v for k, v in assessment.overrides.items() if k != category}
    if score is not None:
        if not reason:
            raise ApplicationError(REASON_NEEDED, extra={"field": "reason"})
        overrides[category] = {
            "score": float(score),
            "reason": reason,
            "by": str(by),
            "at": timezone.now().isoformat(timespec="seconds"),
        }
    # The document's own scorer has the last word on what an override may be.
    try:
        rescore(
            AssessmentDocument.from_dict(assessment.document or {}),
            overrides=overrides_for_rescore(overrides),
        )
    except ValueError as error:
        raise ApplicationError(str(error)[:1].upper() + str(error)[1:] + ".") from error
    assessment.overrides = overrides
    assessment.save(update_fields=["overrides", "updated_at"])
    audit_record(
        actor=by,
        verb=VERB_PRIORITY_OVERRIDDEN,
        target=assessment,
        partnership=assessment.partnership,
        summary={
            "category": category,
            "score_before": before.get("score") if before else None,
            "score_after": float(score) if score is not None else None,
            "reason": reason if score is not None else "",
            "removed": score is None,
        },
    )
    return assessment


@transaction.atomic
def assessment_public_concern_set(
    *,
    assessment: Assessment,
    by: Any,
    roles: Collection[str],
    scores: Mapping[str, int | None],
    source: str,
) -> Assessment:
    """Enter the public concern score (1–5, or None for "not entered") of each priority, with
    where the scores come from; the matrix is scored again with them."""
    from saferplaces_reports.assessment import AssessmentDocument, rescore

    _require_drafter(by, roles)
    assessment = _locked(assessment)
    _require_draft(assessment)
    labels = category_labels(assessment.document or {})
    entered: dict[str, int] = {}
    for category, score in scores.items():
        if category not in labels:
            raise ApplicationError(UNKNOWN_CATEGORY.format(key=category))
        if score is None:
            continue
        if isinstance(score, bool) or int(score) != score or not 1 <= int(score) <= 5:
            raise ApplicationError(
                CONCERN_RANGE.format(label=labels[category]), extra={"field": category}
            )
        entered[category] = int(score)
    source = (source or "").strip()
    if entered and not source:
        raise ApplicationError(SOURCE_NEEDED, extra={"field": "source"})
    before = dict((assessment.public_concern or {}).get("scores") or {})
    value: dict[str, Any] = {
        "scores": entered,
        "source": source,
        "by": str(by),
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    # The document's own scorer has the last word on what a score may be.
    try:
        rescore(
            AssessmentDocument.from_dict(assessment.document or {}),
            public_concern=public_concern_for_rescore(value),
            overrides=overrides_for_rescore(assessment.overrides or {}),
        )
    except ValueError as error:
        raise ApplicationError(str(error)[:1].upper() + str(error)[1:] + ".") from error
    assessment.public_concern = value
    assessment.save(update_fields=["public_concern", "updated_at"])
    audit_record(
        actor=by,
        verb=VERB_PUBLIC_CONCERN_SET,
        target=assessment,
        partnership=assessment.partnership,
        summary={"scores_before": before, "scores_after": entered, "source": source},
    )
    return assessment


# -- sign-off -------------------------------------------------------------------------------


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by: Any, roles: Collection[str]) -> Assessment:
    _require_drafter(by, roles)
    assessment = _locked(assessment)
    _require_draft(assessment)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_by = by
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    audit_record(
        actor=by,
        verb=VERB_SUBMITTED,
        target=assessment,
        partnership=assessment.partnership,
        summary={
            "sections_rewritten": sorted(assessment.narrative),
            "scores_overridden": sorted(assessment.overrides),
        },
    )
    return assessment


def assessment_approval_problem(
    *, assessment: Assessment, by: Any, roles: Collection[str]
) -> str | None:
    """Why ``by`` may not approve this draft now, or None.

    Only a partnership manager approves. Someone who submitted the draft may not approve it
    too, unless they are the partnership's only manager (four eyes where there are four).
    """
    if not can_approve_assessment(by, roles=roles):
        return NOT_ALLOWED_APPROVE
    if assessment.status != AssessmentStatus.SUBMITTED:
        return NOT_SUBMITTED
    submitted_it = assessment.submitted_by_id == getattr(by, "pk", None)
    if submitted_it and partnership_manager_count(partnership=assessment.partnership) > 1:
        return OWN_DRAFT
    return None


@transaction.atomic
def assessment_approve(
    *, assessment: Assessment, by: Any, roles: Collection[str], note: str = ""
) -> Assessment:
    """Approve a submitted draft: it gets the next version number and is frozen from now on."""
    if not can_approve_assessment(by, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_APPROVE)
    assessment = _locked(assessment)
    problem = assessment_approval_problem(assessment=assessment, by=by, roles=roles)
    if problem:
        raise ApplicationError(problem)
    previous = list(
        Assessment.objects.select_for_update().filter(
            partnership=assessment.partnership, status=AssessmentStatus.APPROVED
        )
    )
    for old in previous:
        old.status = AssessmentStatus.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
    assessment.number = assessment_next_number(partnership=assessment.partnership)
    assessment.status = AssessmentStatus.APPROVED
    assessment.approved_by = by
    assessment.approved_at = timezone.now()
    assessment.approval_note = (note or "").strip()
    assessment.return_note = ""
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=by,
        verb=VERB_APPROVED,
        target=assessment,
        partnership=assessment.partnership,
        summary={
            "number": assessment.number,
            "note": assessment.approval_note,
            "submitted_by_approver": assessment.submitted_by_id == by.pk,
            "superseded": [old.number for old in previous],
        },
    )
    return assessment


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, by: Any, roles: Collection[str], note: str
) -> Assessment:
    """Send a submitted draft back to its drafters with what needs to change."""
    if not can_approve_assessment(by, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_APPROVE)
    assessment = _locked(assessment)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ApplicationError(NOT_SUBMITTED)
    note = (note or "").strip()
    if not note:
        raise ApplicationError(RETURN_REASON_NEEDED, extra={"field": "note"})
    assessment.status = AssessmentStatus.DRAFT
    assessment.return_note = note
    assessment.save(update_fields=["status", "return_note", "updated_at"])
    audit_record(
        actor=by,
        verb=VERB_RETURNED,
        target=assessment,
        partnership=assessment.partnership,
        summary={"note": note},
    )
    return assessment


def assessment_download_record(
    *, assessment: Assessment, by: Any, file_format: str, request: Any = None
) -> None:
    """Audit a download (HTML, PDF or XLSX) of one version."""
    audit_record(
        actor=by,
        verb=VERB_DOWNLOADED,
        target=assessment,
        partnership=assessment.partnership,
        summary={
            "format": file_format,
            "status": assessment.status,
            "number": assessment.number,
        },
        request=request,
    )
