"""The retention schedule: the command and the task run every registered rule."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command

from saferplaces.accounts.models import User
from saferplaces.audit.models import AuditEvent
from saferplaces.privacy.tasks import retention_apply
from tests.saferplaces.factories import UserFactory


def test_a_dry_run_prints_what_would_change_and_changes_nothing(fake_registries: Any) -> None:
    UserFactory(email="a@old.example.org")
    UserFactory(email="b@old.example.org")
    out = StringIO()
    call_command("saferplaces_retention", "--dry-run", stdout=out)
    assert "Old readers deleted: 2 would change" in out.getvalue()
    assert "nothing was changed" in out.getvalue()
    assert User.objects.filter(email__endswith="@old.example.org").count() == 2
    assert not AuditEvent.objects.filter(verb="privacy.retention_applied").exists()


def test_the_command_applies_every_rule_and_audits_the_counts(fake_registries: Any) -> None:
    UserFactory(email="a@old.example.org")
    UserFactory(email="keep@example.org")
    out = StringIO()
    call_command("saferplaces_retention", stdout=out)
    assert "Old readers deleted: 1 changed" in out.getvalue()
    assert list(User.objects.values_list("email", flat=True)) == ["keep@example.org"]
    event = AuditEvent.objects.get(verb="privacy.retention_applied")
    assert event.summary == {"changed": {"old": 1}, "total": 1}


def test_the_task_runs_the_same_schedule(fake_registries: Any) -> None:
    UserFactory(email="a@old.example.org")
    result = retention_apply.enqueue()
    assert result.return_value == {"old": 1}
    assert len(fake_registries["retention_calls"]) == 1
