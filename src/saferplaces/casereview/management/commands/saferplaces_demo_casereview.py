"""Give the demo partnership its case review settings and two case reviews. Idempotent.

One request is waiting for a decision on the threshold; the other has been through the
threshold, the multi-agency review (with recommendations) and the outcome letter. Every text is
labelled as generated for the demonstration, and the records carry ``is_demonstration`` so the
staff pages and the published figures say so. No e-mail is sent.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from saferplaces.accounts.models import Organisation, Partnership, User
from saferplaces.casereview.models import (
    CaseReview,
    CaseReviewSettings,
    DeclaredReport,
    Recommendation,
    Status,
)
from saferplaces.casereview.services import _next_reference
from saferplaces.casereview.threshold import add_days, window_start

DEMO_GSS_CODE = "E22000170"  # North West Leicestershire CSP (saferplaces_setup_demo)
MANAGER = "manager@demo.saferplaces.test"
LABEL = "Generated for the demonstration. "
WAITING_KEY = uuid.uuid5(uuid.NAMESPACE_URL, "saferplaces-demo-casereview-waiting")
REVIEWED_KEY = uuid.uuid5(uuid.NAMESPACE_URL, "saferplaces-demo-casereview-reviewed")


class Command(BaseCommand):
    help = "Add demonstration ASB case reviews (and default threshold settings) to the demo."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        # Demo e-mails are kept in memory, not printed where they would bury `make run`'s
        # sign-in details (a real deployment sends them: admin guide).
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        partnership = Partnership.objects.filter(gss_code=DEMO_GSS_CODE).first()
        if partnership is None:
            raise CommandError("Run saferplaces_setup_demo first: no demo partnership.")
        settings_, _ = CaseReviewSettings.objects.get_or_create(partnership=partnership)
        organisations = list(Organisation.objects.filter(partnership=partnership).order_by("name"))
        if not organisations:
            raise CommandError("The demo partnership has no organisations.")
        lead = next((o for o in organisations if "Council" in o.name), organisations[0])
        police = next((o for o in organisations if "Police" in o.name), organisations[-1])
        manager = User.objects.filter(email=MANAGER).first()
        today = timezone.localdate()
        made = 0
        if not CaseReview.objects.filter(submission_key=WAITING_KEY).exists():
            self._waiting(partnership, settings_, today)
            made += 1
        if not CaseReview.objects.filter(submission_key=REVIEWED_KEY).exists():
            self._reviewed(partnership, settings_, today, lead, police, organisations, manager)
            made += 1
        self.stdout.write(f"Demo case reviews: {made} added.")

    def _base(self, partnership: Any, settings_: Any, received: Any, key: Any) -> CaseReview:
        return CaseReview(
            partnership=partnership,
            reference=_next_reference(received.year),
            submission_key=key,
            received_on=received,
            applicant_kind="victim",
            applicant_name="Demo Resident (generated)",
            email="resident@demo.saferplaces.test",
            reports_needed=settings_.reports_needed,
            window_months=settings_.window_months,
            window_start=window_start(received, settings_.window_months),
            decision_due=add_days(received, settings_.decision_days, settings_.day_kind),
            is_demonstration=True,
        )

    def _waiting(self, partnership: Any, settings_: Any, today: Any) -> None:
        received = today - timedelta(days=3)
        case_review = self._base(partnership, settings_, received, WAITING_KEY)
        case_review.problem = LABEL + (
            "Youths gather in the stairwell most evenings, shouting and leaving litter; "
            "residents feel intimidated using the stairs."
        )
        case_review.place = LABEL + "Stairwell of a block of flats, Coalville town centre"
        case_review.reports_counted = 3
        case_review.meets_threshold_on_count = True
        case_review.save()
        for days, agency, reference in ((100, "Police (101)", "DEMO-101-1"),
                                        (60, "District council", ""),
                                        (20, "Housing association", "DEMO-H-7")):  # fmt: skip
            DeclaredReport.objects.create(
                case_review=case_review, agency=agency,
                reported_on=received - timedelta(days=days), reference=reference,
            )  # fmt: skip

    def _reviewed(
        self,
        partnership: Any,
        settings_: Any,
        today: Any,
        lead: Any,
        police: Any,
        organisations: list[Any],
        manager: Any,
    ) -> None:
        received = today - timedelta(days=70)
        case_review = self._base(partnership, settings_, received, REVIEWED_KEY)
        case_review.problem = LABEL + (
            "Loud music and shouting from a neighbouring house late at night, several nights a "
            "week, for five months."
        )
        case_review.place = LABEL + "A residential street in Ashby-de-la-Zouch"
        case_review.reports_counted = 4
        case_review.meets_threshold_on_count = True
        decided = received + timedelta(days=7)
        case_review.threshold_met = True
        case_review.threshold_reason = LABEL + "Four reports about the same noise in six months."
        case_review.threshold_decided_by = manager
        case_review.threshold_decided_on = decided
        case_review.lead_organisation = lead
        case_review.review_due = add_days(decided, settings_.review_days, settings_.day_kind)
        case_review.review_held_on = decided + timedelta(days=21)
        case_review.other_agencies_present = "Victim Support"
        case_review.findings = LABEL + (
            "Each report was dealt with on its own; nobody linked them or visited the "
            "neighbour. The noise nuisance team was not told about the police reports."
        )
        case_review.review_decision = LABEL + (
            "A joint visit by the council and the police, noise monitoring, and one named "
            "contact for the resident."
        )
        case_review.reviewed_by = manager
        case_review.outcome_text = case_review.review_decision
        case_review.outcome_sent_on = case_review.review_held_on + timedelta(days=2)
        case_review.outcome_sent_by = manager
        case_review.appeal_due = add_days(
            case_review.outcome_sent_on, settings_.appeal_days, settings_.day_kind
        )
        case_review.status = Status.OUTCOME_SENT
        case_review.closed_on = case_review.outcome_sent_on
        case_review.save()
        case_review.agencies_present.set({lead, police})
        noise = "District council noise team"
        for days, agency in ((120, "Police (101)"), (90, noise), (40, "Police (101)"), (15, noise)):
            DeclaredReport.objects.create(
                case_review=case_review, agency=agency, reported_on=received - timedelta(days=days)
            )
        for text, owner, weeks in (
            ("Joint visit to the neighbour by the council and the police", lead, 2),
            ("Install noise monitoring equipment for four weeks", lead, 6),
            ("Name one officer as the resident's single point of contact", police, 1),
        ):
            Recommendation.objects.create(
                case_review=case_review, text=LABEL + text, owner_organisation=owner,
                due_date=case_review.review_held_on + timedelta(weeks=weeks),
            )  # fmt: skip
