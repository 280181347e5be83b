"""The ASB case review (the "Community Trigger"): Anti-social Behaviour, Crime and Policing Act
2014, ss.104–105 and Schedule 4, and the Home Office statutory guidance on the case review.

A resident who has reported anti-social behaviour several times and feels nothing was done may
ask the partnership to review the response. The partnership sets a local threshold (s.104(5)),
decides whether the request meets it, holds a multi-agency review, makes recommendations, tells
the applicant the outcome, offers an appeal, and publishes yearly figures (s.104(11)).
"""

from __future__ import annotations

import uuid

from django.db import models

from saferplaces.core.models import BaseModel


class DayKind(models.TextChoices):
    WORKING = "working", "Working days (Monday to Friday)"
    CALENDAR = "calendar", "Calendar days"


class CaseReviewSettings(BaseModel):
    """The partnership's local threshold and time limits, set by a partnership manager.

    The Act leaves the threshold to the partnership (s.104(3)); the statutory guidance says it
    may not ask for more than three complaints in the six months before the application. So
    ``reports_needed`` is at most 3 and ``window_months`` at least 6; the defaults are that limit.
    """

    partnership = models.OneToOneField(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="case_review_settings"
    )
    reports_needed = models.PositiveSmallIntegerField(default=3)
    window_months = models.PositiveSmallIntegerField(default=6)
    day_kind = models.CharField(max_length=10, choices=DayKind.choices, default=DayKind.WORKING)
    decision_days = models.PositiveSmallIntegerField(default=10)
    review_days = models.PositiveSmallIntegerField(default=25)
    appeal_days = models.PositiveSmallIntegerField(default=20)
    retention_years = models.PositiveSmallIntegerField(default=3)
    signposting = models.TextField(
        blank=True,
        default=(
            "If the problem is still happening, keep reporting it: call 101, or 999 in an "
            "emergency. Victim Support (08 08 16 89 111) can help whatever the decision."
        ),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reports_needed__gte=1, reports_needed__lte=3),
                name="casereview_settings_reports_needed_1_to_3",
            ),
            models.CheckConstraint(
                condition=models.Q(window_months__gte=6, window_months__lte=24),
                name="casereview_settings_window_6_to_24_months",
            ),
        ]

    def __str__(self) -> str:
        return f"Case review settings for {self.partnership}"


class Status(models.TextChoices):
    RECEIVED = "received", "Waiting for a decision on the threshold"
    THRESHOLD_NOT_MET = "threshold_not_met", "Threshold not met: applicant told"
    REVIEW_DUE = "review_due", "Threshold met: review to be held"
    REVIEWED = "reviewed", "Review held: outcome to be sent"
    OUTCOME_SENT = "outcome_sent", "Outcome sent to the applicant"
    APPEALED = "appealed", "Appeal received: waiting for a decision"
    CLOSED = "closed", "Closed"


class ApplicantKind(models.TextChoices):
    VICTIM = "victim", "I am the victim"
    ON_BEHALF = "on_behalf", "I am asking for someone else, with their consent"


class AppealDecision(models.TextChoices):
    UPHELD = "upheld", "Upheld: the review will be looked at again"
    NOT_UPHELD = "not_upheld", "Not upheld: the outcome stands"


class CaseReview(BaseModel):
    """One application for a case review, from request to appeal."""

    Status = Status

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="case_reviews"
    )
    reference = models.CharField(max_length=20, unique=True)
    submission_key = models.UUIDField(unique=True, null=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_on = models.DateField()

    # The applicant (personal data: removed by the retention rule and on erasure).
    applicant_kind = models.CharField(max_length=10, choices=ApplicantKind.choices)
    victim_name = models.CharField(max_length=200, blank=True)  # when asking for someone else
    applicant_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=40, blank=True)
    problem = models.TextField(blank=True)
    place = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    personal_data_removed_on = models.DateField(null=True, blank=True)

    # The threshold check made when the request arrived (a snapshot: the partnership decides).
    platform_reports = models.JSONField(default=list, blank=True)
    reports_counted = models.PositiveSmallIntegerField(default=0)
    reports_needed = models.PositiveSmallIntegerField(default=3)
    window_months = models.PositiveSmallIntegerField(default=6)
    window_start = models.DateField()
    meets_threshold_on_count = models.BooleanField(default=False)
    decision_due = models.DateField()

    lead_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    threshold_met = models.BooleanField(null=True, blank=True)
    threshold_reason = models.TextField(blank=True)
    threshold_decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    threshold_decided_on = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)

    review_held_on = models.DateField(null=True, blank=True)
    agencies_present = models.ManyToManyField("accounts.Organisation", blank=True, related_name="+")
    other_agencies_present = models.CharField(max_length=300, blank=True)
    findings = models.TextField(blank=True)
    review_decision = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    outcome_text = models.TextField(blank=True)
    outcome_sent_on = models.DateField(null=True, blank=True)
    outcome_sent_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    appeal_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    appeal_due = models.DateField(null=True, blank=True)
    appeal_reason = models.TextField(blank=True)
    appealed_on = models.DateField(null=True, blank=True)
    appeal_decision = models.CharField(max_length=12, choices=AppealDecision.choices, blank=True)
    appeal_decision_reason = models.TextField(blank=True)
    appeal_decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    appeal_decided_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    is_demonstration = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_on", "-reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reference__regex=r"^CR-[0-9]{4}-[0-9]{4,}$"),
                name="casereview_reference_format",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class DeclaredReport(BaseModel):
    """A report the applicant says they made to another agency (police, council, landlord)."""

    case_review = models.ForeignKey(
        CaseReview, on_delete=models.CASCADE, related_name="declared_reports"
    )
    agency = models.CharField(max_length=200)
    reported_on = models.DateField()
    reference = models.CharField(max_length=60, blank=True)
    counted = models.BooleanField(default=True)  # inside the window and not a duplicate

    class Meta:
        ordering = ["reported_on", "agency"]

    def __str__(self) -> str:
        return f"{self.agency}, {self.reported_on:%d %B %Y}"


class Recommendation(BaseModel):
    """One action of the review's action plan: what, which organisation, by when."""

    case_review = models.ForeignKey(
        CaseReview, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField()
    owner_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField()

    class Meta:
        ordering = ["due_date", "created_at"]

    def __str__(self) -> str:
        return self.text[:60]
