from django.apps import AppConfig


class CaseReviewConfig(AppConfig):
    name = "saferplaces.casereview"
    label = "casereview"
    verbose_name = "ASB case reviews (Community Trigger)"

    def ready(self) -> None:
        from saferplaces.casereview import registrations

        registrations.register()
