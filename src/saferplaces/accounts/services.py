"""Every write to users, partnerships, organisations and memberships."""

from __future__ import annotations

import secrets
from functools import partial
from importlib import import_module
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferplaces.accounts import permissions
from saferplaces.accounts.models import (
    BACKUP_CODE_ALPHABET,
    BACKUP_CODE_LENGTH,
    BackupCode,
    BackupCodeDevice,
    InvitationStatus,
    Membership,
    MembershipInvitation,
    Organisation,
    Partnership,
    User,
    UserSession,
)
from saferplaces.accounts.tasks import (
    invitation_email_send,
    membership_email_send,
    password_link_email_send,
)
from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError

NOT_ALLOWED_PARTNERSHIP = "Only a system administrator can add a partnership."
NOT_ALLOWED_MANAGE = "Only a manager of this partnership can do this."
ALREADY_MEMBER = "This person is already a member of that organisation."
LAST_MANAGER = "A partnership must keep at least one partnership manager."
WRONG_PARTNERSHIP = "That organisation is not part of this partnership."
WRONG_CODE = "The code is not correct or has expired. Try the newest code from your app."
ALREADY_INVITED = "This person has already been invited to that organisation."
NOT_YOUR_INVITATION = "This invitation is not for you."
INVITATION_ANSWERED = "This invitation has already been answered."
INVITATION_EXPIRED = (
    "This invitation has expired. Ask a manager of the partnership to invite you again."
)
INVITATION_NOT_PENDING = "Only an invitation that is still waiting for an answer can be cancelled."
NOT_YOUR_SESSION = "That is not one of your sessions."
BACKUP_CODES = 10


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
) -> Membership | MembershipInvitation:
    """Add someone new to an organisation, or invite someone who already has an account.

    A new person is added at once (unusable password + e-mailed set-password link). Someone who
    already has an account is only invited: they join when they accept, signed in, so no
    partnership gains a view of an existing account without that person's agreement.
    """
    partnership = organisation.partnership
    if not permissions.can_manage_members(by, partnership):
        raise PermissionDenied(NOT_ALLOWED_MANAGE)
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return _invitation_create(
            by=by, user=user, organisation=organisation, role=role, base_url=base_url
        )
    user = User(email=email, full_name=full_name.strip())
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(actor=by, verb="user.invited", target=user, partnership=partnership)
    membership = _membership_create(by=by, user=user, organisation=organisation, role=role)
    if notify:  # False only for the demo command, which sets the passwords itself
        transaction.on_commit(
            partial(
                membership_email_send.enqueue,
                membership_id=str(membership.pk),
                base_url=base_url,
                invited=True,
            )
        )
    return membership


def _membership_create(
    *, by: User, user: User, organisation: Organisation, role: str, **summary: Any
) -> Membership:
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=by,
        verb="membership.added",
        target=membership,
        partnership=organisation.partnership,
        summary={
            "user_id": str(user.pk),
            "organisation": organisation.name,
            "role": role,
            **summary,
        },
    )
    return membership


def _invitation_create(
    *, by: User, user: User, organisation: Organisation, role: str, base_url: str
) -> MembershipInvitation:
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ApplicationError(ALREADY_MEMBER)
    pending = MembershipInvitation.objects.select_for_update().filter(
        user=user, organisation=organisation, status=InvitationStatus.PENDING
    )
    for earlier in pending:
        if not earlier.is_expired:
            raise ApplicationError(ALREADY_INVITED)
        # An expired invitation gives way to the new one (one pending per organisation).
        earlier.status = InvitationStatus.EXPIRED
        earlier.save(update_fields=["status", "updated_at"])
    invitation = MembershipInvitation(
        user=user, organisation=organisation, role=role, invited_by=by
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=by,
        verb="invitation.sent",
        target=invitation,
        partnership=organisation.partnership,
        summary={"user_id": str(user.pk), "organisation": organisation.name, "role": role},
    )
    transaction.on_commit(
        partial(invitation_email_send.enqueue, invitation_id=str(invitation.pk), base_url=base_url)
    )
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, invitation: MembershipInvitation) -> Membership:
    """The invited person agrees: the membership starts now (``Membership.joined_at``)."""
    invitation = _pending_invitation_for(user=user, invitation=invitation)
    if Membership.objects.filter(user=user, organisation=invitation.organisation).exists():
        raise ApplicationError(ALREADY_MEMBER)
    invitation.status = InvitationStatus.ACCEPTED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at", "updated_at"])
    partnership = invitation.organisation.partnership
    audit_record(actor=user, verb="invitation.accepted", target=invitation, partnership=partnership)
    return _membership_create(
        by=user,
        user=user,
        organisation=invitation.organisation,
        role=invitation.role,
        invitation_id=str(invitation.pk),
        invited_by=str(invitation.invited_by_id or ""),
    )


@transaction.atomic
def invitation_decline(*, user: User, invitation: MembershipInvitation) -> MembershipInvitation:
    invitation = _pending_invitation_for(user=user, invitation=invitation)
    invitation.status = InvitationStatus.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at", "updated_at"])
    audit_record(
        actor=user,
        verb="invitation.declined",
        target=invitation,
        partnership=invitation.organisation.partnership,
    )
    return invitation


