"""Start-up checks: run by ``manage.py check`` and migrate, and by the WSGI module on import
(``saferplaces.config.wsgi``), so gunicorn refuses to start rather than serve a broken set-up."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning

# The tag of the checks the WSGI module runs before serving (config/wsgi.py).
STARTUP = "saferplaces_startup"

# Backends that run a task inside the request that enqueued it (or never run it at all).
IN_REQUEST_BACKENDS = {
    "django_tasks.backends.immediate.ImmediateBackend",
    "django_tasks.backends.dummy.DummyBackend",
}


@register(STARTUP)
def check_tasks_backend(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Production must not fall back silently to running background tasks inside requests.

    Without a worker backend (django-tasks-db and ``manage.py db_worker``) e-mails and imports
    would run inside the web request: slow pages, and a failure shown to the wrong person. An
    operator may still choose that on purpose (a small trial) by naming the immediate backend in
    SAFERPLACES_TASKS_BACKEND; what is refused is arriving there by default.
    """
    if getattr(settings, "SAFERPLACES_ENV", "") != "production":
        return []
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    chosen = getattr(settings, "SAFERPLACES_TASKS_BACKEND_CHOSEN", "")
    if backend in IN_REQUEST_BACKENDS and backend != chosen:
        return [
            Error(
                "Background tasks would run inside web requests: no worker backend is installed.",
                hint="Install django-tasks-db and run `manage.py db_worker` beside the web "
                "server, or set SAFERPLACES_TASKS_BACKEND="
                "django_tasks.backends.immediate.ImmediateBackend to accept running them "
                "inside requests (docs/admin-guide.md).",
                id="saferplaces.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_feedback_contact(app_configs: Any = None, **kwargs: Any) -> list[CheckWarning]:
    """The accessibility statement must say how to reach the partnership (PSBAR 2018)."""
    if settings.SAFERPLACES_FEEDBACK_EMAIL or settings.SAFERPLACES_FEEDBACK_URL:
        return []
    return [
        CheckWarning(
            "No feedback contact: the accessibility statement and 'Tell us what you think' "
            "give no way to reach the partnership.",
            hint="Set SAFERPLACES_FEEDBACK_EMAIL and/or SAFERPLACES_FEEDBACK_URL "
            "(docs/admin-guide.md).",
            id="saferplaces.W002",
        )
    ]
