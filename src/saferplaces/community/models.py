"""The community network (champions, watch schemes, groups) and the neighbourhood forums.

A coordinator's name, e-mail address and phone number are personal data: they are kept only with
recorded consent, removed at once when consent is withdrawn, and removed by the retention rule
when the review date has long passed. The record of the group itself (its name, kind, area and
number of members) is not personal data and stays, so the partnership can still see its capacity.
Members' names are never stored: only how many there are.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferplaces.core.models import BaseModel, OwnedModel


class GroupKind(models.TextChoices):
    CHAMPION = "champion", "Community champion"
    WATCH = "watch", "Neighbourhood watch scheme"
    GROUP = "group", "Community group"
    RESIDENTS = "residents", "Residents' association"


class CommunityGroup(OwnedModel):
    """One champion, watch scheme, group or residents' association, owned by an organisation."""

    kind = models.CharField(max_length=20, choices=GroupKind.choices)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    # Sorted 2021 LSOA codes of the partnership; copied from the neighbourhood when one is linked.
    lsoa_codes = models.JSONField(default=list)
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members_count = models.PositiveIntegerField(null=True, blank=True)
    listed_publicly = models.BooleanField(default=False)

    # Personal data: only with consent; blank once withdrawn or past retention.
    coordinator_name = models.CharField(max_length=160, blank=True)
    coordinator_email = models.EmailField(blank=True)
    coordinator_phone = models.CharField(max_length=40, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    consent_wording = models.TextField(blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    review_date = models.DateField()
    anonymised_at = models.DateTimeField(null=True, blank=True)
    anonymised_reason = models.CharField(max_length=200, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(coordinator_name="") | models.Q(consent_given_on__isnull=False),
                name="community_coordinator_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_personal_data(self) -> bool:
        return bool(self.coordinator_name or self.coordinator_email or self.coordinator_phone)


class NeighbourhoodForum(BaseModel):
    """The residents' forum of one neighbourhood, run by one organisation of the partnership."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    neighbourhood = models.OneToOneField(
        "neighbourhoods.Neighbourhood", on_delete=models.CASCADE, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=160)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ForumMeeting(BaseModel):
    forum = models.ForeignKey(NeighbourhoodForum, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    place = models.CharField(max_length=200)
    attendance = models.PositiveIntegerField(default=0)
    # Staff notes of the meeting: never shown to the public (they may name people).
    notes = models.TextField(blank=True)
    submission_key = models.UUIDField(unique=True, null=True, editable=False)

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.forum.name}, {self.date:%d %B %Y}"


class IssueStatus(models.TextChoices):
    OPEN = "open", "Raised, not yet acted on"
    IN_PROGRESS = "in_progress", "We are working on it"
    DONE = "done", "Done"
    NOT_ACTED = "not_acted", "We could not act on it"


class ForumIssue(BaseModel):
    """An issue residents raised at a meeting: shown on the public "you said, we did" page."""

    meeting = models.ForeignKey(ForumMeeting, on_delete=models.CASCADE, related_name="issues")
    text = models.CharField(max_length=300)
    raised_by = models.PositiveIntegerField(default=1)
    votes = models.PositiveIntegerField(null=True, blank=True)
    priority = models.ForeignKey(
        "plans.Priority", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    we_did = models.TextField(blank=True)
    submission_key = models.UUIDField(unique=True, null=True, editable=False)

    class Meta:
        ordering = ["-votes", "-raised_by", "created_at"]

    def __str__(self) -> str:
        return self.text


class PublishedPage(BaseModel):
    """A neighbourhood whose "you said, we did" page residents may read.

    Kept here, not as the neighbourhood's sharing level: neighbourhoods may not be public
    (their profiles hold figures for staff), but the partnership may still choose to publish
    what residents said there and what it did.
    """

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    neighbourhood = models.OneToOneField(
        "neighbourhoods.Neighbourhood", on_delete=models.CASCADE, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return str(self.neighbourhood)
