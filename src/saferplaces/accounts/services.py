"""Every write to users, partnerships, organisations and memberships."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferplaces.accounts import permissions
from saferplaces.accounts.models import Membership, Organisation, Partnership, User
from saferplaces.accounts.tasks import membership_email_send
from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError

NOT_ALLOWED_PARTNERSHIP = "Only a system administrator can add a partnership."
NOT_ALLOWED_MANAGE = "Only a manager of this partnership can do this."
ALREADY_MEMBER = "This person is already a member of that organisation."
LAST_MANAGER = "A partnership must keep at least one partnership manager."
WRONG_PARTNERSHIP = "That organisation is not part of this partnership."
WRONG_CODE = "The code is not correct or has expired. Try the newest code from your app."


@transaction.atomic
def partnership_create(
    *,
    by: User,
    name: str,
    gss_code: str,
    lad_codes: list[str],
    police_force: str,
    public_summary: str = "",
) -> Partnership:
    if not permissions.can_create_partnership(by):
        raise PermissionDenied(NOT_ALLOWED_PARTNERSHIP)
    partnership = Partnership(
        name=name.strip(),
        gss_code=gss_code.strip().upper(),
        lad_codes=[code.strip().upper() for code in lad_codes],
        police_force=police_force.strip().lower(),
        public_summary=public_summary.strip(),
    )
    partnership.full_clean()
    partnership.save()
    audit_record(
        actor=by,
        verb="partnership.created",
        target=partnership,
        partnership=partnership,
        summary={"name": partnership.name, "gss_code": partnership.gss_code},
    )
    return partnership


@transaction.atomic
def organisation_create(
    *, by: User, partnership: Partnership, name: str, type: str, statutory_status: str
) -> Organisation:
    if not permissions.can_manage_partnership(by, partnership):
        raise PermissionDenied(NOT_ALLOWED_MANAGE)
    organisation = Organisation(
        partnership=partnership,
        name=name.strip(),
        type=type,
        statutory_status=statutory_status,
    )
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=by,
        verb="organisation.created",
        target=organisation,
        partnership=partnership,
        summary={"name": organisation.name, "type": type, "statutory_status": statutory_status},
    )
    return organisation


@transaction.atomic
def membership_add(
    *,
    by: User,
    organisation: Organisation,
    email: str,
    role: str,
    full_name: str = "",
    base_url: str,
    notify: bool = True,
) -> Membership:
    """Add someone to an organisation; invite them (unusable password + e-mailed link) if new."""
    partnership = organisation.partnership
    if not permissions.can_manage_members(by, partnership):
        raise PermissionDenied(NOT_ALLOWED_MANAGE)
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    invited = user is None
    if invited:
        user = User(email=email, full_name=full_name.strip())
        user.set_unusable_password()
        user.full_clean()
        user.save()
        audit_record(actor=by, verb="user.invited", target=user, partnership=partnership)
    elif Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ApplicationError(ALREADY_MEMBER)
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=by,
        verb="membership.added",
        target=membership,
        partnership=partnership,
        summary={"user_id": str(user.pk), "organisation": organisation.name, "role": role},
    )
    if notify or invited:
        transaction.on_commit(
            partial(
                membership_email_send.enqueue,
                membership_id=str(membership.pk),
                base_url=base_url,
                invited=invited,
            )
        )
    return membership


def _ensure_a_manager_remains(membership: Membership) -> None:
    partnership = membership.organisation.partnership
    others = (
        Membership.objects.filter(
            organisation__partnership=partnership, role=Membership.Role.PARTNERSHIP_MANAGER
        )
        .exclude(pk=membership.pk)
        .exists()
    )
    if membership.role == Membership.Role.PARTNERSHIP_MANAGER and not others:
        raise ApplicationError(LAST_MANAGER)


@transaction.atomic
def membership_change_role(*, by: User, membership: Membership, role: str) -> Membership:
    partnership = membership.organisation.partnership
    if not permissions.can_manage_members(by, partnership):
        raise PermissionDenied(NOT_ALLOWED_MANAGE)
    old_role = membership.role
    if role == old_role:
        return membership
    if old_role == Membership.Role.PARTNERSHIP_MANAGER:
        _ensure_a_manager_remains(membership)
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        actor=by,
        verb="membership.role_changed",
        target=membership,
        partnership=partnership,
        summary={"user_id": str(membership.user_id), "role": [old_role, role]},
    )
    return membership


@transaction.atomic
def membership_remove(*, by: User, membership: Membership) -> None:
    partnership = membership.organisation.partnership
    if not permissions.can_manage_members(by, partnership):
        raise PermissionDenied(NOT_ALLOWED_MANAGE)
    _ensure_a_manager_remains(membership)
    summary = {
        "user_id": str(membership.user_id),
        "organisation": membership.organisation.name,
        "role": membership.role,
    }
    membership_id = str(membership.pk)
    membership.delete()
    audit_record(
        actor=by,
        verb="membership.removed",
        object_type="accounts.membership",
        object_id=membership_id,
        partnership=partnership,
        summary=summary,
    )


@transaction.atomic
def user_password_set(*, user: User, password: str, by: Any = None, verb: str) -> User:
    """Set a password (validated against the password policy) and audit it."""
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=by or user, verb=verb, target=user)
    return user


def totp_device_get_or_create_unconfirmed(*, user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied("That device cannot be confirmed.")
    if not device.verify_token(token):
        raise ApplicationError(WRONG_CODE)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, verb="auth.two_factor_added", target=user)
    return device
