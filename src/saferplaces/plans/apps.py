from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "saferplaces.plans"
    label = "plans"
    verbose_name = "Community safety plans"
