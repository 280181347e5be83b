"""Signing in and out, two-factor, passwords."""

from __future__ import annotations

import base64
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import devices_for_user, user_has_device
from markupsafe import Markup

from saferplaces.accounts import permissions, services
from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.forms import ReauthenticateForm, SignInForm, TokenForm
from saferplaces.accounts.models import User
from saferplaces.accounts.selectors import (
    authenticator_exists,
    backup_code_device_for_user,
    backup_codes_remaining,
    user_session_get_for_user,
    user_session_list_for_user,
)
from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.forms_govuk import posted as _posted

SIGN_IN_FAILED = "Enter a correct e-mail address and password"


def _next_url(request: HttpRequest, default: str = "accounts:staff_home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def _with_next(request: HttpRequest, name: str) -> str:
    from urllib.parse import urlencode

    url = reverse(name)
    nxt = request.POST.get("next") or request.GET.get("next")
    return f"{url}?{urlencode({'next': nxt})}" if nxt else url


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method in ("GET", "HEAD"):
        return redirect(_next_url(request))
    form = SignInForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, None)
        if user is None:
            form.add_error(None, SIGN_IN_FAILED)
        else:
            login(request, user)
            if user_has_device(user):
                return redirect(_with_next(request, "accounts:verify_two_factor"))
            if permissions.requires_two_factor(user):
                return redirect(_with_next(request, "accounts:set_up_two_factor"))
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


def lockout_response(
    request: HttpRequest, credentials: Any, *args: Any, **kwargs: Any
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@sign_in_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify_two_factor_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified() or not user_has_device(user):
        return redirect(_next_url(request))
    form = TokenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        device = next((d for d in devices_for_user(user) if d.verify_token(token)), None)
        if device is not None:
            django_otp.login(request, device)
            audit_record(actor=user, verb="auth.second_factor_verified", target=user)
            return redirect(_next_url(request))
        audit_record(actor=user, verb="auth.second_factor_failed", target=user)
        form.add_error("token", services.WRONG_CODE)
    return render(
        request, "accounts/verify_two_factor.html", {"form": form, "next": _next_arg(request)}
    )


def _next_arg(request: HttpRequest) -> str:
    return request.POST.get("next") or request.GET.get("next", "")


def _qr_svg(url: str) -> Markup:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    svg = svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1
    )
    return Markup(svg)  # noqa: S704 - generated by qrcode from our own otpauth URL


@sign_in_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def set_up_two_factor_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user_has_device(user) and not user.is_verified():
        return redirect(_with_next(request, "accounts:verify_two_factor"))
    if authenticator_exists(user=user):
        return render(request, "accounts/two_factor_done.html", {})
    device = services.totp_device_get_or_create_unconfirmed(user=user)
    form = TokenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_device_confirm(user=user, device=device, token=form.cleaned_data["token"])
        except ApplicationError as error:
            form.add_error("token", error.message)
        else:
            django_otp.login(request, device)
            # Backup codes come with the first set-up; shown once, stored only as hashes.
            codes = None
            if not backup_codes_remaining(user=user):
                codes = services.backup_codes_generate(user=user)
            messages.success(request, "Two-factor authentication is set up.")
            if codes is None:
                return redirect(_next_url(request))
            return _render_backup_codes(request, codes, _next_url(request))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/set_up_two_factor.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": permissions.requires_two_factor(user),
            "is_system_admin": permissions.is_system_admin(user),
            "next": _next_arg(request),
        },
    )


def _render_backup_codes(request: HttpRequest, codes: list[str], continue_url: str) -> HttpResponse:
    response = render(
        request, "accounts/backup_codes.html", {"codes": codes, "continue_url": continue_url}
    )
    response["Cache-Control"] = "no-store"
    return response


