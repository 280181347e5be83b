from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "saferplaces.community"
    label = "community"
    verbose_name = "Community network and neighbourhood forums"

    def ready(self) -> None:
        from saferplaces.community import registrations

        registrations.register_all()
