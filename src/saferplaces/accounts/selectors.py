from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferplaces.accounts import permissions
from saferplaces.accounts.models import (
    BackupCode,
    BackupCodeDevice,
    InvitationStatus,
    Membership,
    MembershipInvitation,
    Organisation,
    Partnership,
    UserSession,
)
from saferplaces.core.selectors import object_get_visible_or_404

CURRENT_PARTNERSHIP_SESSION_KEY = "saferplaces_current_partnership"


def partnership_list_for_user(*, user: Any) -> QuerySet[Partnership]:
    """Partnerships the user is a member of (through any organisation)."""
    if not getattr(user, "is_authenticated", False):
        return Partnership.objects.none()
    return Partnership.objects.filter(organisations__memberships__user=user).distinct()


def partnership_list_visible(*, user: Any) -> QuerySet[Partnership]:
    if permissions.is_system_admin(user):
        return Partnership.objects.all()
    return partnership_list_for_user(user=user)


def partnership_list_public() -> QuerySet[Partnership]:
    return Partnership.objects.prefetch_related("organisations").order_by("name")


def partnership_get_visible(*, user: Any, partnership_id: Any) -> Partnership:
    return object_get_visible_or_404(
        partnership_list_visible(user=user), pk=partnership_id, user=user
    )


def partnership_get_current(request: HttpRequest) -> Partnership | None:
    """The partnership the user is working in: chosen with 'switch partnership', else the first."""
    partnerships = partnership_list_for_user(user=request.user).order_by("name")
    chosen = request.session.get(CURRENT_PARTNERSHIP_SESSION_KEY)
    if chosen:
        found = partnerships.filter(pk=chosen).first()
        if found is not None:
            return found
    return partnerships.first()


def partnership_and_roles_current(
    request: HttpRequest, refusal: str
) -> tuple[Partnership, set[str]]:
    """The partnership the user works in and their roles there, for a staff page.

    No partnership (a system administrator who is no member, say) is a refusal: the page
    answers 403 with ``refusal``, which each app words for itself.
    """
    partnership = partnership_get_current(request)
    if partnership is None:
        raise PermissionDenied(refusal)
    return partnership, permissions.roles_in_partnership(request.user, partnership)


def membership_list_for_user(*, user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation", "organisation__partnership")
        .order_by("organisation__partnership__name", "organisation__name")
    )


def membership_list_for_partnership(*, partnership: Partnership) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation__partnership=partnership)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__email")
    )


def membership_get_in_partnership(
    *, user: Any, partnership: Partnership, membership_id: Any
) -> Membership:
    return object_get_visible_or_404(
        membership_list_for_partnership(partnership=partnership),
        pk=membership_id,
        user=user,
        partnership=partnership,
    )


def organisation_list_for_partnership(*, partnership: Partnership) -> QuerySet[Organisation]:
    return Organisation.objects.filter(partnership=partnership).order_by("name")


def _invitations_sent_since() -> Any:
    """Invitations sent before this moment have expired (``SAFERPLACES_INVITATION_DAYS``)."""
    return timezone.now() - timedelta(days=settings.SAFERPLACES_INVITATION_DAYS)


def invitation_list_pending_for_user(*, user: Any) -> QuerySet[MembershipInvitation]:
    """Invitations the user can still answer (not expired)."""
    return MembershipInvitation.objects.filter(
        user=user, status=InvitationStatus.PENDING, created_at__gt=_invitations_sent_since()
    ).select_related("organisation__partnership", "invited_by")


def invitation_get_pending_for_user(*, user: Any, invitation_id: Any) -> MembershipInvitation:
    """Only the invited person can open an invitation; anyone else gets a 404 (audited).

    Expired and cancelled ones are found too, so the page can say so plainly.
    """
    unanswered = MembershipInvitation.objects.filter(
        user=user,
        status__in=[
            InvitationStatus.PENDING,
            InvitationStatus.EXPIRED,
            InvitationStatus.CANCELLED,
        ],
    ).select_related("organisation__partnership", "invited_by")
    return object_get_visible_or_404(unanswered, pk=invitation_id, user=user)


def invitation_list_pending_for_partnership(
    *, partnership: Partnership
) -> QuerySet[MembershipInvitation]:
    """Unanswered invitations, expired ones included (a manager may cancel or re-send them)."""
    return (
        MembershipInvitation.objects.filter(
            organisation__partnership=partnership, status=InvitationStatus.PENDING
        )
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__email")
    )


def invitation_get_pending_in_partnership(
    *, user: Any, partnership: Partnership, invitation_id: Any
) -> MembershipInvitation:
    return object_get_visible_or_404(
        invitation_list_pending_for_partnership(partnership=partnership),
        pk=invitation_id,
        user=user,
        partnership=partnership,
    )


def user_session_list_for_user(*, user: Any) -> QuerySet[UserSession]:
    """The user's sessions that can still be alive (seen within the idle timeout)."""
    oldest = timezone.now() - settings.SAFERPLACES_SESSION_IDLE_TIMEOUT
    return UserSession.objects.filter(user=user, last_seen_at__gte=oldest).order_by("-last_seen_at")


def user_session_get_for_user(*, user: Any, session_id: Any) -> UserSession:
    return object_get_visible_or_404(
        user_session_list_for_user(user=user), pk=session_id, user=user
    )


def authenticator_exists(*, user: Any) -> bool:
    """Has the user a confirmed authenticator app (TOTP)? Backup codes alone do not count."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_code_device_for_user(*, user: Any) -> BackupCodeDevice | None:
    return BackupCodeDevice.objects.filter(user=user, confirmed=True).first()


def backup_codes_remaining(*, user: Any) -> int:
    return BackupCode.objects.filter(device__user=user, device__confirmed=True).count()
