"""The role split in the admin guide: the application's role cannot change the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from saferplaces.audit.models import AuditChainHead, AuditEvent
from saferplaces.audit.selectors import audit_chain_verify
from saferplaces.audit.services import audit_record
from tests.saferplaces.audit.docs_sql import sql_block

ROLE = "saferplaces_app_test"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL roles; CI runs this on PostgreSQL"
)


@pytest.fixture
def as_app_role(db: Any) -> Any:
    """Create the role (rolled back with the test), apply the guide's grants, then become it."""
    database = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")
        for statement in sql_block("role-split-sql"):
            statement = statement.replace("saferplaces_app", ROLE)
            statement = statement.replace("DATABASE saferplaces ", f'DATABASE "{database}" ')
            cursor.execute(statement)
        cursor.execute(f"SET ROLE {ROLE}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET verb = verb",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent",
        "UPDATE audit_maintenance SET allow_delete = true",
        "INSERT INTO audit_maintenance (allow_delete) VALUES (true)",
    ],
)
def test_app_role_cannot_change_the_audit_log(as_app_role: None, statement: str) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)


def test_app_role_can_still_write_events(as_app_role: None) -> None:
    event = audit_record(actor=None, verb="auth.signed_out")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert AuditChainHead.objects.get().sequence == event.sequence
    assert audit_chain_verify().intact
