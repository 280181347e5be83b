"""Development (`make run`): console e-mail, a secret key generated once into the data folder.

DEBUG is off unless asked for with SAFERPLACES_DEBUG=1: a debug page lists every URL pattern and
setting, and `make run` is also how people try the service on a shared machine. Static files are
served by WhiteNoise straight from the front-end build (no collectstatic), with DEBUG on or off.
"""

from __future__ import annotations

import os
import secrets

from saferplaces.config.datadir import FILE_MODE, ensure_private_dir, ensure_private_sqlite
from saferplaces.config.env import env_bool
from saferplaces.config.settings.base import *  # noqa: F403
from saferplaces.config.settings.base import DATA_DIR, DATABASES

SAFERPLACES_ENV = "development"
DEBUG = env_bool("SAFERPLACES_DEBUG", False)

ensure_private_dir(DATA_DIR)
ensure_private_sqlite(DATABASES["default"])


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Serve static files from the finders (build/static) without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Links in e-mails (exception reports, invitations) point at the development server.
SAFERPLACES_BASE_URL = os.environ.get("SAFERPLACES_BASE_URL", "http://127.0.0.1:8000")
# The demo set-up runs tasks in-process: their start/finish lines would bury the sign-in details.
LOGGING["loggers"]["django_tasks"] = {"level": "WARNING"}  # noqa: F405 - from base
