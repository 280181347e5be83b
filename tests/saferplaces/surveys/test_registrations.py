"""What the surveys app gives the shared registries: the home page link, the Residents page,
"you said, we did", the privacy notice, retention and subject access."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from saferplaces.core.home_panels import public_services, resident_work_for
from saferplaces.core.privacy import privacy_purposes, retention_rules, subject_data_sources
from saferplaces.core.resident_voice import you_said_items
from saferplaces.surveys import services
from saferplaces.surveys.models import EqualityAnswers, Invitation, Response
from tests.saferplaces.surveys.conftest import BUILDER, add_responses

pytestmark = pytest.mark.django_db


def test_home_page_offers_have_your_say(client: Any) -> None:
    service = next(s for s in public_services() if s.url_name == "surveys_public:list")
    assert service.title == "Have your say: surveys and consultations"
    assert service.order == 30
    assert reverse("surveys_public:list") in client.get("/").content.decode()


def test_residents_page_section(analyst: Any, csp: Any, survey: Any) -> None:
    sections = resident_work_for(user=analyst, partnership=csp, roles=BUILDER)
    section = next(s for s in sections if s.title == "Surveys and consultations")
    assert section.status == "1 survey, 1 open to the public now"


def test_you_said_gives_the_neighbourhood_share_only_with_enough_answers(
    make_survey: Any, analyst: Any, areas: Any, csp: Any
) -> None:
    closed = make_survey(closed=True)
    a, b = (str(n.pk) for n in areas)
    add_responses(closed, [(a, "very_unsafe", 12), (a, "very_safe", 28), (b, "very_safe", 4)])
    services.results_publish(survey=closed, by=analyst, roles=BUILDER, publish_positions={1})
    since = timezone.localdate() - timedelta(days=365)
    items = you_said_items(partnership=csp, lsoa_codes=areas[0].lsoa_codes, since=since)
    assert [i.you_said for i in items] == [
        "How safe do you feel?: 30% of the 40 people answering from this neighbourhood felt "
        "unsafe walking alone after dark."
    ]
    few = you_said_items(partnership=csp, lsoa_codes=areas[1].lsoa_codes, since=since)
    assert "too few people" in few[0].you_said


def test_privacy_retention_and_subject_access(make_survey: Any, analyst: Any) -> None:
    assert any(p.key == "surveys" for p in privacy_purposes())
    closed = make_survey(closed=True, access="invitation")
    Invitation.objects.create(survey=closed, email="resident@example.org")
    add_responses(closed, [("", "very_safe", 3)], equality={"sex": "female"})
    source = next(s for s in subject_data_sources() if s.key == "surveys")
    assert source.export("Resident@example.org")[0]["survey"] == closed.title
    rule = next(r for r in retention_rules() if r.key == "surveys")
    assert rule.apply(timezone.now()) == 0  # not published: kept
    services.results_publish(survey=closed, by=analyst, roles=BUILDER, publish_positions={1})
    assert rule.apply(timezone.now() + timedelta(days=400)) == 7
    assert not Response.objects.exists()
    assert not EqualityAnswers.objects.exists()
    assert source.erase("resident@example.org") == 0
    assert not Invitation.objects.exists()
