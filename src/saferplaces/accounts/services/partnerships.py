"""Writes to partnerships, organisations, memberships and membership invitations."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from saferplaces.accounts import permissions
from saferplaces.accounts.models import (
    InvitationStatus,
    Membership,
    MembershipInvitation,
    Organisation,
    Partnership,
    User,
)
from saferplaces.accounts.tasks import (
    invitation_email_send,
    membership_email_send,
)
from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError

NOT_ALLOWED_PARTNERSHIP = "Only a system administrator can add a partnership."
NOT_ALLOWED_MANAGE = "Only a manager of this partnership can do this."
ALREADY_MEMBER = "This person is already a member of that organisation."
LAST_MANAGER = "A partnership must keep at least one partnership manager."
WRONG_PARTNERSHIP = "That organisation is not part of this partnership."
ALREADY_INVITED = "This person has already been invited to that organisation."
NOT_YOUR_INVITATION = "This invitation is not for you."
INVITATION_ANSWERED = "This invitation has already been answered."
INVITATION_EXPIRED = (
    "This invitation has expired. Ask a manager of the partnership to invite you again."
)
INVITATION_NOT_PENDING = "Only an invitation that is still waiting for an answer can be cancelled."


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
