"""Changes through /admin/ are audited and keep the rules, or are not possible at all."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from saferplaces.accounts.models import Role, User
from saferplaces.audit.models import AuditEvent
from tests.saferplaces.factories import MembershipFactory, OrganisationFactory, UserFactory


def _change_user(client: Any, user: User, **fields: Any) -> Any:
    data = {"full_name": user.full_name, "is_active": user.is_active}
    data.update(fields)
    post = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), post)


@pytest.fixture
def admin_user(client: Any, sign_in_as: Any) -> User:
    return sign_in_as(client, "system_admin")


def test_making_a_system_administrator_is_audited(client: Any, admin_user: User) -> None:
    user = UserFactory()

    response = _change_user(client, user, is_system_admin=True)

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_system_admin
    event = AuditEvent.objects.get(verb="user.system_admin_granted")
    assert event.actor == admin_user
    assert event.subject == user
    assert event.action == "security"
    assert event.summary == {
        "field": "is_system_admin",
        "change": [False, True],
        "via": "admin site",
    }


def test_deactivating_and_renaming_are_audited(client: Any, admin_user: User) -> None:
    user = UserFactory()
    _change_user(client, user, is_active=False, full_name="New Name")
    assert set(AuditEvent.objects.values_list("verb", flat=True)) >= {
        "user.deactivated",
        "user.changed",
    }
    user.refresh_from_db()
    assert (user.is_active, user.full_name) == (False, "New Name")


def test_administrator_cannot_demote_themselves(client: Any, admin_user: User) -> None:
    response = _change_user(client, admin_user, is_system_admin=False, is_active=True)
    assert response.status_code == 200
    assert "cannot remove your own administrator rights" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_system_admin
    assert not AuditEvent.objects.filter(verb__startswith="user.").exists()


def test_deactivating_the_last_manager_is_refused(
    client: Any, admin_user: User, partnership: Any
) -> None:
    manager = MembershipFactory(
        organisation=OrganisationFactory(partnership=partnership), role=Role.PARTNERSHIP_MANAGER
    ).user

    response = _change_user(client, manager, is_active=False)

    assert response.status_code == 200
    assert "at least one partnership manager" in response.content.decode()
    manager.refresh_from_db()
    assert manager.is_active
    assert not AuditEvent.objects.filter(verb="user.deactivated").exists()


def test_a_second_manager_can_be_deactivated(
    client: Any, admin_user: User, partnership: Any
) -> None:
    organisation = OrganisationFactory(partnership=partnership)
    first, _ = (
        MembershipFactory(organisation=organisation, role=Role.PARTNERSHIP_MANAGER).user
        for _ in range(2)
    )
    assert _change_user(client, first, is_active=False).status_code == 302
    assert AuditEvent.objects.filter(verb="user.deactivated", subject=first).exists()


def test_last_manager_cannot_be_demoted_or_removed_through_the_admin(
    client: Any, admin_user: User, partnership: Any
) -> None:
    membership = MembershipFactory(
        organisation=OrganisationFactory(partnership=partnership), role=Role.PARTNERSHIP_MANAGER
    )
    change = reverse("admin:accounts_membership_change", args=[membership.pk])
    delete = reverse("admin:accounts_membership_delete", args=[membership.pk])

    assert client.get(change).status_code == 200  # shown read-only
    assert client.post(change, {"role": Role.VIEWER}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.PARTNERSHIP_MANAGER


@pytest.mark.parametrize(
    "model", ["accounts_partnership", "accounts_organisation", "accounts_membership"]
)
def test_partnership_pages_are_read_only(
    client: Any, admin_user: User, partnership: Any, model: str
) -> None:
    membership = MembershipFactory(organisation=OrganisationFactory(partnership=partnership))
    obj = {
        "accounts_partnership": partnership,
        "accounts_organisation": membership.organisation,
        "accounts_membership": membership,
    }[model]
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert client.post(reverse(f"admin:{model}_change", args=[obj.pk]), {}).status_code == 403
    assert client.post(reverse(f"admin:{model}_delete", args=[obj.pk]), {}).status_code == 403


def test_users_cannot_be_added_or_deleted_in_the_admin(client: Any, admin_user: User) -> None:
    user = UserFactory()
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    delete = reverse("admin:accounts_user_delete", args=[user.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=user.pk).exists()


def test_email_cannot_be_changed_in_the_admin(client: Any, admin_user: User) -> None:
    user = UserFactory()
    assert client.get(reverse("admin:accounts_user_change", args=[user.pk])).status_code == 200
    _change_user(client, user, email="someone-else@example.org")
    user.refresh_from_db()
    assert user.email != "someone-else@example.org"


def test_service_refuses_a_non_administrator(db: Any) -> None:
    from django.core.exceptions import PermissionDenied

    from saferplaces.accounts.services import user_change_by_admin

    user = UserFactory()
    with pytest.raises(PermissionDenied):
        user_change_by_admin(by=user, user=UserFactory(), changes={"is_system_admin": True})
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("module", ["saferplaces.accounts.admin", "saferplaces.audit.admin"])
def test_admin_modules_hold_no_rules(module: str) -> None:
    """Admin pages call services: no audit writes, transactions or rule functions of their own."""
    import importlib
    import inspect

    source = inspect.getsource(importlib.import_module(module))
    for needle in ("audit_record", "transaction.atomic", "select_for_update", "def user_change"):
        assert needle not in source, f"{module} has {needle!r}: move it into a service"
