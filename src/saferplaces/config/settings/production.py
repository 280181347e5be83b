"""Production: everything security-relevant on; refuses to start without a secret key."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from saferplaces.config.datadir import ensure_private_dir, ensure_private_sqlite
from saferplaces.config.env import env_bool
from saferplaces.config.settings.base import *  # noqa: F403
from saferplaces.config.settings.base import DATA_DIR, DATABASES

SAFERPLACES_ENV = "production"
DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        '(for example: python -c "import secrets; print(secrets.token_urlsafe(64))").'
    )

if not SAFERPLACES_REQUIRE_2FA_FOR_ALL:  # noqa: F405
    raise ImproperlyConfigured(
        "SAFERPLACES_REQUIRE_2FA_FOR_ALL=false is for demonstrations only: every account needs "
        "two-factor authentication in production."
    )

ensure_private_dir(DATA_DIR)
ensure_private_sqlite(DATABASES["default"])

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = env_bool("SAFERPLACES_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SAFERPLACES_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SAFERPLACES_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SAFERPLACES_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading commits the whole registered domain (often a council's) to HTTPS in browsers'
    # built-in lists; only the domain's owner can decide that. See docs/security.md.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("SAFERPLACES_BEHIND_PROXY", False):
    # Only when a trusted reverse proxy sets this header and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Keep database connections open between requests (a new PostgreSQL connection per request
# halved the public forms' throughput in the load benchmark, docs/benchmarks.md §8), and check
# a kept connection before use so a restarted database costs one retry, not an error page.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
