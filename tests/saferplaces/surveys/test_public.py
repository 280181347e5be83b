"""Residents answering: one page, error summary, honeypot, double submit, closed survey,
script in free text; and the published results page with suppressed cells."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.urls import reverse

from saferplaces.surveys import services
from saferplaces.surveys.models import Response
from tests.saferplaces.surveys.conftest import BUILDER, add_responses

pytestmark = pytest.mark.django_db


def _page(client: Any, survey: Any) -> tuple[str, str]:
    response = client.get(reverse("surveys_public:answer", kwargs={"survey_id": survey.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert key
    return html, key.group(1)


def _answers(areas: Any, key: str, **extra: Any) -> dict[str, Any]:
    data = {
        "submission_key": key,
        "website": "",
        "q1": "a_bit_unsafe",
        "q2": "very_safe",
        "q3": "option_1",
        "q4": "",
        "area": str(areas[0].pk),
        "eq_sex": "prefer_not_to_say",
    }
    data.update(extra)
    return data


def test_open_survey_is_listed_and_answered_once(client: Any, survey: Any, areas: Any) -> None:
    listing = client.get(reverse("surveys_public:list")).content.decode()
    assert f'href="/surveys/{survey.pk}/"' in listing
    html, key = _page(client, survey)
    assert "How safe do you feel walking alone in your area after dark?" in html
    url = reverse("surveys_public:answer", kwargs={"survey_id": survey.pk})
    first = client.post(url, _answers(areas, key))
    second = client.post(url, _answers(areas, key))  # a double click
    assert first.status_code == 302
    assert second.status_code == 302
    assert first["Location"] == second["Location"]
    assert first["Location"].startswith(f"/surveys/{survey.pk}/thank-you/?ref=S-")
    assert Response.objects.count() == 1
    stored = Response.objects.get()
    assert stored.area_label == "Greenhill"
    assert stored.equality.sex == "prefer_not_to_say"
    thanks = client.get(first["Location"]).content.decode()
    assert "Thank you for your answers" in thanks
    assert stored.reference in thanks


def test_missing_answers_show_an_error_summary_and_store_nothing(
    client: Any, survey: Any, areas: Any
) -> None:
    _, key = _page(client, survey)
    url = reverse("surveys_public:answer", kwargs={"survey_id": survey.pk})
    response = client.post(url, _answers(areas, key, q1="", q2="not_an_option"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert 'href="#id_q1"' in html
    assert Response.objects.count() == 0


def test_honeypot_gets_thanks_and_stores_nothing(client: Any, survey: Any, areas: Any) -> None:
    _, key = _page(client, survey)
    url = reverse("surveys_public:answer", kwargs={"survey_id": survey.pk})
    response = client.post(url, _answers(areas, key, website="http://spam.example"))
    assert response.status_code == 302
    assert "thank-you" in response["Location"]
    assert Response.objects.count() == 0


def test_script_in_free_text_is_stored_as_plain_text(client: Any, survey: Any, areas: Any) -> None:
    _, key = _page(client, survey)
    url = reverse("surveys_public:answer", kwargs={"survey_id": survey.pk})
    client.post(url, _answers(areas, key, q4="<script>alert(1)</script>More lights <b>please</b>"))
    assert Response.objects.get().answers["q4"] == "More lights please"


def test_closed_survey_refuses_with_a_message(client: Any, make_survey: Any, areas: Any) -> None:
    closed = make_survey(closed=True)
    url = reverse("surveys_public:answer", kwargs={"survey_id": closed.pk})
    page = client.get(url).content.decode()
    assert "This survey is closed" in page
    response = client.post(
        url,
        {
            "submission_key": str(uuid.uuid4()),
            "q1": "very_safe",
            "q2": "very_safe",
            "area": "not_sure",
        },
    )
    assert "This survey is closed" in response.content.decode()
    assert Response.objects.count() == 0


def test_rate_limit_answers_429(client: Any, survey: Any, areas: Any, settings: Any) -> None:
    settings.SAFERPLACES_PUBLIC_FORM_RATE = "2/h"
    url = reverse("surveys_public:answer", kwargs={"survey_id": survey.pk})
    codes = [client.post(url, _answers(areas, str(uuid.uuid4()))).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Response.objects.count() == 2


def test_invitation_link_works_once(
    client: Any, make_survey: Any, analyst: Any, areas: Any
) -> None:
    survey = make_survey(access="invitation", equality_monitoring=False)
    services.invitations_send(survey=survey, by=analyst, roles=BUILDER, emails=["a@example.org"])
    token = survey.invitations.get().token
    public = client.get(reverse("surveys_public:answer", kwargs={"survey_id": survey.pk}))
    assert "by invitation" in public.content.decode()
    url = reverse("surveys_public:invitation", kwargs={"token": token})
    assert client.get(url).status_code == 200
    data = {
        "submission_key": str(uuid.uuid4()),
        "q1": "very_safe",
        "q2": "very_safe",
        "area": "not_sure",
    }
    first = client.post(url, data)
    assert first.status_code == 302
    assert client.post(url, data)["Location"] == first["Location"]  # a double click
    again = client.get(url).content.decode()
    assert "already been used" in again
    assert Response.objects.count() == 1


def test_published_results_are_suppressed(
    client: Any, make_survey: Any, analyst: Any, areas: Any
) -> None:
    closed = make_survey(closed=True, generated=False)
    a, b = (str(n.pk) for n in areas)
    add_responses(
        closed,
        [
            (a, "very_safe", 20),
            (a, "very_unsafe", 3),
            (b, "very_safe", 25),
            (b, "fairly_safe", 12),
            (a, "fairly_safe", 9),
        ],
    )
    url = reverse("surveys_public:results", kwargs={"survey_id": closed.pk})
    assert client.get(url).status_code == 404  # not published yet
    services.results_publish(survey=closed, by=analyst, roles=BUILDER, publish_positions={1, 2})
    html = client.get(url).content.decode()
    assert "[c]" in html
    assert ">3<" not in html  # the small count never appears
    assert "answer again from another browser" in html or "answering again from another" in html
    assert "NOT FOR PUBLICATION" not in html
