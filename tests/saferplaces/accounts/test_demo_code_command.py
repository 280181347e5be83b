"""``saferplaces_demo_code``: the demo can be tried without a phone, never in production."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.saferplaces.factories import UserFactory


def test_prints_a_code_the_demo_device_accepts(db: Any) -> None:
    user = UserFactory(email="analyst@demo.saferplaces.test")
    device = TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
    out = StringIO()
    call_command("saferplaces_demo_code", stdout=out)
    code = out.getvalue().split()[0]
    assert len(code) == 6
    assert code.isdigit()
    assert device.verify_token(code)


def test_refuses_without_demo_users_and_in_production(db: Any, settings: Any) -> None:
    # A real account's device is never read, even when it has the demo device's name.
    other = UserFactory(email="someone@council.example")
    TOTPDevice.objects.create(user=other, name="Demo authenticator", confirmed=True)
    with pytest.raises(CommandError, match="No demo users yet"):
        call_command("saferplaces_demo_code", stdout=StringIO())
    settings.SAFERPLACES_ENV = "production"
    with pytest.raises(CommandError, match="development only"):
        call_command("saferplaces_demo_code", stdout=StringIO())
