"""Services: what they return, what changes in the database, and that refusals leave nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from saferplaces.accounts import services
from saferplaces.accounts.models import Membership, Organisation, Partnership, Role, User
from saferplaces.audit.models import AuditEvent
from saferplaces.core.exceptions import ApplicationError
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

BASE_URL = "http://testserver"


@pytest.fixture
def admin(db: Any) -> User:
    return UserFactory(is_system_admin=True)


@pytest.fixture
def organisation(partnership: Partnership) -> Organisation:
    return OrganisationFactory(partnership=partnership)


@pytest.fixture
def manager(organisation: Organisation) -> User:
    return MembershipFactory(organisation=organisation, role=Role.PARTNERSHIP_MANAGER).user


@pytest.fixture
def viewer(organisation: Organisation) -> User:
    return MembershipFactory(organisation=organisation, role=Role.VIEWER).user


PARTNERSHIP = {
    "name": "Somewhere Community Safety Partnership",
    "gss_code": "E22000999",
    "lad_codes": ["E07000999"],
    "police_force": "leicestershire",
}


def test_partnership_create_by_admin(admin: User) -> None:
    partnership = services.partnership_create(by=admin, **PARTNERSHIP)

    assert Partnership.objects.get(pk=partnership.pk).lad_codes == ["E07000999"]
    event = AuditEvent.objects.get(verb="partnership.created")
    assert event.actor == admin
    assert event.partnership == partnership


def test_partnership_create_refused_for_a_manager_leaves_nothing(manager: User) -> None:
    with pytest.raises(PermissionDenied):
        services.partnership_create(by=manager, **PARTNERSHIP)
    assert not Partnership.objects.filter(gss_code="E22000999").exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("gss_code", "E07000134"),
        ("gss_code", "E2200017"),
        ("lad_codes", ["E22000170"]),
        ("lad_codes", []),
    ],
)
def test_partnership_create_validates_codes(admin: User, field: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        services.partnership_create(by=admin, **{**PARTNERSHIP, field: value})
    assert not Partnership.objects.exists()
    assert not AuditEvent.objects.exists()


def test_organisation_create_by_manager(manager: User, partnership: Partnership) -> None:
    organisation = services.organisation_create(
        by=manager,
        partnership=partnership,
        name="Fire",
        type="fire_and_rescue",
        statutory_status="responsible_authority",
    )
    assert organisation.partnership == partnership
    assert AuditEvent.objects.get(verb="organisation.created").object_id == str(organisation.pk)


def test_organisation_create_by_viewer_is_refused(viewer: User, partnership: Partnership) -> None:
    before = Organisation.objects.count()
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            by=viewer,
            partnership=partnership,
            name="Fire",
            type="fire_and_rescue",
            statutory_status="responsible_authority",
        )
    assert Organisation.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_organisation_create_rejects_unknown_type(manager: User, partnership: Partnership) -> None:
    with pytest.raises(ValidationError):
        services.organisation_create(
            by=manager,
            partnership=partnership,
            name="X",
            type="spaceship",
            statutory_status="other",
        )
    assert not AuditEvent.objects.exists()


def test_membership_add_invites_a_new_user(
    manager: User, organisation: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_add(
            by=manager,
            organisation=organisation,
            email=" New.Person@Example.org ",
            role=Role.ANALYST,
            base_url=BASE_URL,
        )

    user = membership.user
    assert user.email == "new.person@example.org"
    assert not user.has_usable_password()
    assert membership.role == Role.ANALYST
    assert [e.verb for e in AuditEvent.objects.order_by("occurred_at")] == [
        "user.invited",
        "membership.added",
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert f"{BASE_URL}/set-password/" in mail.outbox[0].body


def test_membership_add_existing_user_only_invites_them(
    manager: User, organisation: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    existing = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.membership_add(
            by=manager,
            organisation=organisation,
            email=existing.email.upper(),
            role=Role.VIEWER,
            base_url=BASE_URL,
        )
    # Nothing changes for the person until they accept (test_membership_invitations.py).
    assert existing.memberships.count() == 0
    assert invitation.user == existing
    assert invitation.status == "pending"
    assert "set-password" not in mail.outbox[0].body
    assert f"{BASE_URL}/staff/invitations/{invitation.pk}/" in mail.outbox[0].body


def test_membership_add_refused_sends_nothing_and_creates_nobody(
    viewer: User, organisation: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.membership_add(
            by=viewer,
            organisation=organisation,
            email="new@example.org",
            role=Role.VIEWER,
            base_url=BASE_URL,
        )
    assert not User.objects.filter(email="new@example.org").exists()
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


def test_membership_add_twice_is_refused_and_rolls_back(
    manager: User, organisation: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    existing = MembershipFactory(organisation=organisation).user
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
        services.membership_add(
            by=manager,
            organisation=organisation,
            email=existing.email,
            role=Role.VIEWER,
            base_url=BASE_URL,
        )
    assert not AuditEvent.objects.exists()
    assert mail.outbox == []


def test_failure_after_audit_rolls_back_the_audit_too(
    manager: User, organisation: Organisation
) -> None:
    # The audit event is written in the service's transaction: if the caller's transaction
    # fails afterwards, neither the change nor its audit event remain.
    def add_then_fail() -> None:
        with transaction.atomic():
            services.membership_add(
                by=manager,
                organisation=organisation,
                email="x@example.org",
                role=Role.VIEWER,
                base_url=BASE_URL,
            )
            raise RuntimeError("something later failed")

    with pytest.raises(RuntimeError, match="something later failed"):
        add_then_fail()
    assert not User.objects.filter(email="x@example.org").exists()
    assert not AuditEvent.objects.exists()


def test_membership_change_role(manager: User, organisation: Organisation) -> None:
    membership = MembershipFactory(organisation=organisation, role=Role.VIEWER)

    result = services.membership_change_role(by=manager, membership=membership, role=Role.ANALYST)

    assert result.role == Role.ANALYST
    membership.refresh_from_db()
    assert membership.role == Role.ANALYST
    assert AuditEvent.objects.get(verb="membership.role_changed").summary["role"] == [
        "viewer",
        "analyst",
    ]


def test_membership_change_role_refused_for_viewer(
    viewer: User, organisation: Organisation
) -> None:
    membership = MembershipFactory(organisation=organisation, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.membership_change_role(by=viewer, membership=membership, role=Role.ANALYST)
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER
    assert not AuditEvent.objects.exists()


def test_last_manager_cannot_be_demoted_or_removed(manager: User) -> None:
    membership = manager.memberships.get()
    with pytest.raises(ApplicationError, match="at least one partnership manager"):
        services.membership_change_role(by=manager, membership=membership, role=Role.VIEWER)
    with pytest.raises(ApplicationError):
        services.membership_remove(by=manager, membership=membership)
    membership.refresh_from_db()
    assert membership.role == Role.PARTNERSHIP_MANAGER
    assert not AuditEvent.objects.exists()


def test_membership_remove(manager: User, organisation: Organisation) -> None:
    membership = MembershipFactory(organisation=organisation)
    membership_id = membership.pk

    services.membership_remove(by=manager, membership=membership)

    assert not Membership.objects.filter(pk=membership_id).exists()
    assert AuditEvent.objects.get(verb="membership.removed").object_id == str(membership_id)


def test_manager_of_another_partnership_cannot_remove(organisation: Organisation) -> None:
    other_manager = MembershipFactory(
        organisation=OrganisationFactory(partnership=PartnershipFactory()),
        role=Role.PARTNERSHIP_MANAGER,
    ).user
    membership = MembershipFactory(organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.membership_remove(by=other_manager, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not AuditEvent.objects.exists()


def test_password_set_enforces_the_policy(db: Any) -> None:
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.user_password_set(user=user, password="short", verb="auth.password_changed")
    assert not AuditEvent.objects.exists()
    services.user_password_set(
        user=user, password="a much longer passphrase 42", verb="auth.password_changed"
    )
    assert user.check_password("a much longer passphrase 42")
    assert AuditEvent.objects.get().verb == "auth.password_changed"
