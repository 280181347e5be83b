"""Give the demo partnership a baseline and a follow-up perception survey with generated answers,
both closed and published (small numbers suppressed), and one open survey to answer. Idempotent.

The answers are GENERATED (a seeded numpy random generator, so every run gives the same
figures): the surveys are marked ``generated`` and every page that shows their results says
"generated for the demonstration". The shares are set so the follow-up shows the kind of fall
the seed estate reported (fear of crime after dark from about 41% to about 27%).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from saferplaces.accounts.models import Partnership, User
from saferplaces.accounts.permissions import roles_in_partnership
from saferplaces.surveys import services
from saferplaces.surveys.models import EQUALITY_QUESTIONS, EqualityAnswers, Response, Survey

DEMO_GSS_CODE = "E22000170"  # North West Leicestershire CSP (saferplaces_setup_demo)
ANALYST = "analyst@demo.saferplaces.test"
SEED = 20260315
TOWNS = [  # name, share of answers (Kegworth and Measham small, so suppression shows)
    ("Coalville", 0.34), ("Whitwick", 0.14), ("Ashby de la Zouch", 0.2),
    ("Castle Donington", 0.12), ("Ibstock", 0.12), ("Measham", 0.05), ("Kegworth", 0.03),
]  # fmt: skip
SAFETY = ["very_safe", "fairly_safe", "a_bit_unsafe", "very_unsafe"]
BASELINE = "Feeling safe in North West Leicestershire: baseline survey 2025"
FOLLOW_UP = "Feeling safe in North West Leicestershire: follow-up survey 2026"
OPEN = "Have your say: community safety survey 2027"
PURPOSE = (
    "To find out how safe people feel in their area, so the community safety partnership can "
    "plan patrols, lighting and youth work where they are needed, and see whether what it does "
    "makes a difference."
)


def _aware(year: int, month: int, day: int) -> datetime:
    return timezone.make_aware(datetime(year, month, day))


class Command(BaseCommand):
    help = (
        "Create a baseline and a follow-up perception survey for the demo partnership with "
        "generated answers (labelled as generated), both published with suppression, and an "
        "open survey. Run after saferplaces_setup_demo (and saferplaces_demo_plan for the "
        "priorities to rank)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Demo e-mails are kept in memory, not printed where they would bury `make run`'s
        # sign-in details (a real deployment sends them: admin guide).
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        partnership = Partnership.objects.filter(gss_code=DEMO_GSS_CODE).first()
        if partnership is None:
            raise CommandError("No demo partnership: run `manage.py saferplaces_setup_demo` first.")
        analyst = User.objects.filter(email=ANALYST).first()
        if analyst is None:
            raise CommandError(f"No demo user {ANALYST}: run saferplaces_setup_demo.")
        roles = roles_in_partnership(analyst, partnership)
        rng = np.random.default_rng(SEED)
        with transaction.atomic():
            baseline = self._perception(
                partnership,
                analyst,
                roles,
                rng,
                BASELINE,
                _aware(2025, 3, 1),
                _aware(2025, 4, 30),
                n=380,
                dark=(0.17, 0.42, 0.29, 0.12),
                day=(0.55, 0.37, 0.06, 0.02),
                baseline=None,
            )
            self._perception(
                partnership,
                analyst,
                roles,
                rng,
                FOLLOW_UP,
                _aware(2026, 3, 1),
                _aware(2026, 4, 30),
                n=340,
                dark=(0.24, 0.49, 0.20, 0.07),
                day=(0.6, 0.34, 0.05, 0.01),
                baseline=baseline,
            )
            self._open(partnership, analyst, roles)

    def _perception(
        self, partnership: Any, analyst: Any, roles: Any, rng: np.random.Generator, title: str,
        opens: datetime, closes: datetime, *, n: int, dark: tuple[float, ...],
        day: tuple[float, ...], baseline: Survey | None,
    ) -> Survey:  # fmt: skip
        survey = Survey.objects.filter(partnership=partnership, title=title).first()
        if survey is not None:
            self.stdout.write(f"Already there: {title}.")
            return survey
        survey = services.survey_create(
            by=analyst,
            roles=roles,
            partnership=partnership,
            title=title,
            purpose=PURPOSE,
            kind="perception",
            access="public",
            opens_at=opens,
            closes_at=closes,
            area_question="listed",
            area_names=[name for name, _ in TOWNS],
            equality_monitoring=True,
            baseline=baseline,
            add_perception_items=True,
            generated=True,
        )
        services.question_add(
            survey=survey,
            by=analyst,
            roles=roles,
            kind="single",
            text="Which of these worries you most in your area?",
            options_text="Anti-social behaviour\nDrug dealing or drug use\nSpeeding traffic\n"
            "Burglary\nNone of these",
        )
        areas = [code for code, _ in survey.area_options]
        weights = np.array([w for _, w in TOWNS])
        town = rng.choice(len(areas), size=n, p=weights / weights.sum())
        # Feeling unsafe is a little higher in the town centre (Coalville): a realistic gradient.
        dark_p = np.array(dark)
        worry = ["option_1", "option_2", "option_3", "option_4", "option_5"]
        responses, equality = [], []
        for i in range(n):
            p = dark_p.copy()
            if town[i] == 0:
                p = p * np.array([0.8, 0.95, 1.15, 1.3])
            p = p / p.sum()
            answers = {
                "q1": SAFETY[int(rng.choice(4, p=p))],
                "q2": SAFETY[int(rng.choice(4, p=np.array(day)))],
                "q3": worry[int(rng.choice(5, p=[0.35, 0.2, 0.25, 0.12, 0.08]))],
            }
            response = Response(
                survey=survey,
                submission_key=uuid.uuid4(),
                reference="S-" + uuid.uuid4().hex[:8].upper(),
                area_code=areas[int(town[i])],
                area_label=TOWNS[int(town[i])][0],
                answers=answers,
            )
            responses.append(response)
            if rng.random() < 0.8:  # most people answer the optional questions
                equality.append(
                    EqualityAnswers(
                        response=response,
                        **{
                            key: str(options[int(rng.integers(len(options)))][0])
                            for key, (_, options) in EQUALITY_QUESTIONS.items()
                        },
                    )
                )
        Response.objects.bulk_create(responses)
        EqualityAnswers.objects.bulk_create(equality)
        services.results_publish(
            survey=survey, by=analyst, roles=roles, publish_positions={1, 2, 3}
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Made {title} with {n} generated answers, published with suppression."
            )
        )
        return survey

    def _open(self, partnership: Any, analyst: Any, roles: Any) -> None:
        if Survey.objects.filter(partnership=partnership, title=OPEN).exists():
            self.stdout.write(f"Already there: {OPEN}.")
            return
        now = timezone.now()
        survey = services.survey_create(
            by=analyst,
            roles=roles,
            partnership=partnership,
            title=OPEN,
            purpose=PURPOSE,
            kind="perception",
            access="public",
            opens_at=now - timedelta(days=7),
            closes_at=now + timedelta(days=90),
            area_question="listed",
            area_names=[name for name, _ in TOWNS],
            equality_monitoring=True,
            add_perception_items=True,
        )
        services.question_add(
            survey=survey,
            by=analyst,
            roles=roles,
            kind="ranking",
            text="Put the partnership's priorities in order of importance to you",
            options_text=""
            if services.priority_options(partnership)
            else "Anti-social behaviour\nDomestic abuse\nDrugs and exploitation\nRoad safety",
        )
        services.question_add(
            survey=survey,
            by=analyst,
            roles=roles,
            kind="free_text",
            text="What one thing would make you feel safer?",
            required=False,
        )
        self.stdout.write(self.style.SUCCESS(f"Opened {OPEN} for residents to answer."))
