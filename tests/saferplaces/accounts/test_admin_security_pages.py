"""Second-factor devices and sign-in lockouts in /admin/: read-only, deletions audited."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferplaces.accounts import services
from saferplaces.accounts.models import BackupCodeDevice, User
from saferplaces.audit.models import AuditEvent
from tests.saferplaces.factories import UserFactory

DEVICES = {
    "otp_totp_totpdevice": (TOTPDevice, "authenticator app"),
    "accounts_backupcodedevice": (BackupCodeDevice, "backup codes"),
    "otp_static_staticdevice": (StaticDevice, "static codes"),
}


@pytest.fixture
def admin_user(client: Any, sign_in_as: Any) -> User:
    return sign_in_as(client, "system_admin")


def _device(model_name: str, owner: User) -> Any:
    model = DEVICES[model_name][0]
    return model.objects.create(user=owner, name="Lost phone", confirmed=True)


def _attempt(username: str, failures: int = 5) -> AccessAttempt:
    return AccessAttempt.objects.create(
        username=username,
        ip_address="192.0.2.7",
        user_agent="test",
        http_accept="*/*",
        path_info="/sign-in/",
        get_data="",
        post_data="",
        failures_since_start=failures,
        attempt_time=timezone.now(),
    )


@pytest.mark.parametrize("model_name", sorted(DEVICES))
def test_devices_cannot_be_added_or_changed(client: Any, admin_user: User, model_name: str) -> None:
    device = _device(model_name, UserFactory())
    change = reverse(f"admin:{model_name}_change", args=[device.pk])

    assert client.get(reverse(f"admin:{model_name}_add")).status_code == 403
    assert client.get(change).status_code == 200  # shown read-only
    response = client.post(change, {"user": admin_user.pk, "name": "Mine now", "confirmed": "on"})

    assert response.status_code == 403
    device.refresh_from_db()
    assert (device.user_id, device.name) != (admin_user.pk, "Mine now")


@pytest.mark.parametrize("model_name", sorted(DEVICES))
def test_deleting_a_device_is_audited_naming_its_owner(
    client: Any, admin_user: User, model_name: str
) -> None:
    owner = UserFactory()
    device = _device(model_name, owner)

    response = client.post(reverse(f"admin:{model_name}_delete", args=[device.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not type(device).objects.filter(pk=device.pk).exists()
    event = AuditEvent.objects.get(verb="auth.two_factor_device_deleted")
    assert (event.actor, event.subject, event.action) == (admin_user, owner, "security")
    assert event.summary["device"] == DEVICES[model_name][1]
    assert event.summary["user_id"] == str(owner.pk)


def test_deleting_devices_in_bulk_is_audited_one_by_one(client: Any, admin_user: User) -> None:
    owners = [UserFactory(), UserFactory()]
    devices = [_device("otp_totp_totpdevice", owner) for owner in owners]

    response = client.post(
        reverse("admin:otp_totp_totpdevice_changelist"),
        {"action": "delete_selected", "_selected_action": [d.pk for d in devices], "post": "yes"},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user__in=owners).exists()
    subjects = AuditEvent.objects.filter(verb="auth.two_factor_device_deleted")
    assert set(subjects.values_list("subject", flat=True)) == {o.pk for o in owners}


def test_only_a_system_administrator_may_delete_a_device(db: Any) -> None:
    device = _device("otp_totp_totpdevice", UserFactory())
    with pytest.raises(PermissionDenied):
        services.two_factor_device_delete_by_admin(by=UserFactory(), device=device)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AuditEvent.objects.exists()


def test_lockout_records_cannot_be_added_or_changed(client: Any, admin_user: User) -> None:
    attempt = _attempt("someone@example.org")
    assert client.get(reverse("admin:axes_accessattempt_add")).status_code == 403
    change = reverse("admin:axes_accessattempt_change", args=[attempt.pk])
    assert client.post(change, {"failures_since_start": 0}).status_code == 403
    attempt.refresh_from_db()
    assert attempt.failures_since_start == 5


def test_unlocking_is_audited_naming_the_account(client: Any, admin_user: User) -> None:
    owner = UserFactory()
    attempt = _attempt(owner.email)

    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(verb="auth.lockout_cleared")
    assert (event.actor, event.subject) == (admin_user, owner)
    assert event.summary["failures"] == 5
    assert event.summary["ip_address"] == "192.0.2.7"


def test_unlocking_an_unknown_address_is_audited_without_an_owner(
    client: Any, admin_user: User
) -> None:
    attempt = _attempt("nobody@example.org")
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    event = AuditEvent.objects.get(verb="auth.lockout_cleared")
    assert event.subject is None
    assert event.object_type == "axes.accessattempt"


def test_axes_clean_up_action_is_not_offered(client: Any, admin_user: User) -> None:
    _attempt("someone@example.org")
    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    assert "cleanup_expired_attempts" not in response.content.decode()


@pytest.mark.parametrize("model", [AccessLog, AccessFailureLog])
def test_sign_in_logs_are_read_only(client: Any, admin_user: User, model: Any) -> None:
    fields = {"ip_address": "192.0.2.7", "user_agent": "t", "username": "a@example.org"}
    row = model.objects.create(**fields, http_accept="*/*", path_info="/sign-in/")
    name = model._meta.model_name

    assert client.get(reverse(f"admin:axes_{name}_add")).status_code == 403
    assert client.post(reverse(f"admin:axes_{name}_change", args=[row.pk]), {}).status_code == 403
    delete = reverse(f"admin:axes_{name}_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_unlocking_in_the_admin_lets_the_person_sign_in_again(
    client: Any, admin_user: User
) -> None:
    from django.test import Client

    from tests.saferplaces.factories import TEST_PASSWORD

    person = UserFactory()
    browser = Client()
    sign_in = reverse("accounts:sign_in")
    for _ in range(5):
        browser.post(sign_in, {"email": person.email, "password": "wrong"}, REMOTE_ADDR="192.0.2.9")
    locked = browser.post(
        sign_in, {"email": person.email, "password": TEST_PASSWORD}, REMOTE_ADDR="192.0.2.9"
    )
    assert locked.status_code == 429

    attempt = AccessAttempt.objects.get(username=person.email)
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    response = browser.post(
        sign_in, {"email": person.email, "password": TEST_PASSWORD}, REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code == 302
    assert AuditEvent.objects.get(verb="auth.lockout_cleared").subject == person


def test_every_admin_page_is_read_only_or_routed_through_services(db: Any) -> None:
    """A new editable admin page (a package's own, say) fails here until it is reviewed."""
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_system_admin=True)
    editable = {"accounts.user"}  # only through services.user_change_by_admin (its own tests)
    deletable = {
        "otp_totp.totpdevice",
        "otp_static.staticdevice",
        "accounts.backupcodedevice",
        "axes.accessattempt",
    }  # each deletion audited (tests above)
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        assert not model_admin.has_add_permission(request), label
        assert model_admin.has_change_permission(request) == (label in editable), label
        assert model_admin.has_delete_permission(request) == (label in deletable), label
    assert "auth.group" not in {m._meta.label_lower for m in admin.site._registry}
