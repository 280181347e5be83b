"""Building surveys, answering them exactly once, publishing results, feeding an indicator."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from saferplaces.accounts.models import Role
from saferplaces.audit.models import AuditEvent
from saferplaces.core.exceptions import ApplicationError
from saferplaces.surveys import services
from saferplaces.surveys.models import EqualityAnswers, Invitation, QuestionKind, Response
from tests.saferplaces.surveys.conftest import BUILDER

pytestmark = pytest.mark.django_db


def test_create_adds_the_perception_items_and_is_audited(survey: Any) -> None:
    kinds = list(survey.questions.values_list("kind", flat=True))
    assert kinds[:2] == [QuestionKind.SAFE_AFTER_DARK, QuestionKind.SAFE_DAY]
    dark = survey.questions.get(kind=QuestionKind.SAFE_AFTER_DARK)
    assert dark.text == "How safe do you feel walking alone in your area after dark?"
    assert [c for c, _ in dark.options] == [
        "very_safe",
        "fairly_safe",
        "a_bit_unsafe",
        "very_unsafe",
    ]
    assert AuditEvent.objects.filter(verb="survey.created").count() == 1
    assert AuditEvent.objects.filter(verb="survey.question_added").count() == 4


def test_a_viewer_may_not_build(make_survey: Any, viewer: Any, csp: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.survey_create(
            by=viewer,
            roles={Role.VIEWER},
            partnership=csp,
            title="x",
            purpose="y",
            kind="other",
            access="public",
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=1),
            area_question="none",
            equality_monitoring=False,
        )


def test_closing_before_opening_is_refused(analyst: Any, csp: Any) -> None:
    moment = timezone.now()
    with pytest.raises(ApplicationError, match="closing date"):
        services.survey_create(
            by=analyst,
            roles=BUILDER,
            partnership=csp,
            title="x",
            purpose="y",
            kind="other",
            access="public",
            opens_at=moment,
            closes_at=moment,
            area_question="none",
            equality_monitoring=False,
        )


def test_choice_needs_two_answers_and_free_text_is_never_published(
    survey: Any, analyst: Any
) -> None:
    with pytest.raises(ApplicationError, match="at least two"):
        services.question_add(
            survey=survey,
            by=analyst,
            roles=BUILDER,
            kind="single",
            text="One?",
            options_text="Only",
        )
    free = survey.questions.get(kind="free_text")
    assert free.publish is False


def test_ranking_takes_the_plan_priorities(survey: Any, analyst: Any, csp: Any) -> None:
    from saferplaces.plans.models import Plan, Priority

    plan = Plan.objects.create(partnership=csp, title="Plan", start_year=2026, end_year=2029)
    for order, title in enumerate(["Burglary", "ASB", "Violence"]):
        Priority.objects.create(plan=plan, title=title, order=order)
    question = services.question_add(
        survey=survey, by=analyst, roles=BUILDER, kind="ranking", text="Rank our priorities"
    )
    assert [label for _, label in question.options] == ["Burglary", "ASB", "Violence"]


def test_a_response_is_stored_exactly_once_per_key(survey: Any) -> None:
    key = uuid.uuid4()
    first, created = services.response_submit(
        survey=survey, key=key, answers={"q1": "very_safe"}, equality={"sex": "female"}
    )
    again, created_again = services.response_submit(
        survey=survey, key=key, answers={"q1": "very_unsafe"}
    )
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert Response.objects.count() == 1
    assert Response.objects.get().answers == {"q1": "very_safe"}
    # equality answers live in their own table, not in the answers
    assert EqualityAnswers.objects.get().sex == "female"
    assert "sex" not in Response.objects.get().answers


@pytest.mark.parametrize("when", ["closed", "not_open"])
def test_closed_or_not_yet_open_survey_stores_nothing(survey: Any, when: str) -> None:
    moment = survey.closes_at if when == "closed" else survey.opens_at - timedelta(seconds=1)
    with pytest.raises(ApplicationError):
        services.response_submit(
            survey=survey, key=uuid.uuid4(), answers={"q1": "very_safe"}, now=moment
        )
    assert Response.objects.count() == 0


def test_invitations_are_single_use(make_survey: Any, analyst: Any) -> None:
    survey = make_survey(access="invitation")
    sent = services.invitations_send(
        survey=survey,
        by=analyst,
        roles=BUILDER,
        emails=["a@example.org", "A@example.org", "b@example.org"],
    )
    assert sent == 2
    assert len(mail.outbox) == 2
    assert "/surveys/invitation/" in mail.outbox[0].body
    invitation = Invitation.objects.first()
    services.response_submit(survey=survey, key=uuid.uuid4(), answers={}, invitation=invitation)
    with pytest.raises(ApplicationError, match="already been used"):
        services.response_submit(survey=survey, key=uuid.uuid4(), answers={}, invitation=invitation)
    assert Response.objects.count() == 1
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    # the answer is not linked to the invitation (and so not to the e-mail address)
    assert not hasattr(Response.objects.get(), "invitation")


def test_results_publish_only_after_close(make_survey: Any, survey: Any, analyst: Any) -> None:
    with pytest.raises(ApplicationError, match="after the survey closes"):
        services.results_publish(survey=survey, by=analyst, roles=BUILDER, publish_positions={1})
    closed = make_survey(closed=True)
    services.results_publish(survey=closed, by=analyst, roles=BUILDER, publish_positions={1})
    closed.refresh_from_db()
    assert closed.results_published_at is not None
    assert list(closed.questions.values_list("publish", flat=True)) == [True, False]
    assert AuditEvent.objects.filter(verb="survey.results_published").exists()


def test_record_as_indicator_reading(
    make_survey: Any, analyst: Any, csp: Any, council: Any
) -> None:
    from saferplaces.indicators.models import Indicator
    from saferplaces.plans.models import Plan
    from tests.saferplaces.surveys.conftest import add_responses

    closed = make_survey(closed=True)
    add_responses(closed, [("", "very_unsafe", 10), ("", "fairly_safe", 30)])
    plan = Plan.objects.create(partnership=csp, title="Plan", start_year=2026, end_year=2029)
    indicator = Indicator.objects.create(plan=plan, name="Feeling unsafe after dark", kind="manual")
    value = services.record_as_indicator_reading(
        survey=closed,
        indicator=indicator,
        by=analyst,
        roles=BUILDER,
        organisation_ids={str(council.pk)},
    )
    assert value.value == 25.0
    assert value.low < 25.0 < value.high
    assert AuditEvent.objects.filter(verb="survey.indicator_recorded").exists()
