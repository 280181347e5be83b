"""Signing in: password, two-factor, lockout, session timeouts, sign-out."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferplaces.accounts import services
from saferplaces.accounts.middleware import SESSION_LAST_SEEN_KEY, SESSION_STARTED_KEY
from saferplaces.accounts.models import BackupCode, Role
from saferplaces.audit.models import AuditEvent
from tests.saferplaces.factories import TEST_PASSWORD, MembershipFactory, UserFactory

SIGN_IN = "accounts:sign_in"


def sign_in(client: Any, email: str, password: str = TEST_PASSWORD, **extra: Any) -> Any:
    return client.post(reverse(SIGN_IN), {"email": email, "password": password, **extra})


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_sign_in_with_password_then_code_goes_to_staff_home(client: Any, db: Any) -> None:
    user = UserFactory()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = sign_in(client, user.email.upper())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify_two_factor")
    response = client.post(reverse("accounts:verify_two_factor"), {"token": current_code(device)})
    assert response["Location"] == reverse("accounts:staff_home")
    assert client.get(reverse("accounts:staff_home")).status_code == 200


def test_sign_in_follows_a_safe_next_only(client: Any, db: Any, settings: Any) -> None:
    settings.SAFERPLACES_REQUIRE_2FA_FOR_ALL = False  # about "next" only; two-factor below
    user = UserFactory()
    response = sign_in(client, user.email, next="https://evil.example/")
    assert response["Location"] == reverse("accounts:staff_home")
    client.logout()
    response = sign_in(client, user.email, next=reverse("accounts:account"))
    assert response["Location"] == reverse("accounts:account")


def test_wrong_password_shows_the_error_summary(client: Any, db: Any) -> None:
    user = UserFactory()
    response = sign_in(client, user.email, "wrong password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter a correct e-mail address and password" in html
    assert "<title>Error: Sign in" in html


def test_empty_form_shows_inline_errors_linked_from_the_summary(client: Any, db: Any) -> None:
    html = client.post(reverse(SIGN_IN), {}).content.decode()
    assert 'href="#id_email"' in html
    assert 'id="id_email-error"' in html
    assert "Enter your e-mail address" in html


def test_lockout_after_five_failures(client: Any, db: Any) -> None:
    user = UserFactory()
    for _ in range(5):
        sign_in(client, user.email, "wrong password")

    response = sign_in(client, user.email)  # even the right password is refused now

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert not client.session.get("_auth_user_id")
    assert AuditEvent.objects.filter(verb="auth.locked_out").exists()
    assert AuditEvent.objects.filter(verb="auth.sign_in_failed").count() >= 5


def test_lockout_is_per_account_and_address(client: Any, db: Any) -> None:
    locked, other = UserFactory(), UserFactory()
    for _ in range(5):
        sign_in(client, locked.email, "wrong password")
    assert sign_in(client, other.email).status_code == 302


def test_user_with_a_device_must_enter_a_code(client: Any, db: Any) -> None:
    user = UserFactory()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    response = sign_in(client, user.email)
    assert response["Location"].startswith(reverse("accounts:verify_two_factor"))
    # Nothing else until the code is given.
    blocked = client.get(reverse("accounts:staff_home"))
    assert blocked["Location"].startswith(reverse("accounts:verify_two_factor"))

    wrong = client.post(reverse("accounts:verify_two_factor"), {"token": "000000"})
    assert "govuk-error-summary" in wrong.content.decode()
    assert AuditEvent.objects.filter(verb="auth.second_factor_failed").exists()

    ok = client.post(reverse("accounts:verify_two_factor"), {"token": current_code(device)})
    assert ok.status_code == 302
    assert client.get(reverse("accounts:staff_home")).status_code == 200
    assert AuditEvent.objects.filter(verb="auth.second_factor_verified").exists()


def test_backup_code_works_once(client: Any, db: Any) -> None:
    user = UserFactory()
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    code = services.backup_codes_generate(user=user)[0]
    sign_in(client, user.email)
    client.post(reverse("accounts:verify_two_factor"), {"token": code.upper()})
    assert client.get(reverse("accounts:staff_home")).status_code == 200

    client.post(reverse("accounts:sign_out"))
    sign_in(client, user.email)
    again = client.post(reverse("accounts:verify_two_factor"), {"token": code})
    assert "govuk-error-summary" in again.content.decode()
    assert client.get(reverse("accounts:staff_home")).status_code == 302


def test_administrator_without_a_device_must_set_one_up_first(client: Any, db: Any) -> None:
    admin = UserFactory(is_system_admin=True)
    response = sign_in(client, admin.email)
    assert response["Location"].startswith(reverse("accounts:set_up_two_factor"))
    for name in ("accounts:staff_home", "audit:list", "admin:index"):
        refused = client.get(reverse(name))
        assert refused.status_code == 302
        assert refused["Location"].startswith(reverse("accounts:set_up_two_factor"))

    page = client.get(reverse("accounts:set_up_two_factor"))
    html = page.content.decode()
    assert "<svg" in html
    assert "must set up two-factor" in html
    device = TOTPDevice.objects.get(user=admin, confirmed=False)

    bad = client.post(reverse("accounts:set_up_two_factor"), {"token": "123456"})
    assert "govuk-error-summary" in bad.content.decode()
    client.post(reverse("accounts:set_up_two_factor"), {"token": current_code(device)})

    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("accounts:staff_home")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200
    assert AuditEvent.objects.filter(verb="auth.two_factor_added", actor=admin).exists()


def test_every_member_must_set_up_two_factor_first(client: Any, db: Any) -> None:
    member = MembershipFactory(role=Role.VIEWER).user
    response = sign_in(client, member.email)
    assert response["Location"].startswith(reverse("accounts:set_up_two_factor"))
    refused = client.get(reverse("accounts:staff_home"))
    assert refused["Location"].startswith(reverse("accounts:set_up_two_factor"))

    page = client.get(reverse("accounts:set_up_two_factor")).content.decode()
    assert "you must set it up before you can continue" in page
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    done = client.post(reverse("accounts:set_up_two_factor"), {"token": current_code(device)})

    # The first set-up shows ten backup codes, once; only their hashes are stored.
    html = done.content.decode()
    assert done.status_code == 200
    assert "Your backup codes" in html
    assert "no-store" in done["Cache-Control"]
    hashes = list(
        BackupCode.objects.filter(device__user=member).values_list("code_hash", flat=True)
    )
    assert len(hashes) == 10
    shown = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", html)
    assert len(shown) == 10
    assert not any(code.replace("-", "") in h or code in h for code in shown for h in hashes)
    assert client.get(reverse("accounts:staff_home")).status_code == 200


def test_staff_may_skip_two_factor_only_when_the_demo_relaxes_it(
    client: Any, db: Any, settings: Any
) -> None:
    settings.SAFERPLACES_REQUIRE_2FA_FOR_ALL = False
    user = UserFactory()
    sign_in(client, user.email)
    assert client.get(reverse("accounts:staff_home")).status_code == 200
    admin = UserFactory(is_system_admin=True)
    client.post(reverse("accounts:sign_out"))
    response = sign_in(client, admin.email)
    assert response["Location"].startswith(reverse("accounts:set_up_two_factor"))


def test_sign_out_needs_post(client: Any, sign_in_as: Any) -> None:
    sign_in_as(client, "viewer")
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    response = client.post(reverse("accounts:sign_out"))
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("accounts:staff_home")).status_code == 302


def _age_session(client: Any, *, started: float, last_seen: float) -> None:
    session = client.session
    session[SESSION_STARTED_KEY] = started
    session[SESSION_LAST_SEEN_KEY] = last_seen
    session.save()


def test_idle_session_times_out_after_30_minutes(client: Any, sign_in_as: Any) -> None:
    sign_in_as(client, "viewer")
    now = time.time()
    _age_session(client, started=now - 60 * 60, last_seen=now - 29 * 60)
    assert client.get(reverse("accounts:staff_home")).status_code == 200

    _age_session(client, started=now - 60 * 60, last_seen=now - 31 * 60)
    response = client.get(reverse("accounts:staff_home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(SIGN_IN))
    assert client.get(reverse("accounts:staff_home")).status_code == 302
    event = AuditEvent.objects.get(verb="auth.session_expired")
    assert event.summary == {"reason": "idle"}


def test_session_ends_after_10_hours_even_when_active(client: Any, sign_in_as: Any) -> None:
    sign_in_as(client, "viewer")
    now = time.time()
    _age_session(client, started=now - 10 * 60 * 60 - 1, last_seen=now - 60)

    response = client.get(reverse("accounts:staff_home"))

    assert response.status_code == 302
    assert AuditEvent.objects.get(verb="auth.session_expired").summary == {"reason": "absolute"}


def test_activity_moves_the_idle_clock_on(client: Any, sign_in_as: Any) -> None:
    sign_in_as(client, "viewer")
    now = time.time()
    _age_session(client, started=now, last_seen=now - 20 * 60)
    client.get(reverse("accounts:staff_home"))
    assert client.session[SESSION_LAST_SEEN_KEY] >= now


@pytest.mark.parametrize("field", ["password", "email"])
def test_sign_in_page_never_echoes_the_password(client: Any, db: Any, field: str) -> None:
    html = sign_in(client, "someone@example.org", "my secret words").content.decode()
    assert "my secret words" not in html
