"""Adding someone who already has an account needs their acceptance (issue 12, audit leak)."""

from __future__ import annotations

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
def elsewhere_member(db: Any) -> Any:
    """Someone already working in another partnership."""
    return MembershipFactory(
        organisation=OrganisationFactory(partnership=PartnershipFactory())
    ).user


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    mark_second_factor_verified(client, user)
    return client


def test_adding_an_existing_account_only_invites_them(
    client: Any,
    sign_in_as: Any,
    partnership: Any,
    elsewhere_member: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    organisation = OrganisationFactory(partnership=partnership)
    manager = sign_in_as(client, "partnership_manager", partnership=partnership)
    url = reverse("accounts:member_invite", kwargs={"partnership_id": partnership.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "email": elsewhere_member.email.upper(),
                "organisation": str(organisation.pk),
                "role": "analyst",
            },
            follow=True,
        )

    # Not a member: the manager's partnership gains nothing about this person yet.
    assert not Membership.objects.filter(user=elsewhere_member, organisation=organisation).exists()
    assert "They join when they accept it" in response.content.decode()
    assert elsewhere_member.email in response.content.decode()  # "Waiting for an answer"
    invitation = MembershipInvitation.objects.get(user=elsewhere_member)
    assert (invitation.status, invitation.role, invitation.invited_by) == (
        "pending",
        Role.ANALYST,
        manager,
    )
    assert AuditEvent.objects.filter(verb="invitation.sent", partnership=partnership).exists()
    assert not AuditEvent.objects.filter(verb="membership.added", partnership=partnership).exists()
    assert mail.outbox[0].to == [elsewhere_member.email]
    assert f"/staff/invitations/{invitation.pk}/" in mail.outbox[0].body


def test_the_invited_person_accepts_and_joins_from_then_on(
    partnership: Any, elsewhere_member: Any
) -> None:
    organisation = OrganisationFactory(partnership=partnership)
    manager = MembershipFactory(organisation=organisation, role=Role.PARTNERSHIP_MANAGER).user
    invitation = services.membership_add(
        by=manager,
        organisation=organisation,
        email=elsewhere_member.email,
        role=Role.VIEWER,
        base_url="http://testserver",
    )
    client = _signed_in(elsewhere_member)

    home = client.get(reverse("accounts:staff_home")).content.decode()
    respond = reverse("accounts:invitation_respond", kwargs={"invitation_id": invitation.pk})
    assert respond in home
    page = client.get(respond)
    assert page.status_code == 200
    assert partnership.name in page.content.decode()

    before = timezone.now()
    response = client.post(respond, {"decision": "accept"})

    assert response["Location"] == reverse("accounts:staff_home")
    membership = Membership.objects.get(user=elsewhere_member, organisation=organisation)
    assert membership.role == Role.VIEWER
    assert membership.joined_at >= before
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert invitation.responded_at >= before
    accepted = AuditEvent.objects.get(verb="invitation.accepted")
    assert accepted.actor == elsewhere_member
    assert accepted.partnership == partnership
    # Answered: the link no longer opens.
    assert client.get(respond).status_code == 404


def test_the_invited_person_may_decline(partnership: Any, elsewhere_member: Any) -> None:
    organisation = OrganisationFactory(partnership=partnership)
    invitation = MembershipInvitation.objects.create(
        user=elsewhere_member, organisation=organisation, role=Role.VIEWER
    )
    client = _signed_in(elsewhere_member)
    respond = reverse("accounts:invitation_respond", kwargs={"invitation_id": invitation.pk})

    client.post(respond, {"decision": "decline"})

    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert not Membership.objects.filter(user=elsewhere_member, organisation=organisation).exists()
    assert AuditEvent.objects.filter(verb="invitation.declined").exists()


def test_nobody_else_can_accept_an_invitation(
    client: Any, sign_in_as: Any, partnership: Any, elsewhere_member: Any
) -> None:
    organisation = OrganisationFactory(partnership=partnership)
    invitation = MembershipInvitation.objects.create(
        user=elsewhere_member, organisation=organisation, role=Role.PARTNERSHIP_MANAGER
    )
    manager = sign_in_as(client, "partnership_manager", partnership=partnership)
    respond = reverse("accounts:invitation_respond", kwargs={"invitation_id": invitation.pk})

    assert client.post(respond, {"decision": "accept"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.invitation_accept(user=manager, invitation=invitation)
    assert not Membership.objects.filter(user=elsewhere_member, organisation=organisation).exists()
    assert AuditEvent.objects.filter(verb="access.hidden_object").exists()


def test_inviting_twice_or_a_member_is_refused(partnership: Any, elsewhere_member: Any) -> None:
    organisation = OrganisationFactory(partnership=partnership)
    manager = MembershipFactory(organisation=organisation, role=Role.PARTNERSHIP_MANAGER).user
    add = {
        "by": manager,
        "organisation": organisation,
        "email": elsewhere_member.email,
        "role": Role.VIEWER,
        "base_url": "http://testserver",
    }
    services.membership_add(**add)
    with pytest.raises(ApplicationError, match="already been invited"):
        services.membership_add(**add)
    with pytest.raises(ApplicationError, match="already a member"):
        services.membership_add(**{**add, "email": manager.email})


def test_a_new_person_is_added_at_once_and_joins_now(partnership: Any) -> None:
    organisation = OrganisationFactory(partnership=partnership)
    manager = MembershipFactory(organisation=organisation, role=Role.PARTNERSHIP_MANAGER).user
    before = timezone.now()
    membership = services.membership_add(
        by=manager,
        organisation=organisation,
        email="brand.new@example.org",
        role=Role.VIEWER,
        base_url="http://testserver",
    )
    assert isinstance(membership, Membership)
    assert membership.joined_at >= before
