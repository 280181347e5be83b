"""The annual review for the scrutiny committee: written, recommendations answered, printed."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from saferplaces.accounts.models import Role
from saferplaces.audit.models import AuditEvent
from saferplaces.core.exceptions import ApplicationError
from saferplaces.indicators import scrutiny
from saferplaces.indicators.models import ScrutinyReview
from tests.saferplaces.indicators.conftest import roles

pytestmark = pytest.mark.django_db

WORDS = {
    "committee": "Community Scrutiny Committee",
    "responsibilities": "We published the strategic assessment and the plan.",
    "successes": "Repeat burglary fell in Coalville.",
    "year_ahead": "Knife crime week.",
    "recommendations": "Keep the focus on anti-social behaviour.",
}


def test_review_written_answered_and_printed(
    plan: Any, analyst: Any, nwl: Any, make_manual: Callable[..., Any]
) -> None:
    make_manual()
    who = roles(analyst, nwl)
    review = scrutiny.scrutiny_create(
        partnership=nwl, by=analyst, roles=who, data={"year": 2026, "plan": plan, **WORDS}
    )
    recommendation = scrutiny.recommendation_add(
        review=review, by=analyst, roles=who, text="Report ASB by ward each quarter"
    )
    scrutiny.recommendation_respond(
        recommendation=recommendation,
        by=analyst,
        roles=who,
        response="Agreed: from the next board meeting",
    )

    pdf = scrutiny.scrutiny_pdf(review, by=analyst)

    assert pdf.startswith(b"%PDF")
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        "scrutiny.created",
        "scrutiny.recommendation_added",
        "scrutiny.responded",
        "scrutiny.downloaded",
    } <= verbs
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    raw = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    text = " ".join(raw.stdout.decode().split())
    for heading in (
        "Responsibilities met",
        "Action plan progress",
        "Successes",
        "The year ahead",
        "Recommendations",
        "Residents who feel safe",
        "Agreed: from the next board meeting",
        "section 19",
    ):
        assert heading in text


def test_one_review_a_year_and_only_analysts_and_managers_write(
    plan: Any, analyst: Any, member: Callable[..., Any], nwl: Any
) -> None:
    scrutiny.scrutiny_create(
        partnership=nwl, by=analyst, roles=roles(analyst, nwl), data={"year": 2026, **WORDS}
    )
    with pytest.raises(ApplicationError, match="already an annual review for 2026"):
        scrutiny.scrutiny_create(
            partnership=nwl, by=analyst, roles=roles(analyst, nwl), data={"year": 2026, **WORDS}
        )
    officer = member(Role.PARTNER_OFFICER)
    with pytest.raises(PermissionDenied):
        scrutiny.scrutiny_create(
            partnership=nwl, by=officer, roles=roles(officer, nwl), data={"year": 2027, **WORDS}
        )
    assert ScrutinyReview.objects.count() == 1
