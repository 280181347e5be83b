"""Settings shared by every environment. Values come from the environment (twelve-factor)."""

from __future__ import annotations

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from saferplaces.config.env import env_bool, env_list

# src/saferplaces/config/settings/base.py -> repository root is five parents up.
BASE_DIR = Path(__file__).resolve().parents[4]
PACKAGE_DIR = Path(__file__).resolve().parents[2]

SAFERPLACES_ENV = os.environ.get("SAFERPLACES_ENV", "development")
DATA_DIR = Path(os.environ.get("SAFERPLACES_DATA_DIR", "var")).expanduser().resolve()
SAFERPLACES_SHARED_DATA = (
    Path(os.environ.get("SAFERPLACES_SHARED_DATA", BASE_DIR.parent / "shared" / "data"))
    .expanduser()
    .resolve()
)

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "saferplaces.core",
    "saferplaces.accounts",
    "saferplaces.audit",
    "saferplaces.analytics",
    "saferplaces.neighbourhoods",
    "saferplaces.assessments",
    "saferplaces.calendar_events",
    "saferplaces.plans",
    "saferplaces.indicators",
    "saferplaces.community",
    "saferplaces.casereview",
    "saferplaces.concerns",
    "saferplaces.surveys",
    "saferplaces.alerts",
    "saferplaces.privacy",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "csp",
]

