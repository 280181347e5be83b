"""Draft the demo partnership's strategic assessment for 2025 from the data folder. Idempotent."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from saferplaces.accounts.models import Membership, Partnership, Role
from saferplaces.assessments import services
from saferplaces.assessments.models import Assessment, AssessmentStatus
from saferplaces.assessments.selectors import crime_months_held
from saferplaces.assessments.tasks import assessment_build_run
from saferplaces.core.exceptions import ApplicationError

DEMO_GSS_CODE = "E22000170"  # North West Leicestershire CSP (saferplaces_setup_demo)
DEMO_ANALYST = "analyst@demo.saferplaces.test"
LAST_MONTH = date(2025, 12, 1)
CHOICES = {
    "last_month": LAST_MONTH,
    "months": 12,
    "trend_months": 36,
    "comparator": "rest-of-force",
    "include_harm": True,
}


class Command(BaseCommand):
    help = (
        "Draft a strategic assessment for 2025 for the demo partnership, from the crime data "
        "in SAFERPLACES_DATA_DIR, synchronously (no worker needed). Does nothing when the demo "
        "partnership already has a 2025 assessment. Run after saferplaces_setup_demo and "
        "saferplaces_load_demo_data."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = Partnership.objects.filter(gss_code=DEMO_GSS_CODE).first()
        if partnership is None:
            raise CommandError("No demo partnership: run `manage.py saferplaces_setup_demo` first.")
        existing = Assessment.objects.filter(
            partnership=partnership,
            options__last_month=LAST_MONTH.isoformat(),
        ).exclude(status=AssessmentStatus.FAILED)
        if existing.exists():
            self.stdout.write("The demo partnership already has a 2025 assessment; nothing to do.")
            return
        membership = (
            Membership.objects.filter(
                organisation__partnership=partnership, role=Role.ANALYST, user__email=DEMO_ANALYST
            )
            .select_related("user")
            .first()
        )
        if membership is None:
            raise CommandError(f"No demo analyst ({DEMO_ANALYST}): run saferplaces_setup_demo.")
        held = crime_months_held(partnership=partnership)
        try:
            # The row is queued here and built below in this process, so `make run` leaves a
            # draft ready whether or not a task worker is running.
            assessment = services.assessment_build_request(
                partnership=partnership,
                by=membership.user,
                roles={Role.ANALYST},
                choices=CHOICES,
                held=held,
                enqueue=False,
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        status = assessment_build_run(assessment_id=str(assessment.pk))
        assessment.refresh_from_db()
        if status != "draft":
            raise CommandError(
                f"The demo assessment could not be built: {assessment.error_message}"
            )
        self.stdout.write(self.style.SUCCESS(f"Drafted: {assessment.title} (draft, not approved)."))
