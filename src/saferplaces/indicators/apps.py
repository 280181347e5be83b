from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "saferplaces.indicators"
    label = "indicators"
    verbose_name = "Indicators, exceptions and board packs"
    default_auto_field = "django.db.models.BigAutoField"
