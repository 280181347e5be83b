"""Writes for signing in: passwords, the second factor, password links and sessions."""

from __future__ import annotations

import secrets
from functools import partial
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferplaces.accounts import permissions
from saferplaces.accounts.models import (
    BACKUP_CODE_ALPHABET,
    BACKUP_CODE_LENGTH,
    BackupCode,
    BackupCodeDevice,
    Membership,
    User,
    UserSession,
)
from saferplaces.accounts.services.partnerships import NOT_ALLOWED_MANAGE
from saferplaces.accounts.tasks import (
    password_link_email_send,
)
from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError

WRONG_CODE = "The code is not correct or has expired. Try the newest code from your app."
NOT_YOUR_SESSION = "That is not one of your sessions."
BACKUP_CODES = 10


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
