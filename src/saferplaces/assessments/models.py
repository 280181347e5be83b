"""A partnership's strategic assessments: each row is one draft or one approved version.

The document itself (figures, tables, charts, provenance) is the frozen
``AssessmentDocument.to_dict()`` the engine produced; what people add on top of it is kept
beside it: the narrative sections they rewrote and the priority scores they changed, with the
reason. An approved version is never changed again (services refuse it); a new draft is a new
row that starts from the last approved one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from saferplaces.core.models import BaseModel


class AssessmentStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be built"
    BUILDING = "building", "Being built"
    FAILED = "failed", "Build failed"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for approval"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Replaced by a later version"


# While one of these, the engine is (or will be) working on the row; the status page refreshes.
BUILDING_STATUSES = (AssessmentStatus.QUEUED, AssessmentStatus.BUILDING)
# People may change the narrative and the scores only of a draft.
EDITABLE_STATUSES = (AssessmentStatus.DRAFT,)
# Approved and superseded versions are the record of what the partnership agreed.
FROZEN_STATUSES = (AssessmentStatus.APPROVED, AssessmentStatus.SUPERSEDED)


class Assessment(BaseModel):
    Status = AssessmentStatus

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="assessments"
    )
    title = models.CharField(max_length=200)
    # AssessmentOptions.to_dict(): area, period, comparator, harm on/off, weights.
    options = models.JSONField(default=dict)
    # The version number, given when a manager approves (1, 2, 3 … per partnership); drafts
    # have none, so the numbers of the approved versions have no gaps.
    number = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    error_message = models.TextField(blank=True)
    build_started_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    # AssessmentDocument.to_dict(), as the engine produced it: never edited afterwards.
    document = models.JSONField(null=True, blank=True)
    # {section_key: sanitised HTML} for the sections an analyst rewrote.
    narrative = models.JSONField(default=dict, blank=True)
    # {category: {"score": float, "reason": str, "by": str, "at": iso datetime}}.
    overrides = models.JSONField(default=dict, blank=True)
    # Public concern entered by an analyst: {"scores": {category: 1–5}, "source": str,
    # "by": str, "at": iso datetime}. Empty until someone enters it.
    public_concern = models.JSONField(default=dict, blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="later_drafts"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)
    # Why a manager sent the draft back (shown to the analyst until they submit again).
    return_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AssessmentStatus.values),
                name="assessments_assessment_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="assessments_assessment_progress_0_100",
            ),
            models.UniqueConstraint(
                fields=["partnership", "number"],
                condition=models.Q(number__isnull=False),
                name="assessments_assessment_one_number_per_partnership",
            ),
            # Only approved (and later superseded) versions carry a number and an approver.
            models.CheckConstraint(
                condition=models.Q(number__isnull=True)
                | models.Q(status__in=[s.value for s in FROZEN_STATUSES]),
                name="assessments_assessment_number_only_when_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version_label})"

    @property
    def version_label(self) -> str:
        if self.number is not None:
            return f"Version {self.number}"
        return self.get_status_display()

    @property
    def is_building(self) -> bool:
        return self.status in BUILDING_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def is_approved(self) -> bool:
        return self.status == AssessmentStatus.APPROVED

    def option(self, name: str, default: Any = None) -> Any:
        return (self.options or {}).get(name, default)
