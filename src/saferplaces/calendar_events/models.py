"""The partnership calendar: meetings, campaigns, awareness weeks, consultations.

Dates and times are kept as the people who enter them think of them: a day, and for a timed
event a wall-clock time in the partnership's time zone (``settings.TIME_ZONE``,
Europe/London). An event without times lasts all day, from its start date to its end date
inclusive (an awareness week is seven all-day days). ``starts_at``/``ends_at`` give the
aware datetimes of a timed event, so a feed can give UTC and a page the local time whatever
the clocks did in between.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models

from saferplaces.core.models import BaseModel


class EventKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    CAMPAIGN = "campaign", "Campaign"
    AWARENESS_WEEK = "awareness_week", "Awareness week"
    CONSULTATION = "consultation", "Consultation"
    OTHER = "other", "Other"


class Audience(models.TextChoices):
    STAFF = "staff", "Partnership staff only"
    PUBLIC = "public", "Public"


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


class Event(BaseModel):
    Kind = EventKind
    Audience = Audience

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="calendar_events"
    )
    owner_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="calendar_events"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    # Both empty: an all-day event. Both set: a timed event (local wall-clock times).
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    location = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.STAFF)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["start_date", "start_time", "title"]
        indexes = [models.Index(fields=["partnership", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="calendar_event_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(start_time__isnull=True, end_time__isnull=True)
                | models.Q(start_time__isnull=False, end_time__isnull=False),
                name="calendar_event_times_both_or_neither",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=EventKind.values),
                name="calendar_event_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(audience__in=Audience.values),
                name="calendar_event_audience_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def all_day(self) -> bool:
        return self.start_time is None

    @property
    def is_public(self) -> bool:
        return self.audience == Audience.PUBLIC

    @property
    def starts_at(self) -> dt.datetime | None:
        if self.start_time is None:
            return None
        return dt.datetime.combine(self.start_date, self.start_time, tzinfo=local_zone())

    @property
    def ends_at(self) -> dt.datetime | None:
        if self.end_time is None:
            return None
        return dt.datetime.combine(self.end_date, self.end_time, tzinfo=local_zone())

    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class FeedToken(models.Model):
    """A person's secret for their private calendar feed: only its SHA-256 is kept.

    The token is 256 random bits, so a plain hash (not a slow password hash) is enough to make
    a copy of the database useless for reading anyone's feed, and it can be looked up directly.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed token of {self.user}"
