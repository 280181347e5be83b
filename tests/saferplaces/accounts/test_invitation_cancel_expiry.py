"""Membership invitations: a manager can cancel one; they expire after a set number of days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saferplaces.accounts import services
from saferplaces.accounts.models import Membership, MembershipInvitation, Role
from saferplaces.audit.models import AuditEvent
from saferplaces.core.exceptions import ApplicationError
from tests.conftest import mark_second_factor_verified
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
)


@pytest.fixture
def invited(db: Any) -> Any:
    """Someone with an account in another partnership."""
    return MembershipFactory(
        organisation=OrganisationFactory(partnership=PartnershipFactory())
    ).user


@pytest.fixture
def organisation(partnership: Any) -> Any:
    return OrganisationFactory(partnership=partnership)


@pytest.fixture
def invitation(organisation: Any, invited: Any) -> MembershipInvitation:
    return MembershipInvitation.objects.create(
        user=invited, organisation=organisation, role=Role.ANALYST
    )


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    mark_second_factor_verified(client, user)
    return client


def _sent_days_ago(invitation: MembershipInvitation, days: float) -> None:
    sent = timezone.now() - timedelta(days=days)
    MembershipInvitation.objects.filter(pk=invitation.pk).update(created_at=sent)
    invitation.refresh_from_db()


def _cancel_url(invitation: MembershipInvitation) -> str:
    return reverse(
        "accounts:invitation_cancel",
        kwargs={
            "partnership_id": invitation.organisation.partnership.pk,
            "invitation_id": invitation.pk,
        },
    )


def _respond_url(invitation: MembershipInvitation) -> str:
    return reverse("accounts:invitation_respond", kwargs={"invitation_id": invitation.pk})


# -- cancelling -------------------------------------------------------------------------------


def test_a_manager_cancels_a_pending_invitation(
    client: Any, sign_in_as: Any, partnership: Any, invitation: Any, invited: Any
) -> None:
    manager = sign_in_as(client, "partnership_manager", partnership=partnership)
    detail = client.get(reverse("accounts:partnership_detail", args=[partnership.pk]))
    assert _cancel_url(invitation) in detail.content.decode()

    page = client.get(_cancel_url(invitation))
    assert page.status_code == 200
    assert f"Cancel the invitation to {invited.email}?" in page.content.decode()

    response = client.post(_cancel_url(invitation), follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "accounts:partnership_detail", args=[partnership.pk]
    )
    assert f"The invitation to {invited.email} was cancelled." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == MembershipInvitation.Status.CANCELLED
    event = AuditEvent.objects.get(verb="invitation.cancelled")
    assert (event.actor, event.partnership) == (manager, partnership)
    assert event.summary["user_id"] == str(invited.pk)
    # The invited person can no longer open or accept it.
    person = _signed_in(invited)
    assert (
        _respond_url(invitation) not in person.get(reverse("accounts:staff_home")).content.decode()
    )
    cancelled = person.post(_respond_url(invitation), {"decision": "accept"})
    assert cancelled.status_code == 410
    assert "This invitation was cancelled" in cancelled.content.decode()
    assert not Membership.objects.filter(
        user=invited, organisation=invitation.organisation
    ).exists()


def test_only_a_manager_of_that_partnership_may_cancel(
    client: Any, sign_in_as: Any, partnership: Any, invitation: Any
) -> None:
    sign_in_as(client, "analyst", partnership=partnership)
    assert client.post(_cancel_url(invitation)).status_code == 403

    other = PartnershipFactory()
    outsider = MembershipFactory(
        organisation=OrganisationFactory(partnership=other), role=Role.PARTNERSHIP_MANAGER
    ).user
    with pytest.raises(PermissionDenied):
        services.invitation_cancel(by=outsider, invitation=invitation)
    # Through the outsider's own partnership URL the invitation is not found.
    outsider_client = _signed_in(outsider)
    url = reverse(
        "accounts:invitation_cancel",
        kwargs={"partnership_id": other.pk, "invitation_id": invitation.pk},
    )
    assert outsider_client.post(url).status_code == 404

    invitation.refresh_from_db()
    assert invitation.status == MembershipInvitation.Status.PENDING
    assert not AuditEvent.objects.filter(verb="invitation.cancelled").exists()


def test_an_answered_invitation_cannot_be_cancelled(invitation: Any, invited: Any) -> None:
    manager = MembershipFactory(
        organisation=invitation.organisation, role=Role.PARTNERSHIP_MANAGER
    ).user
    services.invitation_decline(user=invited, invitation=invitation)
    with pytest.raises(ApplicationError, match="still waiting"):
        services.invitation_cancel(by=manager, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == MembershipInvitation.Status.DECLINED


# -- expiry -----------------------------------------------------------------------------------


def test_an_expired_invitation_cannot_be_accepted_and_says_so(
    invitation: Any, invited: Any, settings: Any
) -> None:
    assert settings.SAFERPLACES_INVITATION_DAYS == 14  # the default
    _sent_days_ago(invitation, 14.01)
    client = _signed_in(invited)

    assert (
        _respond_url(invitation) not in client.get(reverse("accounts:staff_home")).content.decode()
    )
    page = client.get(_respond_url(invitation))
    assert page.status_code == 410
    text = page.content.decode()
    assert "This invitation has expired" in text
    assert "Invitations last 14 days" in text
    assert "invite you again" in text

    response = client.post(_respond_url(invitation), {"decision": "accept"})

    assert response.status_code == 410
    assert not Membership.objects.filter(
        user=invited, organisation=invitation.organisation
    ).exists()
    for answer in (services.invitation_accept, services.invitation_decline):
        with pytest.raises(ApplicationError, match="This invitation has expired"):
            answer(user=invited, invitation=invitation)
    assert not AuditEvent.objects.filter(verb__startswith="invitation.").exists()


def test_the_number_of_days_is_a_setting(invitation: Any, invited: Any, settings: Any) -> None:
    settings.SAFERPLACES_INVITATION_DAYS = 3
    client = _signed_in(invited)

    _sent_days_ago(invitation, 2.9)
    assert client.get(_respond_url(invitation)).status_code == 200
    _sent_days_ago(invitation, 3.1)
    assert client.get(_respond_url(invitation)).status_code == 410


def test_a_fresh_invitation_can_still_be_accepted(invitation: Any, invited: Any) -> None:
    _sent_days_ago(invitation, 13.9)
    services.invitation_accept(user=invited, invitation=invitation)
    assert Membership.objects.filter(user=invited, organisation=invitation.organisation).exists()


def test_managers_see_expired_invitations_and_can_invite_again(
    client: Any, sign_in_as: Any, partnership: Any, invitation: Any, invited: Any
) -> None:
    manager = sign_in_as(client, "partnership_manager", partnership=partnership)
    _sent_days_ago(invitation, 20)
    detail = client.get(reverse("accounts:partnership_detail", args=[partnership.pk]))
    assert "Expired" in detail.content.decode()
    assert _cancel_url(invitation) in detail.content.decode()

    again = services.membership_add(
        by=manager,
        organisation=invitation.organisation,
        email=invited.email,
        role=Role.VIEWER,
        base_url="http://testserver",
    )

    invitation.refresh_from_db()
    assert invitation.status == MembershipInvitation.Status.EXPIRED
    assert again.status == MembershipInvitation.Status.PENDING
    # The old link now says it has expired; the new one works.
    person = _signed_in(invited)
    assert person.get(_respond_url(invitation)).status_code == 410
    assert person.get(_respond_url(again)).status_code == 200


def test_the_invitation_email_gives_the_expiry_date(
    partnership: Any, organisation: Any, invited: Any, django_capture_on_commit_callbacks: Any
) -> None:
    manager = MembershipFactory(organisation=organisation, role=Role.PARTNERSHIP_MANAGER).user
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.membership_add(
            by=manager,
            organisation=organisation,
            email=invited.email,
            role=Role.VIEWER,
            base_url="http://testserver",
        )
    ends = timezone.localtime(invitation.created_at + timedelta(days=14))
    assert f"expires on {ends.day} {ends.strftime('%B %Y')}" in mail.outbox[0].body
