import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE",
    f"saferplaces.config.settings.{os.environ.get('SAFERPLACES_ENV', 'production')}",
)
application = get_wsgi_application()


def _refuse_to_start_on_errors() -> None:
    """A WSGI server does not run Django's system checks: run the start-up ones here."""
    from django.core import checks

    from saferplaces.core.checks import STARTUP

    errors = [e for e in checks.run_checks(tags=[STARTUP]) if e.is_serious()]
    if errors:
        raise ImproperlyConfigured("\n".join(str(error) for error in errors))


_refuse_to_start_on_errors()


def _warm_up() -> None:
    """Import the analytics engine and prepare the dashboards on a thread (analytics.warmup)."""
    from saferplaces.analytics.warmup import warm_up_in_background

    warm_up_in_background()


_warm_up()
