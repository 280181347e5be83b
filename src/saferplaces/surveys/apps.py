from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "saferplaces.surveys"
    label = "surveys"
    verbose_name = "Surveys and consultations"

    def ready(self) -> None:
        from saferplaces.surveys import registrations

        registrations.register()
