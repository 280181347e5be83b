"""The retention procedure in the admin guide deletes old events and keeps the chain verifiable."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from saferplaces.audit.models import AuditEvent
from saferplaces.audit.selectors import audit_chain_verify
from saferplaces.audit.services import audit_record
from tests.saferplaces.audit.docs_sql import sql_block
from tests.saferplaces.audit.tampering import execute


def _run_retention(first_kept: int) -> None:
    # BEGIN/COMMIT are the test's own transaction here.
    for statement in sql_block("retention-sql"):
        if statement.upper() in {"BEGIN", "COMMIT"}:
            continue
        execute(statement.replace("5231", str(first_kept)))


@pytest.fixture
def five_events(db: Any) -> None:
    for _ in range(5):
        audit_record(actor=None, verb="auth.signed_out")


def test_documented_retention_keeps_the_chain_intact(five_events: None) -> None:
    _run_retention(first_kept=3)

    assert sorted(AuditEvent.objects.values_list("sequence", flat=True)) == [3, 4, 5]
    assert audit_chain_verify().intact
    assert audit_record(actor=None, verb="auth.signed_out").sequence == 6
    assert audit_chain_verify().intact


def test_deleting_the_oldest_events_without_moving_the_start_is_detected(
    five_events: None,
) -> None:
    execute("UPDATE audit_maintenance SET allow_delete = true")
    execute("DELETE FROM audit_auditevent WHERE sequence < 3")
    execute("UPDATE audit_maintenance SET allow_delete = false")
    verification = audit_chain_verify()
    assert not verification.intact
    assert "event #1 to #2 before it is missing" in verification.first_break.describe()


def test_retention_window_is_closed_afterwards(five_events: None) -> None:
    _run_retention(first_kept=2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT allow_delete FROM audit_maintenance")
        assert not any(row[0] for row in cursor.fetchall())
