"""Sign-in lockout rules on top of django-axes (ASVS v5.0.0-6.3.1).

Two rules, each counted over the cool-off window (``AXES_COOLOFF_TIME``):

* one e-mail address from one IP address: ``AXES_FAILURE_LIMIT`` failures (5) lock it;
* one IP address, whatever e-mail addresses it tries: ``SAFERPLACES_AXES_IP_FAILURE_LIMIT``
  failures (30) lock that address out (password spraying across many accounts).

Axes compares one number with one limit, so the handler reports the worst rule as a count on
the e-mail-address scale. The e-mail address axes sees is normalised the way sign-in matches it
(surrounding spaces dropped, lower case), so ``Name@Example.org`` and ``name@example.org`` count
as the same account.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

IP_ONLY = ["ip_address"]


def normalised_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The e-mail address as sign-in matches it: stripped, lower case (AXES_USERNAME_CALLABLE)."""
    value = None
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None and request is not None:
        data = getattr(request, "POST", {})
        value = data.get("email") or data.get(settings.AXES_USERNAME_FORM_FIELD)
    return str(value or "").strip().lower()


def _rule_limit(rule: Any, request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    if list(rule if isinstance(rule, list | tuple) else [rule]) == IP_ONLY:
        return int(settings.SAFERPLACES_AXES_IP_FAILURE_LIMIT)
    return get_failure_limit(request, credentials)


class LockoutHandler(AxesDatabaseHandler):
    """Per-rule limits; a successful sign-in clears only that account's failures from that IP."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        worst = 0
        rules = settings.AXES_LOCKOUT_PARAMETERS
        for rule, attempts in zip(rules, self.get_user_attempts(request, credentials), strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            rule_limit = _rule_limit(rule, request, credentials)
            if count >= rule_limit:
                return max(limit, count)
            # Below its own limit a rule never locks, whatever its scale.
            worst = max(worst, min(count, limit - 1))
        return worst

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        # Signing in to one's own account must not wipe an address's failures on other accounts.
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return deleted

    def reset_attempts(
        self,
        *,
        ip_address: str | None = None,
        username: str | None = None,
        ip_or_username: bool = False,
    ) -> int:
        # `manage.py axes_reset…` and axes.utils.reset come here: an unlock is a security event
        # whoever does it, so it is audited like the admin site's unlock (no actor: a shell).
        from saferplaces.audit.services import audit_record

        count = super().reset_attempts(
            ip_address=ip_address, username=username, ip_or_username=ip_or_username
        )
        audit_record(
            actor=None,
            verb="auth.lockout_cleared",
            object_type="axes.accessattempt",
            object_id="",
            summary={
                "ip_address": ip_address,
                "username": username,
                "failures_forgotten": count,
                "via": "command line (axes_reset)",
            },
        )
        return count
