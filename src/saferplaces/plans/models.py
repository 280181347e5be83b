"""A partnership's Community Safety Plan and its action plan.

One ``Plan`` row per plan (e.g. 2026–2029). Its priorities, objectives, actions and milestones
are live rows people edit. When a manager approves, a ``PlanVersion`` row records the approval
trail (number, date, approver, the decision's minute) and a JSON snapshot of the priorities and
actions as approved, so the page can show what changed since. An approved or published plan is
frozen: a change to its structure first moves it to a new draft version (services do this);
delivery (action status, milestones done, progress updates) is not a change of the plan.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferplaces.core.models import BaseModel


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Out for consultation"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


# Approved and published plans are what the partnership agreed: their structure is frozen.
FROZEN_PLAN_STATUSES = (PlanStatus.APPROVED, PlanStatus.PUBLISHED)


class InterventionLevel(models.TextChoices):
    """Seed 001's four levels, from the widest to the most targeted."""

    PREVENTION = "prevention", "Prevention"
    EARLY_RESOLUTION = "early_resolution", "Early resolution"
    PROBLEM_SOLVING = "problem_solving", "Partnership problem solving"
    HIGH_RISK = "high_risk", "High risk"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


class Plan(BaseModel):
    Status = PlanStatus

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(max_length=200)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    vision = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # The version being worked on (or last approved, when frozen): 1, 2, 3 …
    version_number = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PlanStatus.values),
                name="plans_plan_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="plans_plan_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.period_label}"

    @property
    def period_label(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_PLAN_STATUSES

    @property
    def is_published(self) -> bool:
        return self.status == PlanStatus.PUBLISHED


class PlanVersion(BaseModel):
    """One row of the approval trail: an approved version and what it contained."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    approved_on = models.DateField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The decision as minuted, e.g. "Board meeting 12 March 2026, item 4: plan approved".
    minute = models.TextField()
    # selectors.plan_snapshot(plan) at approval: {"plan": {...}, "priorities": [...]}.
    snapshot = models.JSONField(default=dict)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} version {self.number}"


class Priority(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lead_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    # The evidence: the approved strategic assessment row this priority came from.
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_priorities",
    )
    assessment_category = models.CharField(max_length=100, blank=True)
    assessment_category_label = models.CharField(max_length=200, blank=True)
    assessment_score = models.FloatField(null=True, blank=True)
    assessment_rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "order", "title"]

    def __str__(self) -> str:
        return self.title


class Objective(BaseModel):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["priority", "order", "created_at"]

    def __str__(self) -> str:
        return self.text[:80]


class Action(BaseModel):
    Level = InterventionLevel
    Status = ActionStatus

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    key_activity = models.TextField()
    responsible_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="plan_actions"
    )
    organisations = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="plan_actions"
    )
    intervention_level = models.CharField(max_length=30, choices=InterventionLevel.choices)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    start_date = models.DateField(null=True, blank=True)
    completion_date = models.DateField(null=True, blank=True)
    cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    funding_source = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["priority", "order", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(intervention_level__in=InterventionLevel.values),
                name="plans_action_level_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values),
                name="plans_action_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(completion_date__isnull=True)
                | models.Q(completion_date__gte=models.F("start_date")),
                name="plans_action_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.key_activity[:80]


class Milestone(BaseModel):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    done_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["action", "due_date", "title"]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(BaseModel):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    text = models.TextField()
    evidence_note = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The one-time token of the form that posted it: a double click posts the same token twice,
    # and the unique constraint turns the second into a clear "already saved" message.
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["action", "-date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:60]}"
