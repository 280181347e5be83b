"""A concern a resident reported, and what happened to it (its timeline).

The personal data (contact details, photo, the free text of the description and the place)
sit on the concern itself, so the retention rule and erasure can blank them in one place while
the category, small area and dates stay for the counts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferplaces.concerns.categories import CHOICES as CATEGORY_CHOICES
from saferplaces.core.models import BaseModel


class Status(models.TextChoices):
    NEW = "new", "Received: waiting to be looked at"
    ASSIGNED = "assigned", "Being dealt with"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    ACTION_TAKEN = "action_taken", "Action taken"
    PASSED_ON = "passed_on", "Passed to another agency"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    DUPLICATE = "duplicate", "Already reported (duplicate)"


class LocationMethod(models.TextChoices):
    POSTCODE = "postcode", "Postcode"
    PIN = "pin", "Map pin"
    DESCRIPTION = "description", "Description of the place"


class TimeOfDay(models.TextChoices):
    MORNING = "morning", "Morning (6am to midday)"
    AFTERNOON = "afternoon", "Afternoon (midday to 6pm)"
    EVENING = "evening", "Evening (6pm to 10pm)"
    NIGHT = "night", "Night (10pm to 6am)"
    VARIOUS = "various", "At different times"
    UNKNOWN = "unknown", "I do not know"


class Concern(BaseModel):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(max_length=20, unique=True)  # C-2026-00042
    # The status page's secret: the link in the confirmation and e-mails, nothing else.
    token = models.CharField(max_length=64, unique=True)
    submission_key = models.UUIDField(unique=True, null=True, editable=False)
    category = models.CharField(max_length=40, choices=CATEGORY_CHOICES)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)

    location_method = models.CharField(max_length=20, choices=LocationMethod.choices)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lsoa_code = models.CharField(max_length=9, blank=True, db_index=True)
    lsoa_name = models.CharField(max_length=100, blank=True)
    place_description = models.TextField(blank=True)

    ongoing = models.BooleanField(default=False)
    happened_on = models.DateField(null=True, blank=True)
    time_of_day = models.CharField(max_length=20, choices=TimeOfDay.choices, blank=True)
    description = models.TextField()
    photo_name = models.CharField(max_length=80, blank=True)

    anonymous = models.BooleanField(default=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True, db_index=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)

    assigned_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField()
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    public_outcome = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    personal_data_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partnership", "status", "category"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(outcome=""),
                name="concerns_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def has_contact(self) -> bool:
        return not self.anonymous and bool(self.contact_email or self.contact_phone)


class EventKind(models.TextChoices):
    RECEIVED = "received", "Concern received"
    ASSIGNED = "assigned", "Passed to an organisation"
    NOTE = "note", "Internal note"
    UPDATE = "update", "Update"
    DUPLICATE = "duplicate", "Marked as already reported"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened by the resident"
    PERSONAL_DATA_REMOVED = "personal_data_removed", "Personal details removed"


class ConcernEvent(BaseModel):
    """One line of a concern's timeline; ``public`` lines are shown on the status page."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    public = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.concern} {self.kind}"


class ReferenceCounter(models.Model):
    """The last reference number given in a year (C-<year>-<number>), counted under a row lock."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
