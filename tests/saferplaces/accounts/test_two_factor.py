"""Two-factor for every account: hashed backup codes, and the password again before changes."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferplaces.accounts import services
from saferplaces.accounts.models import BackupCode, BackupCodeDevice
from saferplaces.audit.models import AuditEvent
from tests.saferplaces.accounts.test_sign_in import current_code, sign_in
from tests.saferplaces.factories import TEST_PASSWORD, UserFactory


def test_backup_codes_are_stored_hashed_and_verify(db: Any) -> None:
    user = UserFactory()
    codes = services.backup_codes_generate(user=user)
    stored = list(BackupCode.objects.filter(device__user=user).values_list("code_hash", flat=True))

    assert len(codes) == len(set(codes)) == 10
    for code in codes:
        assert all(code.replace("-", "") not in value for value in stored)
    device = BackupCodeDevice.objects.get(user=user)
    assert device.verify_token(codes[3].upper().replace("-", " "))
    assert not device.verify_token(codes[3])  # single use
    assert BackupCode.objects.filter(device=device).count() == 9
    assert AuditEvent.objects.filter(verb="auth.backup_codes_generated", actor=user).exists()


def test_new_backup_codes_replace_the_old_ones(db: Any) -> None:
    user = UserFactory()
    old = services.backup_codes_generate(user=user)
    new = services.backup_codes_generate(user=user)
    device = BackupCodeDevice.objects.get(user=user)
    assert not device.verify_token(old[0])
    assert device.verify_token(new[0])


def test_plain_text_static_tokens_are_moved_to_hashes_by_the_migration(db: Any) -> None:
    user = UserFactory()
    static = StaticDevice.objects.create(user=user, name="old codes", confirmed=True)
    StaticToken.objects.create(device=static, token="abcd1234")
    migration = importlib.import_module("saferplaces.accounts.migrations.0002_security_hardening")

    migration.hash_static_tokens(apps, None)

    assert not StaticToken.objects.exists()
    assert not StaticDevice.objects.exists()
    device = BackupCodeDevice.objects.get(user=user)
    assert "abcd1234" not in device.codes.get().code_hash
    assert device.verify_token("abcd1234")


def test_the_admin_hides_keys_and_codes(client: Any, sign_in_as: Any) -> None:
    assert settings.OTP_ADMIN_HIDE_SENSITIVE_DATA is True
    sign_in_as(client, "system_admin")
    member = UserFactory()
    totp_device = TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    services.backup_codes_generate(user=member)
    backup = BackupCodeDevice.objects.get(user=member)

    totp_page = client.get(
        reverse("admin:otp_totp_totpdevice_change", args=[totp_device.pk])
    ).content.decode()
    codes_page = client.get(
        reverse("admin:accounts_backupcodedevice_change", args=[backup.pk])
    ).content.decode()
    listing = client.get(reverse("admin:accounts_backupcodedevice_changelist")).content.decode()

    assert totp_device.key not in totp_page
    for code_hash in backup.codes.values_list("code_hash", flat=True):
        assert code_hash not in codes_page
    assert ">10<" in listing  # unused codes, counted, never shown


def _verified_member(client: Any) -> tuple[Any, TOTPDevice]:
    user = UserFactory()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    sign_in(client, user.email)
    client.post(reverse("accounts:verify_two_factor"), {"token": current_code(device)})
    return user, device


def test_new_backup_codes_need_the_password(client: Any, db: Any) -> None:
    user, _ = _verified_member(client)
    old = services.backup_codes_generate(user=user)
    url = reverse("accounts:backup_codes_regenerate")

    wrong = client.post(url, {"password": "not my password"})
    assert "The password is not correct" in wrong.content.decode()
    assert "govuk-error-summary" in wrong.content.decode()
    assert BackupCodeDevice.objects.get(user=user).verify_token(old[0])  # unchanged

    ok = client.post(url, {"password": TEST_PASSWORD})
    assert ok.status_code == 200
    assert "Your backup codes" in ok.content.decode()
    assert not BackupCodeDevice.objects.get(user=user).verify_token(old[1])


def test_changing_the_authenticator_needs_the_password(client: Any, db: Any) -> None:
    user, device = _verified_member(client)
    services.backup_codes_generate(user=user)
    url = reverse("accounts:two_factor_change")

    client.post(url, {"password": "not my password"})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AuditEvent.objects.filter(verb="auth.sign_in_failed", object_id=str(user.pk)).exists()

    response = client.post(url, {"password": TEST_PASSWORD})
    assert response["Location"] == reverse("accounts:set_up_two_factor")
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AuditEvent.objects.filter(verb="auth.two_factor_removed", actor=user).exists()
    # Nothing else opens until the new app is set up.
    refused = client.get(reverse("accounts:staff_home"))
    assert refused["Location"].startswith(reverse("accounts:set_up_two_factor"))
    assert client.get(reverse("accounts:set_up_two_factor")).status_code == 200
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("accounts:set_up_two_factor"), {"token": current_code(new)})
    assert client.get(reverse("accounts:staff_home")).status_code == 200


def test_guessing_the_password_on_the_re_entry_page_locks_out(client: Any, db: Any) -> None:
    _verified_member(client)
    url = reverse("accounts:backup_codes_regenerate")
    codes = [client.post(url, {"password": f"guess {n}"}).status_code for n in range(5)]
    assert codes[-1] == 429
    assert client.post(url, {"password": TEST_PASSWORD}).status_code == 429
