"""Background work for accounts: e-mails go out from the task worker, never mid-transaction."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from saferplaces.accounts.models import Membership, User


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
