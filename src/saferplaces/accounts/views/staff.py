"""Pages for signed-in staff: home, partnership, members."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from saferplaces.accounts import permissions, services
from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.forms import (
    InvitationResponseForm,
    MemberInviteForm,
    MemberRoleForm,
    OrganisationForm,
    PartnershipForm,
    SwitchPartnershipForm,
)
from saferplaces.accounts.models import MembershipInvitation
from saferplaces.accounts.selectors import (
    CURRENT_PARTNERSHIP_SESSION_KEY,
    invitation_get_pending_for_user,
    invitation_get_pending_in_partnership,
    invitation_list_pending_for_partnership,
    invitation_list_pending_for_user,
    membership_get_in_partnership,
    membership_list_for_partnership,
    membership_list_for_user,
    organisation_list_for_partnership,
    partnership_get_current,
    partnership_get_visible,
    partnership_list_for_user,
    partnership_list_visible,
)
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.forms_govuk import posted as _posted
from saferplaces.core.home_panels import home_panels_for


def _base_url(request: HttpRequest) -> str:
    return settings.SAFERPLACES_BASE_URL or request.build_absolute_uri("/").rstrip("/")


@sign_in_required
@require_safe
def staff_home_view(request: HttpRequest) -> HttpResponse:
    """What needs my attention, per partnership the user belongs to."""
    user = request.user
    by_partnership: dict = defaultdict(list)
    for membership in membership_list_for_user(user=user):
        by_partnership[membership.organisation.partnership].append(membership)
    current = partnership_get_current(request)
    partnerships = []
    for partnership, memberships in by_partnership.items():
        roles = {membership.role for membership in memberships}
        partnerships.append(
            {
                "partnership": partnership,
                "memberships": memberships,
                "can_manage": permissions.can_manage_partnership(user, partnership, roles=roles),
                "can_view_audit": permissions.can_view_audit_log(user, partnership),
                # What the apps above accounts have to say (core.home_panels; cached only).
                "panels": home_panels_for(
                    user=user,
                    partnership=partnership,
                    roles=roles,
                    is_current=current is not None and current.pk == partnership.pk,
                ),
            }
        )
    return render(
        request,
        "accounts/staff_home.html",
        {
            "partnerships": partnerships,
            "current": current,
            "is_system_admin": permissions.is_system_admin(user),
            "can_create_partnership": permissions.can_create_partnership(user),
            "invitations": invitation_list_pending_for_user(user=user),
            "all_partnerships": partnership_list_visible(user=user).order_by("name")
            if permissions.is_system_admin(user)
            else [],
        },
    )


@sign_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def switch_partnership_view(request: HttpRequest) -> HttpResponse:
    partnerships = partnership_list_for_user(user=request.user).order_by("name")
    current = partnership_get_current(request)
    form = SwitchPartnershipForm(
        _posted(request),
        partnerships=partnerships,
        initial={"partnership": str(current.pk) if current else None},
    )
    if request.method == "POST" and form.is_valid():
        request.session[CURRENT_PARTNERSHIP_SESSION_KEY] = form.cleaned_data["partnership"]
        messages.success(request, "Partnership switched.")
        return redirect("accounts:staff_home")
    return render(request, "accounts/switch_partnership.html", {"form": form})


@sign_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def partnership_add_view(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_partnership(request.user):
        raise PermissionDenied(services.NOT_ALLOWED_PARTNERSHIP)
    form = PartnershipForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(by=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        except ValidationError as error:  # from full_clean
            _add_validation_errors(form, error)
        else:
            messages.success(request, f"{partnership.name} added.")
            return redirect("accounts:partnership_detail", partnership_id=partnership.pk)
    return render(request, "accounts/partnership_add.html", {"form": form})


def _add_validation_errors(form, error: ValidationError) -> None:  # type: ignore[no-untyped-def]
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@sign_in_required
@require_safe
def partnership_detail_view(request: HttpRequest, partnership_id: str) -> HttpResponse:
    partnership = partnership_get_visible(user=request.user, partnership_id=partnership_id)
    return render(
        request,
        "accounts/partnership_detail.html",
        {
            "partnership": partnership,
            "organisations": organisation_list_for_partnership(partnership=partnership),
            "memberships": membership_list_for_partnership(partnership=partnership),
            "invitations": invitation_list_pending_for_partnership(partnership=partnership)
            if permissions.can_manage_members(request.user, partnership)
            else [],
            "can_manage": permissions.can_manage_partnership(request.user, partnership),
            "can_manage_members": permissions.can_manage_members(request.user, partnership),
        },
    )


def _managed_partnership(request: HttpRequest, partnership_id: str):  # type: ignore[no-untyped-def]
    partnership = partnership_get_visible(user=request.user, partnership_id=partnership_id)
    if not permissions.can_manage_members(request.user, partnership):
        raise PermissionDenied(services.NOT_ALLOWED_MANAGE)
    return partnership


@sign_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_add_view(request: HttpRequest, partnership_id: str) -> HttpResponse:
    partnership = _managed_partnership(request, partnership_id)
    form = OrganisationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                by=request.user, partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            _add_validation_errors(form, error)
        else:
            messages.success(request, f"{organisation.name} added.")
            return redirect("accounts:partnership_detail", partnership_id=partnership.pk)
    return render(
        request, "accounts/organisation_add.html", {"form": form, "partnership": partnership}
    )


@sign_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_invite_view(request: HttpRequest, partnership_id: str) -> HttpResponse:
    partnership = _managed_partnership(request, partnership_id)
    form = MemberInviteForm(
        _posted(request),
        organisations=organisation_list_for_partnership(partnership=partnership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                by=request.user, base_url=_base_url(request), **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error("email", error.message)
        except ValidationError as error:
            _add_validation_errors(form, error)
        else:
            if isinstance(membership, MembershipInvitation):
                messages.success(
                    request,
                    f"{membership.user.email} already has an account, so they have been sent an "
                    "invitation. They join when they accept it.",
                )
            else:
                messages.success(request, f"{membership.user.email} added and sent an e-mail.")
            return redirect("accounts:partnership_detail", partnership_id=partnership.pk)
    return render(
        request, "accounts/member_invite.html", {"form": form, "partnership": partnership}
    )


@sign_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_change_view(
    request: HttpRequest, partnership_id: str, membership_id: str
) -> HttpResponse:
    partnership = _managed_partnership(request, partnership_id)
    membership = membership_get_in_partnership(
        user=request.user, partnership=partnership, membership_id=membership_id
    )
    form = MemberRoleForm(_posted(request), initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(
                by=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except ApplicationError as error:
            form.add_error("role", error.message)
        else:
            messages.success(request, f"Role changed for {membership.user.email}.")
            return redirect("accounts:partnership_detail", partnership_id=partnership.pk)
    return render(
        request,
        "accounts/member_change.html",
        {"form": form, "partnership": partnership, "membership": membership},
    )


@sign_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_remove_view(
    request: HttpRequest, partnership_id: str, membership_id: str
) -> HttpResponse:
    partnership = _managed_partnership(request, partnership_id)
    membership = membership_get_in_partnership(
        user=request.user, partnership=partnership, membership_id=membership_id
    )
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(by=request.user, membership=membership)
        except ApplicationError as refusal:
            error = refusal.message
        else:
            messages.success(
                request, f"{membership.user.email} removed from {membership.organisation.name}."
            )
            return redirect("accounts:partnership_detail", partnership_id=partnership.pk)
    return render(
        request,
        "accounts/member_remove.html",
        {"partnership": partnership, "membership": membership, "error": error},
        status=400 if error else 200,
    )


@sign_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_respond_view(request: HttpRequest, invitation_id: str) -> HttpResponse:
    """The invited person (and only they) accepts or declines joining an organisation."""
    invitation = invitation_get_pending_for_user(user=request.user, invitation_id=invitation_id)
    if invitation.is_expired or invitation.status == MembershipInvitation.Status.CANCELLED:
        return render(
            request,
            "accounts/invitation_closed.html",
            {"invitation": invitation, "days": settings.SAFERPLACES_INVITATION_DAYS},
            status=410,
        )
    form = InvitationResponseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        partnership = invitation.organisation.partnership
        try:
            if form.cleaned_data["decision"] == "accept":
                services.invitation_accept(user=request.user, invitation=invitation)
                messages.success(request, f"You have joined {partnership.name}.")
            else:
                services.invitation_decline(user=request.user, invitation=invitation)
                messages.success(request, f"You declined the invitation to {partnership.name}.")
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("accounts:staff_home")
    return render(
        request, "accounts/invitation_respond.html", {"form": form, "invitation": invitation}
    )


@sign_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_cancel_view(
    request: HttpRequest, partnership_id: str, invitation_id: str
) -> HttpResponse:
    """A manager withdraws an invitation that has not been answered."""
    partnership = _managed_partnership(request, partnership_id)
    invitation = invitation_get_pending_in_partnership(
        user=request.user, partnership=partnership, invitation_id=invitation_id
    )
    error = None
    if request.method == "POST":
        try:
            services.invitation_cancel(by=request.user, invitation=invitation)
        except ApplicationError as refusal:  # answered meanwhile
            error = refusal.message
        else:
            messages.success(request, f"The invitation to {invitation.user.email} was cancelled.")
            return redirect("accounts:partnership_detail", partnership_id=partnership.pk)
    return render(
        request,
        "accounts/invitation_cancel.html",
        {"partnership": partnership, "invitation": invitation, "error": error},
        status=400 if error else 200,
    )


@sign_in_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_password_link_view(
    request: HttpRequest, partnership_id: str, membership_id: str
) -> HttpResponse:
    """A manager sends a member a single-use link to set a new password."""
    partnership = _managed_partnership(request, partnership_id)
    membership = membership_get_in_partnership(
        user=request.user, partnership=partnership, membership_id=membership_id
    )
    if request.method == "POST":
        services.password_link_send(
            by=request.user, membership=membership, base_url=_base_url(request)
        )
        messages.success(
            request, f"A link to set a new password has been sent to {membership.user.email}."
        )
        return redirect("accounts:partnership_detail", partnership_id=partnership.pk)
    return render(
        request,
        "accounts/member_password_link.html",
        {
            "partnership": partnership,
            "membership": membership,
            "days": settings.PASSWORD_RESET_TIMEOUT // (60 * 60 * 24),
        },
    )
