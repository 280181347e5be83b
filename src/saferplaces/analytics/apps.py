from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "saferplaces.analytics"
    label = "analytics"
    verbose_name = "Crime analytics"