def _reauthenticate(
    request: HttpRequest, form: ReauthenticateForm
) -> tuple[bool, HttpResponse | None]:
    """Check the re-entered password: (confirmed, the lockout page if now locked out)."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    if services.user_reauthenticate(request=request, password=form.cleaned_data["password"]):
        return True, None
    if getattr(request, "axes_locked_out", False):
        return False, lockout_response(request, None)
    form.add_error("password", "The password is not correct")
    return False, None


@sensitive_post_parameters("password")
@sign_in_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def backup_codes_regenerate_view(request: HttpRequest) -> HttpResponse:
    """New backup codes (the old ones stop working), after the password is entered again."""
    form = ReauthenticateForm(_posted(request))
    confirmed, refused = _reauthenticate(request, form)
    if refused is not None:
        return refused
    if confirmed:
        codes = services.backup_codes_generate(user=request.user)
        return _render_backup_codes(request, codes, reverse("accounts:account"))
    return render(
        request,
        "accounts/reauthenticate.html",
        {
            "form": form,
            "title": "Get new backup codes",
            "lead": "Your current backup codes will stop working. "
            "To protect your account, enter your password first.",
            "button": "Get new backup codes",
        },
    )


@sensitive_post_parameters("password")
@sign_in_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_change_view(request: HttpRequest) -> HttpResponse:
    """Replace the authenticator app, after the password is entered again."""
    form = ReauthenticateForm(_posted(request))
    confirmed, refused = _reauthenticate(request, form)
    if refused is not None:
        return refused
    if confirmed:
        services.totp_devices_remove(user=request.user)
        # The session stays verified (by the backup codes, if any) until the new app is set up.
        backup = backup_code_device_for_user(user=request.user)
        if backup is not None:
            django_otp.login(request, backup)
        messages.info(request, "Your old authenticator app no longer works. Set up the new one.")
        return redirect("accounts:set_up_two_factor")
    return render(
        request,
        "accounts/reauthenticate.html",
        {
            "form": form,
            "title": "Change your authenticator app",
            "lead": "Your current authenticator app will stop working, and you will set up a new "
            "one straight away. To protect your account, enter your password first.",
            "button": "Continue",
        },
    )


@require_POST
def sign_out_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("core:home")


@sign_in_required
@require_safe
def account_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "has_authenticator": authenticator_exists(user=user),
            "backup_codes_left": backup_codes_remaining(user=user),
            "session_count": user_session_list_for_user(user=user).count(),
        },
    )


@sign_in_required
@never_cache
@require_safe
def sessions_view(request: HttpRequest) -> HttpResponse:
    """Where the user is signed in; end any other session, or all of them."""
    current_key = request.session.session_key
    sessions = [
        {"record": record, "current": record.session_key == current_key}
        for record in user_session_list_for_user(user=request.user)
    ]
    return render(request, "accounts/sessions.html", {"sessions": sessions})


@sign_in_required
@require_POST
def session_end_view(request: HttpRequest, session_id: str) -> HttpResponse:
    record = user_session_get_for_user(user=request.user, session_id=session_id)
    if record.session_key == request.session.session_key:
        return redirect("accounts:sessions")  # this browser: use "Sign out" instead
    services.user_session_end(by=request.user, record=record)
    messages.success(request, "That session has ended.")
    return redirect("accounts:sessions")


@sign_in_required
@require_POST
def sessions_end_others_view(request: HttpRequest) -> HttpResponse:
    count = services.user_sessions_end_others(
        by=request.user, current_session_key=request.session.session_key
    )
    messages.success(
        request, "You are signed out everywhere else." if count else "No other sessions to end."
    )
    return redirect("accounts:sessions")


@sensitive_post_parameters()
@sign_in_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        services.user_password_set(
            user=request.user,
            password=form.cleaned_data["new_password1"],
            verb="auth.password_changed",
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, "Your password has been changed.")
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def set_password_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/set_password_invalid.html", {}, status=400)
    form = SetPasswordForm(user, _posted(request))
    if request.method == "POST" and form.is_valid():
        services.user_password_set(
            user=user, password=form.cleaned_data["new_password1"], verb="auth.password_set"
        )
        messages.success(request, "Your password is set. You can now sign in.")
        return redirect("accounts:sign_in")
    return render(request, "accounts/set_password.html", {"form": form, "email": user.email})


def admin_login_view(request: HttpRequest) -> HttpResponse:
    """The admin has no sign-in page of its own: everyone signs in (with two-factor) here."""
    if request.user.is_authenticated:
        # Signed in but not a (verified) system administrator.
        raise PermissionDenied("Only system administrators can use the administration pages.")
    return redirect(_with_next(request, "accounts:sign_in"))