MIDDLEWARE = [
    # The header middleware come before WhiteNoise, so static files get the same security
    # headers (CSP, X-Frame-Options, nosniff, Referrer-Policy, HSTS) as pages.
    "django.middleware.security.SecurityMiddleware",
    "saferplaces.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "saferplaces.audit.middleware.AuditContextMiddleware",
    "saferplaces.accounts.middleware.SessionTimeoutMiddleware",
    "saferplaces.accounts.middleware.TwoFactorMiddleware",
    # Axes must come last so it sees the response of the sign-in view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "saferplaces.config.urls"
WSGI_APPLICATION = "saferplaces.config.wsgi.application"

TEMPLATES = [
    {
        # Our own pages are Jinja2 (govuk-frontend-jinja). Only our apps' templates/ folders are
        # searched, so Django-language templates (admin) are never parsed as Jinja.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "saferplaces.core.jinja2.environment",
            "context_processors": [
                "django.contrib.messages.context_processors.messages",
                "saferplaces.core.context_processors.layout",
            ],
        },
    },
    {
        # The Django admin keeps its own templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.DjangoTemplates"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'saferplaces.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "accounts:staff_home"
LOGOUT_REDIRECT_URL = "core:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 72  # invitation links last three days

# django-axes (rules in saferplaces.accounts.lockout): 5 failures for one e-mail address (any
# case) from one IP address, or 30 failures from one IP address over any e-mail addresses
# -> 15 minutes' cool-off.
AXES_FAILURE_LIMIT = 5
SAFERPLACES_AXES_IP_FAILURE_LIMIT = 30
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["ip_address"]]
AXES_HANDLER = "saferplaces.accounts.lockout.LockoutHandler"
AXES_USERNAME_CALLABLE = "saferplaces.accounts.lockout.normalised_username"
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "saferplaces.accounts.views.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # axes would otherwise log e-mail addresses (personal data)
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("SAFERPLACES_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
# Retention (docs/security.md): no access log (the audit log records sign-ins), no request data
# kept with a failure (audit.signals blanks it; these fields are masked as a second line), and
# `manage.py saferplaces_purge_access_logs` removes sign-in records older than this many days.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "email", "password", "otp_token", "csrfmiddlewaretoken"]
SAFERPLACES_ACCESS_LOG_DAYS = int(os.environ.get("SAFERPLACES_ACCESS_LOG_DAYS", "30"))

OTP_TOTP_ISSUER = "SaferPlaces"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1  # also throttles the hashed backup codes (accounts.BackupCodeDevice)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows TOTP keys or backup codes
# Every account needs two-factor (ASVS v5.0.0-6.3.2). Only a demo may turn it off for staff
# (system administrators always need it); production settings refuse to start without it.
SAFERPLACES_REQUIRE_2FA_FOR_ALL = env_bool("SAFERPLACES_REQUIRE_2FA_FOR_ALL", True)

# A membership invitation to someone who already has an account expires after this many days.
SAFERPLACES_INVITATION_DAYS = int(os.environ.get("SAFERPLACES_INVITATION_DAYS", "14"))

# Sessions: idle and absolute timeouts are enforced by accounts.middleware.SessionTimeoutMiddleware.
SAFERPLACES_SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SAFERPLACES_SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=10)
SESSION_COOKIE_AGE = int(SAFERPLACES_SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "saferplaces.core.views.csrf_failure"

# Security headers (the rest are in production.py because they need HTTPS).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SAFERPLACES_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Upload limits: requests above these are refused before a view sees them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SAFERPLACES_STATIC_ROOT", BASE_DIR / "staticfiles"))
_FRONTEND_BUILD = BASE_DIR / "build" / "static"
STATICFILES_DIRS = [_FRONTEND_BUILD] if _FRONTEND_BUILD.exists() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Favicons and web manifest: one place to change them (paths under STATIC_URL; empty = left out).
# GOV.UK Frontend 6.3 keeps its icons in govuk/assets/images/ and govuk/assets/manifest.json, but
# those show the crown, which a service not on GOV.UK must not use; the front-end build ships
# our own app/images/favicon.svg instead. A partnership can point these at its own files.
SAFERPLACES_ICONS = {
    "favicon_svg": os.environ.get("SAFERPLACES_FAVICON_SVG", "app/images/favicon.svg"),
    "favicon_ico": os.environ.get("SAFERPLACES_FAVICON_ICO", ""),
    "mask_icon": os.environ.get("SAFERPLACES_MASK_ICON", ""),
    "apple_touch_icon": os.environ.get("SAFERPLACES_APPLE_TOUCH_ICON", ""),
    "manifest": os.environ.get("SAFERPLACES_MANIFEST", ""),
}
SAFERPLACES_SERVICE_NAME = "SaferPlaces"
# Where people send feedback and accessibility requests: the partnership's own form (URL) and/or
# e-mail address. The beta banner, the footer and the accessibility statement use them.
SAFERPLACES_FEEDBACK_URL = os.environ.get("SAFERPLACES_FEEDBACK_URL", "")
SAFERPLACES_FEEDBACK_EMAIL = os.environ.get("SAFERPLACES_FEEDBACK_EMAIL", "")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SaferPlaces <no-reply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Base URL used in e-mailed links (invitations); falls back to the request's host.
SAFERPLACES_BASE_URL = os.environ.get("SAFERPLACES_BASE_URL", "")

# Background tasks (DESIGN.md §4): a database-backed queue run by `manage.py db_worker`.
# django-tasks 0.12 no longer ships its database backend; it is the separate package
# "django-tasks-db" (app django_tasks_db). Without it tasks would run inside the web request:
# production refuses to start that way (check saferplaces.E001) unless the operator names the
# immediate backend in SAFERPLACES_TASKS_BACKEND on purpose. See docs/admin-guide.md.
HAS_TASKS_DB = importlib.util.find_spec("django_tasks_db") is not None
if HAS_TASKS_DB:
    INSTALLED_APPS.append("django_tasks_db")
SAFERPLACES_TASKS_BACKEND_CHOSEN = os.environ.get("SAFERPLACES_TASKS_BACKEND", "").strip()
TASKS = {
    "default": {
        "BACKEND": SAFERPLACES_TASKS_BACKEND_CHOSEN
        or (
            "django_tasks_db.DatabaseBackend"
            if HAS_TASKS_DB
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Logging: no request bodies, no e-mail addresses; the audit log is the record of who did what.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SAFERPLACES_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO: a PDF would print a dozen lines.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.security.DisallowedHost": {"level": "ERROR"},
    },
}

# A cache on disk in the data folder: every server process and the management commands share it,
# so `make run` can compute the crime figures once before the first page view. A deployment with
# several servers can point this at Redis instead (docs/admin-guide.md).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

# Crime maps (Leaflet) draw boundaries on a plain background, so they work offline. A tile layer
# is optional: SAFERPLACES_MAP_TILE_URL like https://tile.example.org/{z}/{x}/{y}.png (a {s}
# subdomain becomes a wildcard), with its attribution. Its origin is added to img-src, the only
# change the tiles need in the Content-Security-Policy.
SAFERPLACES_MAP_TILE_URL = os.environ.get("SAFERPLACES_MAP_TILE_URL", "").strip()
SAFERPLACES_MAP_TILE_ATTRIBUTION = os.environ.get("SAFERPLACES_MAP_TILE_ATTRIBUTION", "").strip()
if SAFERPLACES_MAP_TILE_URL:
    from urllib.parse import urlsplit

    _tiles = urlsplit(SAFERPLACES_MAP_TILE_URL.replace("{s}.", "subdomain-placeholder."))
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_tiles.scheme}://{_tiles.netloc.replace('subdomain-placeholder.', '*.')}"
    )

# Public forms (report a concern, case review, surveys, alerts: saferplaces.core.public_forms):
# posts per client address, counted in the shared cache. "60/h" is sixty an hour; a council
# behind one shared address (a library, a school) may need more.
SAFERPLACES_PUBLIC_FORM_RATE = os.environ.get("SAFERPLACES_PUBLIC_FORM_RATE", "60/h")
