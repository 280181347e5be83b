from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "saferplaces.indicators"
    label = "indicators"
    verbose_name = "Indicators, exceptions and board packs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # After an import the bound indicators compute again (issue #14), by the task worker.
        from saferplaces.analytics.signals import crime_data_loaded
        from saferplaces.indicators.receivers import refresh_after_import

        crime_data_loaded.connect(refresh_after_import, dispatch_uid="indicators-refresh")
