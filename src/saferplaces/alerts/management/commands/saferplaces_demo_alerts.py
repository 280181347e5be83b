"""Give the demo partnership a few confirmed alert subscribers and one sent alert. Idempotent.

The subscribers are generated for the demonstration: their addresses say so
(``generated-resident-1@example.org``; example.org never receives mail), and the alert is
marked as generated, which the staff page and the e-mail show.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from saferplaces.accounts.models import Partnership, Role, User
from saferplaces.alerts import services
from saferplaces.alerts.models import Alert, Subscription

DEMO_GSS_CODE = "E22000170"  # North West Leicestershire CSP (saferplaces_setup_demo)
MANAGER = "manager@demo.saferplaces.test"
# The same key every run: the alert is made (and e-mailed) once.
ALERT_KEY = uuid.UUID("5b0c1d1e-0a1e-4c57-9d0e-a1e27de30001")
SUBSCRIBERS = [
    ("generated-resident-1@example.org", ["crime", "meetings"]),
    ("generated-resident-2@example.org", ["crime", "advice"]),
    ("generated-resident-3@example.org", ["meetings", "consultations"]),
    ("generated-resident-4@example.org", ["crime", "meetings", "consultations", "advice"]),
]


class Command(BaseCommand):
    help = "Demo alert subscribers (generated) and one sent alert for the demo partnership."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        # Demo e-mails are kept in memory, not printed where they would bury `make run`'s
        # sign-in details (a real deployment sends them: admin guide).
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        partnership = Partnership.objects.filter(gss_code=DEMO_GSS_CODE).first()
        if partnership is None:
            raise CommandError("No demo partnership: run `manage.py saferplaces_setup_demo` first.")
        manager = User.objects.filter(email=MANAGER).first()
        if manager is None:
            raise CommandError(f"No demo user {MANAGER}: run saferplaces_setup_demo.")
        now = timezone.now()
        made = 0
        for email, topics in SUBSCRIBERS:
            # Stored as already confirmed: the double opt-in is for real addresses, and these
            # are generated ones that cannot receive the confirmation e-mail.
            _, created = Subscription.objects.get_or_create(
                partnership=partnership,
                email=email,
                defaults={
                    "areas": ["all"],
                    "topics": topics,
                    "status": Subscription.Status.CONFIRMED,
                    "consent_text": services.CONSENT_TEXT,
                    "consented_at": now,
                    "confirmed_at": now,
                },
            )
            made += int(created)
        alert_exists = Alert.objects.filter(submission_key=ALERT_KEY).exists()
        alert = services.alert_send(
            partnership=partnership,
            by=manager,
            roles={Role.PARTNERSHIP_MANAGER},
            title="Community safety meeting in Coalville",
            body=(
                "Come and tell the partnership what matters to you in your neighbourhood. "
                "Officers from the police and the council will be there to answer questions "
                "about antisocial behaviour and the plan for the next year."
            ),
            area="all",
            topic="meetings",
            key=ALERT_KEY,
            is_generated=True,
        )
        if alert.status == Alert.Status.SENDING:
            # `make run` starts no task worker: deliver here so the demo shows a sent alert.
            # Safe with a worker too: it finds every delivery made and e-mails nobody again.
            services.alert_deliver_run(alert_id=str(alert.pk))
        self.stdout.write(
            self.style.SUCCESS(
                f"Alerts: {made} generated subscribers added ({len(SUBSCRIBERS)} in all); "
                + ("the demo alert was already sent." if alert_exists else "one alert sent.")
            )
        )
