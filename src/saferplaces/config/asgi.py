import os

from django.core.asgi import get_asgi_application

os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE",
    f"saferplaces.config.settings.{os.environ.get('SAFERPLACES_ENV', 'production')}",
)
application = get_asgi_application()
