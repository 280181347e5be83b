"""Development: DEBUG on, console e-mail, a secret key generated once into the data folder."""

from __future__ import annotations

import os
import secrets

from saferplaces.config.env import env_bool
from saferplaces.config.settings.base import *  # noqa: F403
from saferplaces.config.settings.base import DATA_DIR

SAFERPLACES_ENV = "development"
DEBUG = env_bool("DEBUG", True)

DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Serve static files from the finders (build/static) without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
