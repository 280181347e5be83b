"""A published survey's ranking of the plan's priorities suggests public concern scores."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from saferplaces.core.resident_voice import public_concern_suggestions
from saferplaces.plans.models import Plan, Priority
from saferplaces.surveys.models import Question
from tests.saferplaces.surveys.conftest import add_responses

pytestmark = pytest.mark.django_db


def test_mean_rank_gives_5_for_the_top_priority_down_to_1(make_survey: Any, csp: Any) -> None:
    plan = Plan.objects.create(partnership=csp, title="Plan", start_year=2026, end_year=2029)
    for order, (title, category) in enumerate(
        [("Burglary", "burglary"), ("Drugs", "drugs"), ("ASB", "anti-social-behaviour")], 1
    ):
        Priority.objects.create(plan=plan, title=title, order=order, assessment_category=category)
    survey = make_survey(closed=True, title="Have your say 2027")
    position = survey.questions.count() + 1
    Question.objects.create(
        survey=survey, position=position, kind="ranking", text="Rank these",
        options=[["priority_1", "Burglary"], ["priority_2", "Drugs"], ["priority_3", "ASB"]],
    )  # fmt: skip
    name = f"q{position}"
    add_responses(
        survey, [("", {"priority_2": 1, "priority_1": 2, "priority_3": 3}, 3)], question=name
    )  # type: ignore[list-item]  # noqa: E501
    add_responses(
        survey, [("", {"priority_1": 1, "priority_2": 2, "priority_3": 3}, 1)], question=name
    )  # type: ignore[list-item]  # noqa: E501

    since = timezone.localdate() - timedelta(days=365)
    unpublished = public_concern_suggestions(partnership=csp, since=since)
    assert not any("Have your say" in s.because for v in unpublished.values() for s in v)

    survey.results_published_at = timezone.now()
    survey.save()
    found = public_concern_suggestions(partnership=csp, since=since)
    from_survey = {c: s for c, v in found.items() for s in v if "Have your say" in s.because}
    assert from_survey["drugs"].score == 5
    assert from_survey["burglary"].score == 3
    assert from_survey["anti-social-behaviour"].score == 1
    assert from_survey["drugs"].because == "ranked 1st of 3 by 4 people in 'Have your say 2027'"
