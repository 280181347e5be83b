import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE",
    f"saferplaces.config.settings.{os.environ.get('SAFERPLACES_ENV', 'production')}",
)
application = get_wsgi_application()
