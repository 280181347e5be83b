from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "saferplaces.concerns"
    label = "concerns"
    verbose_name = "Residents' concerns"

    def ready(self) -> None:
        from saferplaces.concerns import registrations

        registrations.register_all()
