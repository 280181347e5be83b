from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "saferplaces.plans"
    label = "plans"
    verbose_name = "Community safety plans"

    def ready(self) -> None:
        # The public home page lists published plans; core may not import this app.
        from saferplaces.core.home_panels import public_home_register
        from saferplaces.plans.public import plans_published

        public_home_register("plans", lambda: {"published_plans": plans_published()})
