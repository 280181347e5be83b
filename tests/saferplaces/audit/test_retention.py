"""django-axes keeps no form data and no access log; old sign-in records are purged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from saferplaces.audit.models import AuditEvent, RefusalWindow
from saferplaces.audit.selectors import audit_chain_verify
from tests.saferplaces.factories import TEST_PASSWORD, UserFactory


def _sign_in(client: Any, email: str, password: str) -> Any:
    return client.post(reverse("accounts:sign_in"), {"email": email, "password": password})


def test_failed_sign_in_keeps_no_form_data(client: Any, db: Any) -> None:
    user = UserFactory()
    _sign_in(client, user.email, "a password typed by mistake")
    _sign_in(client, user.email, "another wrong one")
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == 2
    assert attempt.post_data == ""
    assert attempt.get_data == ""


def test_successful_sign_in_writes_no_access_log(client: Any, db: Any) -> None:
    user = UserFactory()
    assert _sign_in(client, user.email, TEST_PASSWORD).status_code == 302
    assert not AccessLog.objects.exists()
    assert AuditEvent.objects.filter(verb="auth.signed_in").exists()


def _aged(model: Any, days: int, **fields: Any) -> Any:
    defaults = {"user_agent": "x", "ip_address": "192.0.2.1", "username": "someone@example.org"}
    row = model.objects.create(http_accept="", path_info="/sign-in/", **{**defaults, **fields})
    model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - timedelta(days=days))
    return row


def test_purge_deletes_only_records_older_than_the_limit(db: Any, capsys: Any) -> None:
    attempt_args = {"get_data": "", "post_data": "", "failures_since_start": 1}
    old = [
        _aged(AccessAttempt, 31, **attempt_args),
        _aged(AccessLog, 31),
        _aged(AccessFailureLog, 31),
    ]
    recent = [
        _aged(AccessAttempt, 29, **{**attempt_args, "user_agent": "y"}),
        _aged(AccessLog, 29),
        _aged(AccessFailureLog, 29),
    ]

    call_command("saferplaces_purge_access_logs", "--days", "30")

    for row in old:
        assert not type(row).objects.filter(pk=row.pk).exists()
    for row in recent:
        assert type(row).objects.filter(pk=row.pk).exists()
    assert "1 lockout counters, 1 access log and 1 failure log" in capsys.readouterr().out
    event = AuditEvent.objects.get(verb="audit.access_logs_purged")
    assert event.summary["attempts"] == 1
    assert event.summary["older_than_days"] == 30


def test_purge_writes_pending_refusal_counts_to_the_audit_log(client: Any, db: Any) -> None:
    for _ in range(4):
        client.get(reverse("accounts:staff_home"))
    assert RefusalWindow.objects.get().not_written == 3

    with override_settings(SAFERPLACES_AUDIT_REFUSAL_WINDOW=timedelta(0)):
        call_command("saferplaces_purge_access_logs")

    rows = list(AuditEvent.objects.filter(verb="access.sign_in_required").order_by("sequence"))
    assert len(rows) == 2
    assert rows[1].summary["not_written_since_last_event"] == 3
    assert rows[1].ip_address == "127.0.0.1"
    assert RefusalWindow.objects.get().not_written == 0
    assert audit_chain_verify().intact


def test_purge_refuses_zero_days(db: Any) -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("saferplaces_purge_access_logs", "--days", "0")
