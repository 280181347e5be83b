"""Two writers at once still give one unbroken chain (the head row serialises them)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from saferplaces.audit.models import AuditEvent
from saferplaces.audit.selectors import audit_chain_verify
from saferplaces.audit.services import audit_record

WRITERS, EACH = 4, 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain() -> None:
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.skip("the in-memory SQLite test database is one connection; PostgreSQL CI runs this")
    audit_record(actor=None, verb="auth.signed_out")  # creates the head
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def write() -> None:
        try:
            start.wait()
            for _ in range(EACH):
                audit_record(actor=None, verb="auth.signed_out")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    sequences = sorted(AuditEvent.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, WRITERS * EACH + 2))
    assert audit_chain_verify().intact
