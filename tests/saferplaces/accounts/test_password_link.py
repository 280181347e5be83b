"""A manager sends a member a single-use link to set a new password (issue 12, recovery)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse

from saferplaces.accounts.models import Role, User
from saferplaces.audit.models import AuditEvent
from tests.conftest import mark_second_factor_verified
from tests.saferplaces.factories import MembershipFactory, OrganisationFactory

NEW_PASSWORD = "another long memorable passphrase"  # noqa: S105 - test-only


@pytest.fixture
def member(partnership: Any) -> Any:
    return MembershipFactory(
        organisation=OrganisationFactory(partnership=partnership), role=Role.ANALYST
    )


def _send(client: Any, partnership: Any, member: Any, capture: Any) -> Any:
    url = reverse(
        "accounts:member_password_link",
        kwargs={"partnership_id": partnership.pk, "membership_id": member.pk},
    )
    with capture(execute=True):
        return client.post(url)


def _link() -> str:
    return re.search(r"http://testserver(/set-password/\S+)", mail.outbox[-1].body).group(1)


def test_manager_sends_a_single_use_link_that_is_audited(
    client: Any,
    sign_in_as: Any,
    partnership: Any,
    member: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    manager = sign_in_as(client, "partnership_manager", partnership=partnership)
    # The member is signed in elsewhere; setting a new password signs that browser out.
    elsewhere = Client()
    elsewhere.force_login(member.user)
    mark_second_factor_verified(elsewhere, member.user)

    response = _send(client, partnership, member, django_capture_on_commit_callbacks)

    assert response["Location"] == reverse(
        "accounts:partnership_detail", kwargs={"partnership_id": partnership.pk}
    )
    assert [m.to for m in mail.outbox] == [[member.user.email]]
    event = AuditEvent.objects.get(verb="auth.password_link_sent")
    assert (event.actor, event.partnership, event.object_id) == (
        manager,
        partnership,
        str(member.user.pk),
    )
    link = _link()
    assert link not in str(event.summary)

    anonymous = Client()
    done = anonymous.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:sign_in")
    assert User.objects.get(pk=member.user.pk).check_password(NEW_PASSWORD)
    assert anonymous.get(link).status_code == 400  # single use
    assert elsewhere.get(reverse("accounts:staff_home")).status_code == 302


def test_the_link_expires(
    client: Any,
    sign_in_as: Any,
    partnership: Any,
    member: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: Any,
    settings: Any,
) -> None:
    sign_in_as(client, "partnership_manager", partnership=partnership)
    _send(client, partnership, member, django_capture_on_commit_callbacks)
    link = _link()
    later = default_token_generator._now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)

    assert Client().get(link).status_code == 400


@pytest.mark.parametrize("role", ["viewer", "analyst", "outsider"])
def test_only_a_manager_of_the_partnership_may_send_one(
    client: Any,
    sign_in_as: Any,
    partnership: Any,
    member: Any,
    django_capture_on_commit_callbacks: Any,
    role: str,
) -> None:
    sign_in_as(client, role, partnership=partnership)
    response = _send(client, partnership, member, django_capture_on_commit_callbacks)
    assert response.status_code in (403, 404)
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(verb="auth.password_link_sent").exists()
