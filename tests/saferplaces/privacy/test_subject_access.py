"""A resident's copy of their data and its erasure: no enumeration, a 1-hour signed link,
every source at once in one transaction, audited with a hashed address."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from django.core import mail, signing
from django.urls import reverse

from saferplaces.accounts.models import User
from saferplaces.audit.models import AuditEvent
from saferplaces.core import privacy
from saferplaces.privacy import services
from tests.saferplaces.factories import UserFactory
from tests.saferplaces.privacy.conftest import KEPT_REASON

REQUEST = reverse("privacy:request")
EMAIL = "resident@example.org"


def _ask(client: Any, email: str, **extra: Any) -> Any:
    return client.post(REQUEST, {"email": email, "website": "", "submission_key": "", **extra})


def _link(message: Any) -> str:
    found = re.search(r"http://testserver(/your-data/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def resident(fake_registries: Any) -> Any:
    return UserFactory(email=EMAIL)


def test_the_page_says_the_same_whether_or_not_we_hold_anything(client: Any, resident: Any) -> None:
    known = _ask(client, EMAIL.upper())
    unknown = _ask(client, "stranger@example.org")
    assert known["Location"] == unknown["Location"] == reverse("privacy:request_sent")
    page = client.get(reverse("privacy:request_sent")).content.decode()
    assert "If we hold anything for it, the e-mail has a link" in page
    # Both addresses get an e-mail (so the time taken tells nothing); only the known one a link.
    assert [m.to for m in mail.outbox] == [[EMAIL], ["stranger@example.org"]]
    assert "/your-data/" in mail.outbox[0].body
    assert "/your-data/" not in mail.outbox[1].body
    assert "We hold nothing about this e-mail address" in mail.outbox[1].body


def test_a_bad_address_shows_an_error_and_the_honeypot_sends_nothing(
    client: Any, resident: Any
) -> None:
    assert "Enter an e-mail address in the correct format" in _ask(client, "x").content.decode()
    assert _ask(client, EMAIL, website="spam")["Location"] == reverse("privacy:request_sent")
    assert not mail.outbox


def test_asking_is_rate_limited(client: Any, resident: Any, settings: Any) -> None:
    settings.SAFERPLACES_PUBLIC_FORM_RATE = "2/m"
    assert [_ask(client, EMAIL).status_code for _ in range(3)] == [302, 302, 429]


def test_the_link_shows_every_source_and_downloads_json(client: Any, resident: Any) -> None:
    _ask(client, EMAIL)
    link = _link(mail.outbox[0])
    html = client.get(link).content.decode()
    assert "Newsletter" in html
    assert "Case reviews" in html
    assert "C-2026-00042" in html
    assert KEPT_REASON in html
    download = client.get(link + "download/")
    assert download["Content-Disposition"] == 'attachment; filename="your-data.json"'
    data = json.loads(download.content)
    assert data["sources"]["newsletter"]["data"] == [{"email": EMAIL}]
    events = AuditEvent.objects.filter(verb="privacy.subject_access")
    assert [e.summary["download"] for e in events.order_by("sequence")] == [False, True]
    for event in events:
        assert EMAIL not in json.dumps(event.summary) + event.object_id
        assert event.summary["email_hash"] == services.email_hash(EMAIL)


def test_a_link_older_than_an_hour_or_changed_does_not_work(
    client: Any, resident: Any, monkeypatch: Any
) -> None:
    two_hours_ago = signing.b62_encode(int(time.time()) - 2 * 3600)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: two_hours_ago)
    old = services.access_link(EMAIL).removeprefix("http://testserver")
    monkeypatch.undo()
    for link in (old, old.replace("/your-data/", "/your-data/x")):
        response = client.get(link)
        assert response.status_code == 400
        assert "Ask for a new link" in response.content.decode()
        assert client.post(link + "delete/").status_code == 400
    assert User.objects.filter(email=EMAIL).exists()


def test_delete_asks_first_then_erases_every_source_and_says_what_is_kept(
    client: Any, resident: Any
) -> None:
    link = services.access_link(EMAIL).removeprefix("http://testserver")
    confirm = client.get(link + "delete/").content.decode()
    assert "Are you sure you want to delete your data?" in confirm
    assert KEPT_REASON in confirm
    assert User.objects.filter(email=EMAIL).exists()  # asking changes nothing

    done = client.post(link + "delete/").content.decode()

    assert not User.objects.filter(email=EMAIL).exists()
    assert "What we have kept, and why" in done
    assert KEPT_REASON in done
    event = AuditEvent.objects.get(verb="privacy.subject_erased")
    assert event.summary == {
        "email_hash": services.email_hash(EMAIL),
        "changed": {"newsletter": 1, "casework": 0},
    }
    assert EMAIL not in json.dumps(event.summary) + event.object_id


def test_a_failing_source_leaves_everything_as_it_was(
    resident: Any, fake_registries: Any, monkeypatch: Any
) -> None:
    def broken(email: str) -> int:
        raise RuntimeError("source unavailable")

    sources = dict(fake_registries["sources"])
    sources["zz-broken"] = privacy.SubjectData("zz-broken", "Broken", lambda e: [], broken)
    monkeypatch.setattr(privacy, "_subject_data", sources)
    with pytest.raises(RuntimeError):
        services.subject_erase(email=EMAIL)
    assert User.objects.filter(email=EMAIL).exists()
    assert not AuditEvent.objects.filter(verb="privacy.subject_erased").exists()


def test_real_alerts_subscription_is_found_and_erased(client: Any, db: Any) -> None:
    import uuid

    from saferplaces.alerts import services as alerts
    from saferplaces.alerts.models import Subscription
    from tests.saferplaces.factories import PartnershipFactory

    alerts.subscription_request(
        partnership=PartnershipFactory(), email=EMAIL, areas=["all"], topics=["crime"],
        key=uuid.uuid4(),
    )  # fmt: skip
    mail.outbox.clear()
    _ask(client, EMAIL)
    link = _link(mail.outbox[0])
    assert "E-mail alerts" in client.get(link).content.decode()
    client.post(link + "delete/")
    assert not Subscription.objects.exists()
