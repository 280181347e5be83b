from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "saferplaces.assessments"
    label = "assessments"
    verbose_name = "Strategic assessments"

    def ready(self) -> None:
        # The staff home's set-up checklist ends with the first assessment; core and analytics
        # may not import this app, so it registers the step itself.
        from saferplaces.core.home_panels import setup_step_register

        setup_step_register("assessment", _first_assessment_step)


def _first_assessment_step(partnership: object) -> dict[str, object]:
    from django.urls import reverse

    from saferplaces.assessments.models import Assessment, AssessmentStatus

    versions = Assessment.objects.filter(partnership=partnership)
    approved = versions.filter(status__in=(AssessmentStatus.APPROVED, "superseded")).exists()
    status = "Approved" if approved else ("Started" if versions.exists() else "Not started")
    return {
        "text": "Start the first strategic assessment",
        "done": approved,
        "status": status,
        "href": reverse("assessments:list"),
    }
