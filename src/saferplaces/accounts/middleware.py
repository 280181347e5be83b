from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from saferplaces.accounts import permissions
from saferplaces.audit.services import audit_record

SESSION_STARTED_KEY = "saferplaces_auth_started"
SESSION_LAST_SEEN_KEY = "saferplaces_last_seen"


class SessionTimeoutMiddleware:
    """Sign the user out after 30 minutes idle or 10 hours in all (ASVS v5.0.0-7.3)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED_KEY, now)
            last_seen = request.session.get(SESSION_LAST_SEEN_KEY, now)
            idle = settings.SAFERPLACES_SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SAFERPLACES_SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if now - last_seen > idle or now - started > absolute:
                reason = "idle" if now - last_seen > idle else "absolute"
                audit_record(
                    actor=request.user,
                    verb="auth.session_expired",
                    target=request.user,
                    summary={"reason": reason},
                    request=request,
                )
                request.saferplaces_session_expired = True  # type: ignore[attr-defined]
                logout(request)
                messages.info(request, "You were signed out because your session timed out.")
                return redirect_to_login(request.get_full_path())
            request.session[SESSION_STARTED_KEY] = started
            request.session[SESSION_LAST_SEEN_KEY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Finish two-factor sign-in before anything else; administrators must set it up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified():
            if user_has_device(user):
                target = "accounts:verify_two_factor"
            elif permissions.requires_two_factor(user):
                target = "accounts:set_up_two_factor"
            else:
                target = None
            if target is not None:
                request.saferplaces_second_factor_pending = True  # type: ignore[attr-defined]
                allowed = {reverse(target), reverse("accounts:sign_out")}
                if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                    url = reverse(target)
                    if request.method == "GET":
                        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
                    return redirect(url)
        return self.get_response(request)
