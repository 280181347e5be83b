"""The audit log cannot be changed: not by the model, not by raw SQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from saferplaces.audit.models import AppendOnlyError, AuditEvent
from saferplaces.audit.services import audit_record
from tests.saferplaces.factories import UserFactory


@pytest.fixture
def event(db: Any) -> AuditEvent:
    return audit_record(actor=UserFactory(), verb="auth.signed_out")


def test_saving_an_existing_event_is_refused(event: AuditEvent) -> None:
    event.verb = "auth.signed_in"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_deleting_an_event_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="auth.signed_in")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_raw_sql_update_is_refused_by_the_database(event: AuditEvent) -> None:
    table = AuditEvent._meta.db_table
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET verb = %s", ["tampered"])  # noqa: S608
    assert AuditEvent.objects.get(pk=event.pk).verb == "auth.signed_out"


def test_raw_sql_delete_is_refused_by_the_database(event: AuditEvent) -> None:
    table = AuditEvent._meta.db_table
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_unknown_verb_is_refused(db: Any) -> None:
    with pytest.raises(ValueError, match="Unknown audit verb"):
        audit_record(actor=None, verb="made.up")
    assert not AuditEvent.objects.exists()


def test_summary_never_holds_a_password(db: Any) -> None:
    with pytest.raises(ValueError, match="password"):
        audit_record(actor=None, verb="auth.password_changed", summary={"password": "x"})


def test_user_agent_is_truncated(db: Any, rf: Any) -> None:
    request = rf.get("/", HTTP_USER_AGENT="x" * 1000)
    event = audit_record(actor=None, verb="access.sign_in_required", request=request)
    assert len(event.user_agent) == 256
    assert event.ip_address == "127.0.0.1"


@pytest.mark.django_db(transaction=True)
def test_flush_between_transactional_tests_still_works() -> None:
    # Writes an event that the transactional test case must be able to flush afterwards.
    audit_record(actor=None, verb="access.sign_in_required")
    assert AuditEvent.objects.count() == 1
