"""Anonymous hits on staff pages: one audit row per IP address and page per window, with a count."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import override_settings
from django.urls import reverse

from saferplaces.audit.models import AuditEvent
from saferplaces.audit.selectors import audit_chain_verify

STAFF = "accounts:staff_home"


def refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb="access.sign_in_required").order_by("sequence"))


def test_repeated_anonymous_hits_write_one_row(client: Any, db: Any) -> None:
    for _ in range(50):
        assert client.get(reverse(STAFF)).status_code == 302
    assert len(refusals()) == 1


def test_ids_in_the_path_count_as_one_page(client: Any, partnership: Any, db: Any) -> None:
    from tests.saferplaces.factories import PartnershipFactory

    for target in [partnership, PartnershipFactory(), PartnershipFactory()]:
        url = reverse("accounts:partnership_detail", kwargs={"partnership_id": target.pk})
        client.get(url)
    assert len(refusals()) == 1


def test_each_address_and_page_gets_its_own_row(client: Any, db: Any) -> None:
    client.get(reverse(STAFF))
    client.get(reverse(STAFF), REMOTE_ADDR="192.0.2.7")
    client.get(reverse("audit:list"))
    assert sorted((e.ip_address, e.object_id) for e in refusals()) == [
        ("127.0.0.1", reverse(STAFF)),
        ("127.0.0.1", reverse("audit:list")),
        ("192.0.2.7", reverse(STAFF)),
    ]


def test_ipv6_addresses_in_one_64_count_as_one(client: Any, db: Any) -> None:
    for host in range(1, 30):
        client.get(reverse(STAFF), REMOTE_ADDR=f"2001:db8:1:2::{host:x}")
    client.get(reverse(STAFF), REMOTE_ADDR="2001:db8:1:3::1")
    rows = refusals()
    assert [e.ip_address for e in rows] == ["2001:db8:1:2::1", "2001:db8:1:3::1"]


def test_next_row_after_the_window_counts_the_hits_not_written(client: Any, db: Any) -> None:
    for _ in range(7):
        client.get(reverse(STAFF))
    with override_settings(SAFERPLACES_AUDIT_REFUSAL_WINDOW=timedelta(0)):
        client.get(reverse(STAFF))
    first, second = refusals()
    assert "not_written_since_last_event" not in first.summary
    assert second.summary["not_written_since_last_event"] == 6
    assert audit_chain_verify().intact


def test_signed_in_refusals_are_all_written(client: Any, sign_in_as: Any) -> None:
    sign_in_as(client, "viewer")
    for _ in range(3):
        assert client.get(reverse("accounts:partnership_add")).status_code == 403
    assert AuditEvent.objects.filter(verb="access.forbidden").count() == 3
