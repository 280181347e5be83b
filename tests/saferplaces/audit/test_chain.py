"""Every audit event is chained to the one before it; tampering shows up in ``audit_verify``."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from saferplaces.audit import chain
from saferplaces.audit.models import AuditChainHead, AuditEvent
from saferplaces.audit.selectors import audit_chain_verify
from saferplaces.audit.services import audit_record
from tests.saferplaces.audit.tampering import TABLE, drop_append_only_triggers, execute
from tests.saferplaces.factories import PartnershipFactory, UserFactory


@pytest.fixture
def events(db: Any) -> list[AuditEvent]:
    user = UserFactory()
    partnership = PartnershipFactory()
    return [
        audit_record(actor=user, verb="auth.signed_in", target=user),
        audit_record(
            actor=user,
            verb="organisation.created",
            partnership=partnership,
            summary={"name": "Café ☕", "types": ("a", "b"), "n": 1.5},
        ),
        audit_record(actor=None, verb="auth.sign_in_failed", target=user),
        audit_record(actor=user, verb="auth.signed_out", target=user),
    ]


def _verify_fails() -> str:
    with pytest.raises(CommandError) as raised:
        call_command("audit_verify")
    assert raised.value.returncode == 1
    return str(raised.value)


def test_events_are_numbered_and_linked(events: list[AuditEvent]) -> None:
    stored = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in stored] == [1, 2, 3, 4]
    assert stored[0].previous_hash == ""
    for before, after in zip(stored, stored[1:], strict=False):
        assert after.previous_hash == before.row_hash
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.last_hash) == (4, stored[-1].row_hash)


def test_hash_read_back_equals_hash_written(events: list[AuditEvent]) -> None:
    # The canonical content survives the round trip through the database (JSON, times, UUIDs).
    for row in AuditEvent.objects.values(*chain.HASHED_FIELDS, "row_hash"):
        assert chain.row_hash(row) == row["row_hash"]
        assert row["row_hash"] == hashlib.sha256(chain.canonical(row)).hexdigest()


def test_intact_chain_passes(events: list[AuditEvent], capsys: Any) -> None:
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "Audit chain intact: 4 events" in out
    assert AuditEvent.objects.get(sequence=4).row_hash in out


def test_empty_log_passes(db: Any, capsys: Any) -> None:
    call_command("audit_verify")
    assert "intact: 0 events" in capsys.readouterr().out


def test_changed_row_is_reported_exactly(events: list[AuditEvent]) -> None:
    drop_append_only_triggers()
    execute(f"UPDATE {TABLE} SET verb = %s WHERE sequence = 2", ["partnership.created"])  # noqa: S608

    report = _verify_fails()

    target = AuditEvent.objects.get(sequence=2)
    assert f"event #2 (id {target.pk}" in report
    assert "content does not match its hash" in report
    verification = audit_chain_verify()
    assert verification.first_break is not None
    assert verification.first_break.event_id == str(target.pk)


def test_changed_ip_address_is_reported(events: list[AuditEvent]) -> None:
    drop_append_only_triggers()
    execute(f"UPDATE {TABLE} SET ip_address = %s WHERE sequence = 3", ["10.0.0.9"])  # noqa: S608
    assert "event #3" in _verify_fails()


def test_rewritten_row_with_recomputed_hash_is_reported(events: list[AuditEvent]) -> None:
    # The attacker recomputes the changed row's hash; the next row still names the old one.
    drop_append_only_triggers()
    row = dict(AuditEvent.objects.values(*chain.HASHED_FIELDS).get(sequence=2))
    row["object_id"] = "forged"
    execute(
        f"UPDATE {TABLE} SET object_id = %s, row_hash = %s WHERE sequence = 2",  # noqa: S608
        ["forged", chain.row_hash(row)],
    )
    report = _verify_fails()
    assert "event #2" in report
    assert "was rewritten" in report


def test_deleted_row_is_detected(events: list[AuditEvent]) -> None:
    drop_append_only_triggers()
    execute(f"DELETE FROM {TABLE} WHERE sequence = 2")  # noqa: S608

    report = _verify_fails()

    assert "event #3" in report
    assert "event #2 before it is missing" in report


def test_deleted_last_row_is_detected(events: list[AuditEvent]) -> None:
    drop_append_only_triggers()
    execute(f"DELETE FROM {TABLE} WHERE sequence = 4")  # noqa: S608
    report = _verify_fails()
    assert "the last event is #4" in report
    assert "last row is #3" in report


def test_first_break_is_the_earliest(events: list[AuditEvent]) -> None:
    drop_append_only_triggers()
    execute(f"UPDATE {TABLE} SET user_agent = 'x' WHERE sequence IN (2, 4)")  # noqa: S608
    assert "event #2" in _verify_fails()


def test_chain_continues_after_the_head_is_lost(events: list[AuditEvent], caplog: Any) -> None:
    AuditChainHead.objects.all().delete()
    assert "the chain head is missing" in _verify_fails()
    event = audit_record(actor=None, verb="auth.signed_out")
    assert "head was missing; rebuilt from event #4" in caplog.text
    assert event.sequence == 5
    assert event.previous_hash == AuditEvent.objects.get(sequence=4).row_hash
    assert audit_chain_verify().intact


def test_failed_transaction_leaves_no_gap(db: Any) -> None:
    from django.db import transaction

    audit_record(actor=None, verb="auth.signed_out")

    def record_then_fail() -> None:
        with transaction.atomic():
            audit_record(actor=None, verb="auth.signed_out")
            raise RuntimeError("the service failed")

    with pytest.raises(RuntimeError, match="the service failed"):
        record_then_fail()
    assert audit_record(actor=None, verb="auth.signed_out").sequence == 2
    assert audit_chain_verify().intact
