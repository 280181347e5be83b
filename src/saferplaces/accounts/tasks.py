"""Background work for accounts: e-mails go out from the task worker, never mid-transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from saferplaces.accounts.models import Membership, MembershipInvitation, Partnership, User


def set_password_url(user: User, base_url: str) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:set_password", kwargs={"uidb64": uidb64, "token": token})
    return f"{base_url.rstrip('/')}{path}"


@task()
def membership_email_send(*, membership_id: str, base_url: str, invited: bool) -> None:
    """Tell someone they were added; new users get a link to set their password.

    The link is made here, not by the caller, so the token is never stored in the task queue.
    """
    membership = (
        Membership.objects.select_related("user", "organisation__partnership")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        return
    user = membership.user
    partnership = membership.organisation.partnership
    lines = [
        f"You have been added to {partnership.name} on SaferPlaces as "
        f"{membership.get_role_display().lower()} for {membership.organisation.name}.",
        "",
    ]
    if invited:
        lines += [
            "To start, choose a password using this link (it works once, for 3 days):",
            set_password_url(user, base_url),
        ]
    else:
        lines += ["Sign in as usual:", f"{base_url.rstrip('/')}{reverse('accounts:sign_in')}"]
    lines += ["", "If you did not expect this e-mail, tell your partnership manager."]
    send_mail(
        subject=f"SaferPlaces: you have been added to {partnership.name}",
        message="\n".join(lines),
        from_email=None,
        recipient_list=[user.email],
    )


def _day(moment: Any) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local.strftime('%B %Y')}"


@task()
def invitation_email_send(*, invitation_id: str, base_url: str) -> None:
    """Tell someone with an account that they are invited; they accept after signing in."""
    invitation = (
        MembershipInvitation.objects.select_related("user", "organisation__partnership")
        .filter(pk=invitation_id, status=MembershipInvitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        return
    partnership = invitation.organisation.partnership
    base = base_url.rstrip("/")
    lines = [
        f"You have been invited to join {partnership.name} on SaferPlaces as "
        f"{invitation.get_role_display().lower()} for {invitation.organisation.name}.",
        "",
        "Nothing changes until you accept. To accept or decline, sign in and open:",
        f"{base}{reverse('accounts:invitation_respond', kwargs={'invitation_id': invitation.pk})}",
        "",
        f"The invitation expires on {_day(invitation.expires_at)}.",
        "",
        "If you accept, the partnership's managers will see your role and, from that moment on,",
        "your activity in SaferPlaces as their audit log records it.",
        "",
        "If you did not expect this e-mail, decline the invitation.",
    ]
    send_mail(
        subject=f"SaferPlaces: invitation to join {partnership.name}",
        message="\n".join(lines),
        from_email=None,
        recipient_list=[invitation.user.email],
    )


@task()
def password_link_email_send(*, user_id: str, partnership_id: str, base_url: str) -> None:
    """Send a member a single-use link to set a new password, asked for by their manager.

    As with invitations, the token is made here so it never sits in the task queue.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if user is None or partnership is None:
        return
    days = settings.PASSWORD_RESET_TIMEOUT // (60 * 60 * 24)
    lines = [
        f"A manager of {partnership.name} has sent you a link to set a new password "
        "for SaferPlaces.",
        "",
        f"The link works once, for {days} days:",
        set_password_url(user, base_url),
        "",
        "Your two-factor authentication stays as it is. If you did not ask for a new password,",
        "you can ignore this e-mail: your current password keeps working until you use the link.",
    ]
    send_mail(
        subject="SaferPlaces: set a new password",
        message="\n".join(lines),
        from_email=None,
        recipient_list=[user.email],
    )
