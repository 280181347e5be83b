"""What the Django admin site may change, under the same rules, audited.

The admin pages (``accounts/admin.py``) only call these.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferplaces.accounts import permissions
from saferplaces.accounts.models import BackupCodeDevice, Membership, User
from saferplaces.accounts.services.partnerships import LAST_MANAGER
from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError

NOT_YOURSELF = (
    "You cannot remove your own administrator rights or deactivate your own account. "
    "Ask another system administrator."
)
ADMIN_FIELDS = ("full_name", "is_active", "is_system_admin")
ADMIN_CHANGE_VERBS = {
    ("is_system_admin", True): "user.system_admin_granted",
    ("is_system_admin", False): "user.system_admin_removed",
    ("is_active", True): "user.reactivated",
    ("is_active", False): "user.deactivated",
}


def user_change_problem(*, by: Any, user: User, changes: dict[str, Any]) -> str | None:
    """Why these changes to ``user`` are refused, or None when they are allowed."""
    if user.pk == by.pk and ("is_system_admin" in changes or "is_active" in changes):
        return NOT_YOURSELF
    if changes.get("is_active") is False:
        managed = Membership.objects.filter(user=user, role=Membership.Role.PARTNERSHIP_MANAGER)
        for partnership_id in managed.values_list("organisation__partnership_id", flat=True):
            others = (
                Membership.objects.filter(
                    organisation__partnership_id=partnership_id,
                    role=Membership.Role.PARTNERSHIP_MANAGER,
                    user__is_active=True,
                )
                .exclude(user=user)
                .exists()
            )
            if not others:
                return f"{LAST_MANAGER} Make someone else a manager first."
    return None


@transaction.atomic
def user_change_by_admin(*, by: Any, user: User, changes: dict[str, Any]) -> User:
    """Change the fields the admin site may change, under the rules, and audit each change.

    The admin keeps one job the staff pages do not have: granting or removing system
    administrator rights and (de)activating accounts.
    """
    if not permissions.can_use_admin_site(by):
        raise PermissionDenied("Only a system administrator can change accounts.")
    unknown = set(changes) - set(ADMIN_FIELDS)
    if unknown:
        raise ApplicationError(f"The admin site cannot change {sorted(unknown)}.")
    stored = User.objects.select_for_update().get(pk=user.pk)
    changes = {k: v for k, v in changes.items() if getattr(stored, k) != v}
    problem = user_change_problem(by=by, user=stored, changes=changes)
    if problem:
        raise ApplicationError(problem)
    for field, value in changes.items():
        old = getattr(stored, field)
        setattr(stored, field, value)
        verb = ADMIN_CHANGE_VERBS.get((field, bool(value)), "user.changed")
        audit_record(
            actor=by,
            verb=verb,
            target=stored,
            summary={"field": field, "change": [old, value], "via": "admin site"},
        )
    if changes:
        stored.full_clean()
        stored.save(update_fields=list(changes))
    return stored


NOT_ALLOWED_ADMIN = "Only a system administrator can do this."
DEVICE_KINDS: dict[type, str] = {
    TOTPDevice: "authenticator app",
    BackupCodeDevice: "backup codes",
    StaticDevice: "static codes",
}


@transaction.atomic
def two_factor_device_delete_by_admin(*, by: Any, device: Device) -> None:
    """Delete someone's lost authenticator app or backup-code set, naming whose it was.

    They set up a new one at their next sign-in (two-factor is required of every member).
    """
    if not permissions.can_use_admin_site(by):
        raise PermissionDenied(NOT_ALLOWED_ADMIN)
    owner = device.user
    summary = {
        "user_id": str(owner.pk),
        "device": DEVICE_KINDS.get(type(device), device._meta.label_lower),
        "name": device.name,
        "confirmed": device.confirmed,
        "via": "admin site",
    }
    device.delete()
    audit_record(actor=by, verb="auth.two_factor_device_deleted", target=owner, summary=summary)


@transaction.atomic
def lockout_clear_by_admin(*, by: Any, attempt: AccessAttempt) -> None:
    """Unlock sign-in: forget one e-mail address's (or IP address's) recent failures."""
    if not permissions.can_use_admin_site(by):
        raise PermissionDenied(NOT_ALLOWED_ADMIN)
    username = (attempt.username or "").strip().lower()
    owner = User.objects.filter(email__iexact=username).first() if username else None
    summary = {
        "user_id": str(owner.pk) if owner else None,
        "ip_address": attempt.ip_address,
        "failures": attempt.failures_since_start,
        "via": "admin site",
    }
    attempt_id = str(attempt.pk)
    attempt.delete()
    audit_record(
        actor=by,
        verb="auth.lockout_cleared",
        target=owner,
        object_type="axes.accessattempt",
        object_id=attempt_id,
        summary=summary,
    )
