"""Lockout counts an e-mail address however it is typed, and limits one IP address too."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from saferplaces.audit.models import AuditEvent
from tests.saferplaces.factories import TEST_PASSWORD, UserFactory


def sign_in(client: Any, email: str, password: str, ip: str = "203.0.113.7") -> Any:
    return client.post(
        reverse("accounts:sign_in"), {"email": email, "password": password}, REMOTE_ADDR=ip
    )


def variants(email: str) -> list[str]:
    local, domain = email.split("@")
    return [
        email.upper(),
        email.title(),
        f" {email} ",
        f"{local.capitalize()}@{domain.upper()}",
        email.swapcase(),
    ]


def test_failures_spread_over_case_variants_lock_the_account(client: Any, db: Any) -> None:
    user = UserFactory(email="jo.bloggs@blaby.example.org")
    for typed in variants(user.email):
        sign_in(client, typed, "wrong password")

    response = sign_in(client, user.email, TEST_PASSWORD)

    assert response.status_code == 429
    assert not client.session.get("_auth_user_id")
    assert AuditEvent.objects.filter(verb="auth.locked_out").exists()


def test_one_address_trying_many_accounts_is_locked_out(client: Any, db: Any, settings) -> None:
    settings.SAFERPLACES_AXES_IP_FAILURE_LIMIT = 8
    victims = [UserFactory() for _ in range(4)]
    # Two failures each: no account reaches 5, but the address reaches 8 (the 8th locks).
    codes = [
        sign_in(client, victim.email, "wrong password").status_code
        for victim in victims
        for _ in range(2)
    ]
    assert codes == [200] * 7 + [429]

    bystander = UserFactory()
    assert sign_in(client, bystander.email, TEST_PASSWORD).status_code == 429
    # Another address is not affected.
    assert sign_in(client, bystander.email, TEST_PASSWORD, ip="198.51.100.9").status_code == 302


def test_below_the_address_limit_other_accounts_still_sign_in(client: Any, db: Any) -> None:
    for victim in [UserFactory() for _ in range(3)]:
        for _ in range(4):
            sign_in(client, victim.email, "wrong password")
    # 12 failures from this address: under 30, and no account reached 5.
    assert sign_in(client, UserFactory().email, TEST_PASSWORD).status_code == 302


def test_own_sign_in_does_not_clear_the_address_count(client: Any, db: Any, settings) -> None:
    settings.SAFERPLACES_AXES_IP_FAILURE_LIMIT = 6
    attacker = UserFactory()
    victims = [UserFactory() for _ in range(3)]
    for victim in victims[:2]:
        for _ in range(2):
            sign_in(client, victim.email, "wrong password")
    assert sign_in(client, attacker.email, TEST_PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        sign_in(client, victims[2].email, "wrong password")
    assert sign_in(client, attacker.email, TEST_PASSWORD).status_code == 429


@pytest.mark.parametrize("typed", ["  Jo.Bloggs@Blaby.Example.ORG ", "JO.BLOGGS@BLABY.EXAMPLE.ORG"])
def test_axes_sees_the_normalised_address(typed: str) -> None:
    from saferplaces.accounts.lockout import normalised_username

    assert normalised_username(None, {"username": typed}) == "jo.bloggs@blaby.example.org"


def test_unlocking_from_the_command_line_is_audited(client: Any, db: Any) -> None:
    from django.core.management import call_command

    user = UserFactory(email="locked@blaby.example.org")
    for typed in variants(user.email):
        sign_in(client, typed, "wrong password")
    assert sign_in(client, user.email, TEST_PASSWORD).status_code == 429

    call_command("axes_reset_username", user.email)

    event = AuditEvent.objects.filter(verb="auth.lockout_cleared").get()
    assert event.summary["via"] == "command line (axes_reset)"
    assert event.summary["username"] == user.email
    assert event.summary["failures_forgotten"] >= 1
    assert sign_in(client, user.email, TEST_PASSWORD).status_code == 302
