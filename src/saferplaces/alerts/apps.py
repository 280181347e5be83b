from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "saferplaces.alerts"
    label = "alerts"
    verbose_name = "Alerts to residents"

    def ready(self) -> None:
        from saferplaces.alerts import registrations

        registrations.register()
