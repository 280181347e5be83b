from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "saferplaces.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from saferplaces.core import checks  # noqa: F401 - registers the start-up checks