def _pending_invitation_for(*, user: User, invitation: MembershipInvitation) -> Any:
    # Lock the row: a double click must not create two memberships.
    invitation = MembershipInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.user_id != user.pk:
        raise PermissionDenied(NOT_YOUR_INVITATION)
    if invitation.is_expired:
        raise ApplicationError(INVITATION_EXPIRED)
    if invitation.status != InvitationStatus.PENDING:
        raise ApplicationError(INVITATION_ANSWERED)
    return invitation


@transaction.atomic
def invitation_cancel(*, by: User, invitation: MembershipInvitation) -> MembershipInvitation:
    """A manager withdraws an invitation nobody has answered yet (expired ones too)."""
    invitation = MembershipInvitation.objects.select_for_update().get(pk=invitation.pk)
    partnership = invitation.organisation.partnership
    if not permissions.can_manage_members(by, partnership):
        raise PermissionDenied(NOT_ALLOWED_MANAGE)
    if invitation.status != InvitationStatus.PENDING:
        raise ApplicationError(INVITATION_NOT_PENDING)
    invitation.status = InvitationStatus.CANCELLED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at", "updated_at"])
    audit_record(
        actor=by,
        verb="invitation.cancelled",
        target=invitation,
        partnership=partnership,
        summary={
            "user_id": str(invitation.user_id),
            "organisation": invitation.organisation.name,
            "role": invitation.role,
        },
    )
    return invitation


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


# -- second factor ----------------------------------------------------------------------------


def _backup_code() -> str:
    raw = "".join(secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def backup_codes_generate(*, user: User) -> list[str]:
    """Make a new set of single-use backup codes; earlier ones stop working.

    Returns the codes in plain text, to be shown once; only salted hashes are stored.
    """
    BackupCodeDevice.objects.filter(user=user).delete()
    device = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [_backup_code() for _ in range(BACKUP_CODES)]
    BackupCode.objects.bulk_create(
        BackupCode(device=device, code_hash=make_password(code.replace("-", ""))) for code in codes
    )
    audit_record(
        actor=user, verb="auth.backup_codes_generated", target=user, summary={"count": len(codes)}
    )
    return codes


@transaction.atomic
def totp_devices_remove(*, user: User) -> int:
    """Remove the authenticator app(s), after the user re-entered the password (see views)."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=user, verb="auth.two_factor_removed", target=user)
    return removed


def user_reauthenticate(*, request: HttpRequest, password: str) -> bool:
    """Check the signed-in user's password again before a sensitive change.

    Goes through ``authenticate`` so a wrong password counts towards the sign-in lockout and is
    audited like a failed sign-in.
    """
    user = request.user
    checked = authenticate(request, username=user.email, password=password)
    return checked is not None and checked.pk == user.pk


# -- password link --------------------------------------------------------------------------


@transaction.atomic
def password_link_send(*, by: User, membership: Membership, base_url: str) -> None:
    """A manager sends a member a single-use link to set a new password.

    The link (Django's token generator) expires after PASSWORD_RESET_TIMEOUT and stops working
    once used or once the password changes. It goes to the member's own e-mail address only.
    """
    partnership = membership.organisation.partnership
    if not permissions.can_manage_members(by, partnership):
        raise PermissionDenied(NOT_ALLOWED_MANAGE)
    audit_record(
        actor=by,
        verb="auth.password_link_sent",
        target=membership.user,
        partnership=partnership,
        summary={"user_id": str(membership.user_id)},
    )
    transaction.on_commit(
        partial(
            password_link_email_send.enqueue,
            user_id=str(membership.user_id),
            partnership_id=str(partnership.pk),
            base_url=base_url,
        )
    )


# -- sessions -------------------------------------------------------------------------------


def _session_store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def user_session_record(*, request: HttpRequest, user: User) -> UserSession:
    """Note a newly signed-in browser (called when someone signs in).

    Session bookkeeping, like Django's own session rows: the sign-in itself is audited by the
    audit app's signal handler, so this writes no audit event of its own.
    """
    from saferplaces.audit.services import client_ip

    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    # Forget this user's sessions that can no longer be alive.
    UserSession.objects.filter(user=user, last_seen_at__lt=_oldest_live_time()).delete()
    record, _ = UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "ip_address": client_ip(request),
            "user_agent": request.headers.get("User-Agent", "")[:300],
            "last_seen_at": timezone.now(),
        },
    )
    return record


def _oldest_live_time() -> Any:
    return timezone.now() - settings.SAFERPLACES_SESSION_IDLE_TIMEOUT


def user_session_touch(*, record_id: Any, session_key: str) -> None:
    UserSession.objects.filter(pk=record_id).update(
        session_key=session_key, last_seen_at=timezone.now()
    )


def user_session_forget(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def user_session_end(*, by: User, record: UserSession) -> None:
    """End one of the user's own sessions elsewhere: that browser is signed out at once."""
    if record.user_id != by.pk:
        raise PermissionDenied(NOT_YOUR_SESSION)
    _session_store()(session_key=record.session_key).delete()
    record.delete()
    audit_record(
        actor=by,
        verb="auth.session_ended",
        target=by,
        summary={"ip_address": record.ip_address, "all_others": False},
    )


@transaction.atomic
def user_sessions_end_others(*, by: User, current_session_key: str | None) -> int:
    records = list(UserSession.objects.filter(user=by).exclude(session_key=current_session_key))
    store = _session_store()
    for record in records:
        store(session_key=record.session_key).delete()
        record.delete()
    audit_record(
        actor=by,
        verb="auth.session_ended",
        target=by,
        summary={"count": len(records), "all_others": True},
    )
    return len(records)


# -- admin site -----------------------------------------------------------------------------

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
