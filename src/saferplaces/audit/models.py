from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from saferplaces.audit.registry import VERBS


class AppendOnlyError(Exception):
    """Audit events cannot be changed or deleted."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One thing that happened. Written only through ``audit_record``; never changed.

    Each event is chained to the one before it (docs/adr/0004): ``sequence`` numbers the events
    without gaps, ``previous_hash`` repeats the hash of event ``sequence - 1`` and ``row_hash``
    is the SHA-256 of this event's canonical content (``audit.chain``), so a changed or deleted
    row breaks the chain and ``saferplaces audit verify`` finds it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Set before saving (not auto_now_add), because the time is part of the row's hash.
    occurred_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The account an event is about when that is not the actor (a failed sign-in names one).
    # No database constraint: the audit row keeps the id even if the account goes.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # A plain string checked against audit.registry.VERBS (no choices: no migration per verb).
    verb = models.CharField(max_length=64, db_index=True)
    action = models.CharField(max_length=32, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    partnership = models.ForeignKey(
        "accounts.Partnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=256, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    sequence = models.BigIntegerField(unique=True, editable=False)
    previous_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    row_hash = models.CharField(max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["partnership", "-occurred_at"], name="audit_partnership_time")
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.verb}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("Audit events cannot be deleted.")

    def clean(self) -> None:
        if self.verb not in VERBS:
            raise ValidationError({"verb": f"Unknown audit verb {self.verb!r}."})


class AuditChainHead(models.Model):
    """The one row that says where the chain ends; writers lock it to take the next number.

    Updating this row first, before reading it, makes concurrent writers queue up: PostgreSQL
    locks the row, SQLite takes its single write lock. It proves nothing by itself: a deleted
    last event shows as a head that points past the end of the table.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_one_head")
        ]

    def __str__(self) -> str:
        return f"audit chain head #{self.sequence}"


class RefusalWindow(models.Model):
    """Anonymous refusals from one IP address on one page, counted between audit rows.

    An anonymous visitor who asks for a staff page 10,000 times gets one audit row per window
    (``audit.services.REFUSAL_WINDOW``); the next row says how many were not written one by one.
    Not part of the audit log: it is changed in place and purged (``audit_purge_sign_in_records``).
    """

    verb = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField()
    page = models.CharField(max_length=200)
    last_event = models.ForeignKey(
        AuditEvent, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    last_written_at = models.DateTimeField()
    not_written = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["verb", "ip_address", "page"], name="audit_refusal_window_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.verb} from {self.ip_address} on {self.page}"
