from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "saferplaces.analytics"
    label = "analytics"
    verbose_name = "Crime analytics"

    def ready(self) -> None:
        # The staff home (accounts) may not import analytics; it shows what is registered.
        from saferplaces.analytics.home import analytics_home_panels
        from saferplaces.core.home_panels import home_panel_register

        home_panel_register("analytics", analytics_home_panels)
