"""Alerts to residents who opted in: subscriptions (double opt-in), alerts and their deliveries.

A subscription is one e-mail address in one partnership, with the areas and topics chosen. It
receives nothing until the address is confirmed from the e-mailed link. Staff never see the
addresses: their pages show counts only.

Areas are keys (see :mod:`saferplaces.alerts.areas`): ``all`` (the whole partnership),
``district:<LAD code>`` or ``neighbourhood:<id>``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from saferplaces.core.models import BaseModel


class Topic(models.TextChoices):
    CRIME = "crime", "Crime and antisocial behaviour updates"
    MEETINGS = "meetings", "Community meetings and forums"
    CONSULTATIONS = "consultations", "Surveys and consultations"
    ADVICE = "advice", "Safety advice and campaigns"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Subscription(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the address to be confirmed"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    # Stored in lower case (services.normalise_email), so lookups are exact and use the index.
    email = models.EmailField("e-mail address", db_index=True)
    areas = models.JSONField(default=list)
    topics = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # The words the resident agreed to, as shown on the day (the consent record, UK GDPR Art 7).
    consent_text = models.TextField()
    consented_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # The secret in the unsubscribe and "manage your alerts" links; a new one on every sign-up.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    submission_key = models.UUIDField(unique=True, null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "partnership", Lower("email"), name="alerts_one_subscription_per_address"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "confirmed", "unsubscribed"]),
                name="alerts_subscription_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Subscription {self.pk}"  # never the address: this may reach logs


class Alert(BaseModel):
    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=120)
    body = models.TextField()
    area = models.CharField(max_length=80)
    area_name = models.CharField(max_length=200)
    topic = models.CharField(max_length=20, choices=Topic.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The send log: how many matched when the task ran, how many e-mails went, how many failed.
    recipients = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.UUIDField(unique=True, null=True, editable=False)
    # Demo alerts are labelled as generated wherever they are shown.
    is_generated = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Delivery(BaseModel):
    """One e-mail of one alert to one subscriber: the row is claimed before the e-mail goes.

    The unique constraint is what makes the sending task safe to retry: a second run finds the
    row and skips the subscriber, so nobody is e-mailed twice.
    """

    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    # Erasing a subscriber keeps the count of the alert's deliveries but not who they were.
    subscription = models.ForeignKey(
        Subscription, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENDING)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "subscription"], name="alerts_one_delivery_per_subscriber"
            )
        ]

    def __str__(self) -> str:
        return f"Delivery {self.pk}"
