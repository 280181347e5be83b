from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "saferplaces.assessments"
    label = "assessments"
    verbose_name = "Strategic assessments"
