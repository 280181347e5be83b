"""Sign-in, sign-in failure, sign-out and lockout go to the audit log; axes keeps no form data."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import pre_save
from django.dispatch import receiver

from saferplaces.audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, verb="auth.signed_in", target=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_signed_out")
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and not getattr(request, "saferplaces_session_expired", False):
        audit_record(actor=user, verb="auth.signed_out", target=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The e-mail typed is not stored: it may be a password typed into the wrong box. We store
    # only whether it belongs to an account, and link the event to that account.
    from saferplaces.accounts.models import User

    user = User.objects.filter(email__iexact=credentials.get("username") or "").first()
    audit_record(
        actor=None,
        verb="auth.sign_in_failed",
        target=user,
        summary={"known_account": user is not None},
        request=request,
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    from saferplaces.accounts.models import User

    user = User.objects.filter(email__iexact=username or "").first()
    audit_record(
        actor=None,
        verb="auth.locked_out",
        target=user,
        summary={"known_account": user is not None},
        request=request,
    )


@receiver(pre_save, sender=AccessAttempt, dispatch_uid="audit_axes_no_request_data")
def _axes_keeps_no_request_data(sender: Any, instance: AccessAttempt, **kwargs: Any) -> None:
    # axes stores the query string and form body of every failed sign-in (the typed e-mail, and
    # a password typed into the wrong box). The lockout needs neither.
    instance.get_data = ""
    instance.post_data = ""
