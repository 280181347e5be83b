from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from saferplaces.accounts.middleware import (
    SESSION_LAST_SEEN_KEY,
    SESSION_RECORD_KEY,
    SESSION_RECORD_KEY_SEEN,
    SESSION_RECORD_TOUCHED,
    SESSION_STARTED_KEY,
)


@receiver(user_logged_in, dispatch_uid="accounts_session_started")
def _session_started(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        from saferplaces.accounts import services

        now = time.time()
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_LAST_SEEN_KEY] = now
        record = services.user_session_record(request=request, user=user)
        request.session[SESSION_RECORD_KEY] = str(record.pk)
        request.session[SESSION_RECORD_KEY_SEEN] = record.session_key
        request.session[SESSION_RECORD_TOUCHED] = now


@receiver(user_logged_out, dispatch_uid="accounts_session_ended")
def _session_ended(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        from saferplaces.accounts import services

        services.user_session_forget(session_key=request.session.session_key)
