"""A user sees where they are signed in and can end other sessions (issue 12, recovery)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferplaces.accounts.models import UserSession
from saferplaces.audit.models import AuditEvent
from tests.conftest import mark_second_factor_verified
from tests.saferplaces.accounts.test_sign_in import current_code
from tests.saferplaces.factories import TEST_PASSWORD, UserFactory

HOME = "accounts:staff_home"


def _browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    mark_second_factor_verified(client, user)
    return client


def test_sessions_page_lists_device_address_and_this_browser(db: Any) -> None:
    user = UserFactory()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    laptop = Client(REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT="Firefox on Windows")
    laptop.post(reverse("accounts:sign_in"), {"email": user.email, "password": TEST_PASSWORD})
    laptop.post(reverse("accounts:verify_two_factor"), {"token": current_code(device)})
    phone = _browser(user)

    html = phone.get(reverse("accounts:sessions")).content.decode()

    assert "Firefox on Windows" in html
    assert "198.51.100.23" in html
    assert "This browser" in html
    assert html.count("End this session") == 1  # not offered for this browser
    assert UserSession.objects.filter(user=user).count() == 2


def test_ending_another_session_signs_that_browser_out(db: Any) -> None:
    user = UserFactory()
    here, there = _browser(user), _browser(user)
    other = UserSession.objects.get(session_key=there.session.session_key)

    response = here.post(reverse("accounts:session_end", kwargs={"session_id": other.pk}))

    assert response["Location"] == reverse("accounts:sessions")
    assert there.get(reverse(HOME))["Location"].startswith(reverse("accounts:sign_in"))
    assert here.get(reverse(HOME)).status_code == 200
    assert not UserSession.objects.filter(pk=other.pk).exists()
    assert AuditEvent.objects.filter(verb="auth.session_ended", actor=user).exists()


def test_sign_out_everywhere_else(db: Any) -> None:
    user = UserFactory()
    here, *others = [_browser(user) for _ in range(3)]

    here.post(reverse("accounts:sessions_end_others"))

    assert here.get(reverse(HOME)).status_code == 200
    for other in others:
        assert other.get(reverse(HOME)).status_code == 302
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        here.session.session_key
    ]
    assert AuditEvent.objects.get(verb="auth.session_ended").summary["count"] == 2


def test_nobody_can_end_someone_elses_session(db: Any) -> None:
    owner, stranger = UserFactory(), UserFactory()
    owners_browser = _browser(owner)
    record = UserSession.objects.get(session_key=owners_browser.session.session_key)

    response = _browser(stranger).post(
        reverse("accounts:session_end", kwargs={"session_id": record.pk})
    )

    assert response.status_code == 404
    assert owners_browser.get(reverse(HOME)).status_code == 200
    assert AuditEvent.objects.filter(verb="access.hidden_object").exists()


def test_signing_out_forgets_the_session(db: Any) -> None:
    user = UserFactory()
    browser = _browser(user)
    browser.post(reverse("accounts:sign_out"))
    assert not UserSession.objects.filter(user=user).exists()
