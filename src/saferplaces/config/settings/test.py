"""Settings for pytest: fast hashing, in-memory e-mail, tasks run immediately."""

from __future__ import annotations

from saferplaces.config.settings.base import *  # noqa: F403

SAFERPLACES_ENV = "test"
DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "x" * 40  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SAFERPLACES_BASE_URL = "http://testserver"

# Serve static files from the finders (build/static) without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# django-otp doubles a wait after each wrong code; tests that enter a wrong code and then the
# right one would otherwise have to sleep. Production keeps the throttle (base.py).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Each test process keeps its own cache in memory, so tests never see one another's entries.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The staff home prepares the dashboard's headline figures in a background thread when they are
# not cached yet; tests prepare them explicitly instead, so what a page shows never races.
SAFERPLACES_HOME_FIGURES_IN_BACKGROUND = False
