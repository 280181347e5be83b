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
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferplaces.accounts import permissions, selectors
from saferplaces.audit.services import audit_record

SESSION_STARTED_KEY = "saferplaces_auth_started"
SESSION_LAST_SEEN_KEY = "saferplaces_last_seen"
# The UserSession row for this browser, the session key it was written with, and when.
SESSION_RECORD_KEY = "saferplaces_session_record"
SESSION_RECORD_KEY_SEEN = "saferplaces_session_record_key"
SESSION_RECORD_TOUCHED = "saferplaces_session_record_touched"
RECORD_TOUCH_EVERY = 60  # seconds: "last seen" on the sessions page is accurate to a minute


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
            _touch_session_record(request, now)
        return self.get_response(request)


def _touch_session_record(request: HttpRequest, now: float) -> None:
    """Keep the session's row (see the "Signed-in sessions" page) current, cheaply."""
    from saferplaces.accounts import services

    session = request.session
    record_id = session.get(SESSION_RECORD_KEY)
    if not record_id:
        return
    key = session.session_key
    if key != session.get(SESSION_RECORD_KEY_SEEN) or (
        now - session.get(SESSION_RECORD_TOUCHED, 0) > RECORD_TOUCH_EVERY
    ):
        services.user_session_touch(record_id=record_id, session_key=key or "")
        session[SESSION_RECORD_KEY_SEEN] = key
        session[SESSION_RECORD_TOUCHED] = now


class TwoFactorMiddleware:
    """Finish two-factor sign-in before anything else; set it up first if it is required."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        target = None
        if user.is_authenticated and not user.is_verified():
            if user_has_device(user):
                target = "accounts:verify_two_factor"
            elif permissions.requires_two_factor(user):
                target = "accounts:set_up_two_factor"
        elif (
            user.is_authenticated
            and not isinstance(user.otp_device, TOTPDevice)
            and permissions.requires_two_factor(user)
            and not selectors.authenticator_exists(user=user)
        ):
            # Verified with a backup code but no authenticator app (it was replaced or lost):
            # set up the new one before anything else.
            target = "accounts:set_up_two_factor"
        if target is not None:
            request.saferplaces_second_factor_pending = True  # type: ignore[attr-defined]
            allowed = {reverse(target), reverse("accounts:sign_out")}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                url = reverse(target)
                if request.method == "GET":
                    url = f"{url}?{urlencode({'next': request.get_full_path()})}"
                return redirect(url)
        return self.get_response(request)
