"""Fixtures for the survey tests: a partnership with two neighbourhoods, an analyst, and an
open perception survey (after dark, during the day, a choice, free text)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from saferplaces.accounts.models import Role
from saferplaces.neighbourhoods.models import Neighbourhood
from saferplaces.surveys import services
from saferplaces.surveys.models import Response, Survey
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

BUILDER = {Role.ANALYST}


@pytest.fixture
def csp(db: Any) -> Any:
    return PartnershipFactory(name="North West Leicestershire Community Safety Partnership")


@pytest.fixture
def council(csp: Any) -> Any:
    return OrganisationFactory(partnership=csp, name="District Council")


@pytest.fixture
def analyst(council: Any) -> Any:
    user = UserFactory()
    MembershipFactory(user=user, organisation=council, role=Role.ANALYST)
    return user


@pytest.fixture
def viewer(council: Any) -> Any:
    user = UserFactory()
    MembershipFactory(user=user, organisation=council, role=Role.VIEWER)
    return user


@pytest.fixture
def areas(csp: Any, council: Any) -> list[Any]:
    return [
        Neighbourhood.objects.create(
            partnership=csp,
            owner_organisation=council,
            name=name,
            lsoa_codes=[code],
            baseline_month=date(2024, 1, 1),
            sharing="partnership",
        )
        for name, code in (("Greenhill", "E01025932"), ("Thringstone", "E01025933"))
    ]


@pytest.fixture
def make_survey(csp: Any, analyst: Any, areas: Any) -> Callable[..., Survey]:
    def make(*, days_open: int = 10, closed: bool = False, **extra: Any) -> Survey:
        now = timezone.now()
        opens = now - timedelta(days=days_open + 20 if closed else 1)
        closes = now - timedelta(days=1) if closed else now + timedelta(days=days_open)
        fields: dict[str, Any] = {
            "title": "How safe do you feel?",
            "purpose": "To plan patrols.",
            "kind": "perception",
            "access": "public",
            "area_question": "neighbourhood",
            "equality_monitoring": True,
            "add_perception_items": True,
        }
        fields.update(extra)
        survey = services.survey_create(
            by=analyst,
            roles=BUILDER,
            partnership=csp,
            opens_at=opens,
            closes_at=closes,
            **fields,
        )
        return survey

    return make


@pytest.fixture
def survey(make_survey: Any, analyst: Any) -> Survey:
    survey = make_survey()
    services.question_add(
        survey=survey,
        by=analyst,
        roles=BUILDER,
        kind="single",
        text="Have you seen a PCSO this month?",
        options_text="Yes\nNo",
    )
    services.question_add(
        survey=survey,
        by=analyst,
        roles=BUILDER,
        kind="free_text",
        text="Anything else?",
        required=False,
    )
    return survey


def add_responses(
    survey: Survey,
    rows: list[tuple[str, str, int]],
    *,
    question: str = "q1",
    equality: dict[str, str] | None = None,
) -> None:
    """Store answers directly (the survey may be closed): (area id, answer code, how many)."""
    import uuid

    for area, answer, count in rows:
        for _ in range(count):
            response = Response.objects.create(
                survey=survey,
                submission_key=uuid.uuid4(),
                reference=uuid.uuid4().hex[:12],
                area_code=area,
                answers={question: answer},
            )
            if equality:
                from saferplaces.surveys.models import EqualityAnswers

                EqualityAnswers.objects.create(response=response, **equality)
