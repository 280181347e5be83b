"""From invitation e-mail to first sign-in; password change."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.urls import reverse

from saferplaces.accounts.models import User
from saferplaces.audit.models import AuditEvent
from tests.saferplaces.factories import TEST_PASSWORD, OrganisationFactory

NEW_PASSWORD = "a long and memorable passphrase"  # noqa: S105 - test-only


def test_manager_invites_and_the_new_user_sets_a_password(
    client: Any, sign_in_as: Any, partnership: Any, django_capture_on_commit_callbacks: Any
) -> None:
    organisation = OrganisationFactory(partnership=partnership)
    sign_in_as(client, "partnership_manager", partnership=partnership)
    url = reverse("accounts:member_invite", kwargs={"partnership_id": partnership.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"email": "new@example.org", "organisation": str(organisation.pk), "role": "analyst"},
        )

    assert response.status_code == 302
    link = re.search(r"http://testserver(/set-password/\S+)", mail.outbox[0].body).group(1)
    client.logout()

    page = client.get(link)
    assert page.status_code == 200
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:sign_in")
    assert User.objects.get(email="new@example.org").check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(verb="auth.password_set").exists()
    # The link works once.
    assert client.get(link).status_code == 400


def test_invite_form_errors_keep_answers_and_save_nothing(
    client: Any, sign_in_as: Any, partnership: Any
) -> None:
    sign_in_as(client, "partnership_manager", partnership=partnership)
    url = reverse("accounts:member_invite", kwargs={"partnership_id": partnership.pk})
    before = User.objects.count()

    response = client.post(url, {"email": "kept@example.org"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Select an organisation" in html
    assert "Select a role" in html
    assert 'value="kept@example.org"' in html
    assert User.objects.count() == before


def test_invalid_link_is_refused(client: Any, db: Any) -> None:
    response = client.get(reverse("accounts:set_password", kwargs={"uidb64": "xx", "token": "yy"}))
    assert response.status_code == 400


def test_password_change(client: Any, sign_in_as: Any) -> None:
    user = sign_in_as(client, "viewer")
    url = reverse("accounts:password_change")
    weak = client.post(
        url, {"old_password": TEST_PASSWORD, "new_password1": "short", "new_password2": "short"}
    )
    assert "govuk-error-summary" in weak.content.decode()

    response = client.post(
        url,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Still signed in after the change.
    assert client.get(reverse("accounts:staff_home")).status_code == 200
    assert AuditEvent.objects.filter(verb="auth.password_changed", actor=user).exists()
