"""Migration 0003 chains the events that were written before the chain existed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from saferplaces.audit.selectors import audit_chain_verify
from saferplaces.audit.services import audit_record

BEFORE = [("audit", "0002_append_only_triggers")]
AFTER = [("audit", "0003_hash_chain")]


def _migrate(targets: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_events_are_chained_in_time_order() -> None:
    old_apps = _migrate(BEFORE)
    try:
        User = old_apps.get_model("accounts", "User")
        OldEvent = old_apps.get_model("audit", "AuditEvent")
        user = User.objects.create(email="old@example.org")
        start = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
        # Inserted out of time order: the chain must follow occurred_at, not insertion.
        for minutes, verb, object_type, object_id in [
            (2, "auth.signed_out", "accounts.user", str(user.pk)),
            (0, "auth.sign_in_failed", "accounts.user", str(user.pk)),
            (1, "access.sign_in_required", "url", "/staff/"),
        ]:
            # occurred_at was auto_now_add in the old schema (and UPDATE is refused).
            when = start + timedelta(minutes=minutes)
            with mock.patch("django.utils.timezone.now", return_value=when):
                OldEvent.objects.create(
                    verb=verb,
                    action="x",
                    object_type=object_type,
                    object_id=object_id,
                    summary={"k": [1, 2]},
                )
    finally:
        new_apps = _migrate(AFTER)

    Event = new_apps.get_model("audit", "AuditEvent")
    rows = list(Event.objects.order_by("sequence").values("sequence", "verb", "subject_id"))
    assert [r["verb"] for r in rows] == [
        "auth.sign_in_failed",
        "access.sign_in_required",
        "auth.signed_out",
    ]
    assert [r["sequence"] for r in rows] == [1, 2, 3]
    assert rows[0]["subject_id"] == uuid.UUID(str(user.pk))
    assert rows[1]["subject_id"] is None
    assert audit_chain_verify().intact
    # New events continue the chain, and the triggers are back.
    assert audit_record(actor=None, verb="auth.signed_out").sequence == 4
    assert audit_chain_verify().intact
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET verb = 'x'")
