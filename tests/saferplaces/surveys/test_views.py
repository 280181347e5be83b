"""Staff pages: the builder, the results (exact under a banner; suppressed when published or
downloaded), the downloads equal the screen, the comparison, refusals audited."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from saferplaces.audit.models import AuditEvent
from saferplaces.surveys.models import Survey
from tests.conftest import mark_second_factor_verified
from tests.saferplaces.surveys.conftest import add_responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Any, analyst: Any) -> Any:
    client.force_login(analyst)
    mark_second_factor_verified(client, analyst)
    return client


@pytest.fixture
def results_survey(make_survey: Any, areas: Any) -> Survey:
    closed = make_survey(closed=True)
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
        equality={"age_band": "25_34"},
    )
    return closed


def test_builder_creates_a_survey_with_errors_first(staff: Any) -> None:
    url = reverse("surveys:new")
    bad = staff.post(url, {"title": "", "opens_on": "1/5/2027", "closes_on": "1/4/2027"})
    assert "govuk-error-summary" in bad.content.decode()
    good = staff.post(
        url,
        {
            "title": "Perception 2027",
            "purpose": "Plan patrols",
            "kind": "perception",
            "access": "public",
            "opens_on": "1/4/2027",
            "closes_on": "30/4/2027",
            "area_question": "neighbourhood",
            "perception_items": "on",
        },
    )
    assert good.status_code == 302
    survey = Survey.objects.get(title="Perception 2027")
    assert survey.questions.count() == 2


def test_staff_see_exact_counts_under_a_banner(staff: Any, results_survey: Any) -> None:
    url = reverse("surveys:results", kwargs={"survey_id": results_survey.pk})
    html = staff.get(url).content.decode()
    assert "Not for publication" in html
    assert ">3<" in html
    published = staff.get(url + "?view=published").content.decode()
    assert "[c]" in published
    assert ">3<" not in published


def test_downloads_are_suppressed_and_equal_the_published_screen(
    staff: Any, results_survey: Any
) -> None:
    from saferplaces.surveys.selectors import survey_results

    base = {"survey_id": results_survey.pk}
    body = staff.get(reverse("surveys:download", kwargs={**base, "file_format": "csv"}))
    assert body.status_code == 200
    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))
    expected = survey_results(results_survey, publishable=True)
    screen = [
        [str(c) for c in (q.table.title and q.question.text, *row)]
        for q in expected.questions
        if q.table
        for row in q.table.rows
    ]
    assert rows[1 : 1 + len(screen)] == [[c if c != "None" else "" for c in r] for r in screen]
    assert any("[c]" in row for row in rows)
    assert not any(row[1:3] == ["Very unsafe", "3"] for row in rows)
    xlsx = staff.get(reverse("surveys:download", kwargs={**base, "file_format": "xlsx"}))
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert "[c]" in strings
    assert AuditEvent.objects.filter(verb="survey.results_exported").count() == 2


def test_filtered_download_respects_the_area(staff: Any, results_survey: Any, areas: Any) -> None:
    url = reverse("surveys:download", kwargs={"survey_id": results_survey.pk, "file_format": "csv"})
    text = staff.get(url + f"?area={areas[1].pk}").content.decode("utf-8-sig")
    assert "37 responses from Thringstone" in text


def test_equality_breakdown_is_offered(staff: Any, results_survey: Any) -> None:
    url = reverse("surveys:results", kwargs={"survey_id": results_survey.pk})
    html = staff.get(url + "?group=age_band").content.decode()
    assert "by age" in html


def test_follow_up_shows_the_change_with_its_interval(
    staff: Any, make_survey: Any, results_survey: Any
) -> None:
    follow = make_survey(closed=True, baseline=results_survey, title="Follow-up")
    add_responses(follow, [("", "very_safe", 60), ("", "very_unsafe", 2)])
    html = staff.get(reverse("surveys:results", kwargs={"survey_id": follow.pk})).content.decode()
    assert "Change since the baseline survey" in html
    assert "95% CI" in html
    assert "Newcombe" in html


def test_a_viewer_cannot_publish_and_the_refusal_is_audited(
    client: Any, viewer: Any, results_survey: Any
) -> None:
    client.force_login(viewer)
    mark_second_factor_verified(client, viewer)
    response = client.get(reverse("surveys:publish", kwargs={"survey_id": results_survey.pk}))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(verb="access.forbidden").exists()


def test_publish_flow(staff: Any, results_survey: Any) -> None:
    url = reverse("surveys:publish", kwargs={"survey_id": results_survey.pk})
    empty = staff.post(url, {})
    assert "Choose at least one question" in empty.content.decode()
    done = staff.post(url, {"questions": ["1"]})
    assert done.status_code == 302
    results_survey.refresh_from_db()
    assert results_survey.results_published


def test_linked_tables_hide_the_same_totals_so_they_cannot_be_differenced(
    results_survey: Any, areas: Any
) -> None:
    """The overall table, the table by area, the table by age and the one-area view are
    suppressed together: a count hidden in one is hidden (or only a sum) in every other."""
    from saferplaces.surveys.selectors import survey_results

    full = survey_results(results_survey, publishable=True, group="age_band")
    dark = full.questions[0]
    overall_hidden = [row[1] == "[c]" for row in dark.table.rows[:-1]]
    by_area_hidden = [row[-1] == "[c]" for row in dark.area_table.rows[:-1]]
    by_age_hidden = [row[-1] == "[c]" for row in dark.group_table.rows[:-1]]
    assert overall_hidden == by_area_hidden == by_age_hidden
    assert any(overall_hidden)  # 3 "very unsafe" overall
    # the one-area view shows exactly that area's column of the table by area
    one = survey_results(results_survey, publishable=True, area=str(areas[0].pk))
    column = [row[1] for row in dark.area_table.rows]
    assert [row[1] for row in one.questions[0].table.rows] == column
    assert one.questions[0].group_table is None


def test_record_as_indicator_reading_page(staff: Any, results_survey: Any, csp: Any) -> None:
    from saferplaces.indicators.models import Indicator, IndicatorValue
    from saferplaces.plans.models import Plan

    plan = Plan.objects.create(partnership=csp, title="Plan", start_year=2026, end_year=2029)
    indicator = Indicator.objects.create(plan=plan, name="Feeling unsafe after dark", kind="manual")
    url = reverse("surveys:indicator", kwargs={"survey_id": results_survey.pk})
    assert "Feeling unsafe after dark" in staff.get(url).content.decode()
    bad = staff.post(url, {})
    assert "govuk-error-summary" in bad.content.decode()
    done = staff.post(url, {"indicator": str(indicator.pk), "question": "safe_after_dark"})
    assert done.status_code == 302
    value = IndicatorValue.objects.get(indicator=indicator)
    assert value.value == round(100 * 3 / 69, 1)


def test_written_answers_are_for_builders_and_every_view_is_audited(
    staff: Any, client: Any, survey: Any, viewer: Any
) -> None:
    import uuid

    from saferplaces.surveys import services

    services.response_submit(
        survey=survey, key=uuid.uuid4(), answers={"q1": "very_safe", "q4": "Mr X on Elm Road"}
    )
    url = reverse("surveys:free_text", kwargs={"survey_id": survey.pk})
    assert "Mr X on Elm Road" in staff.get(url).content.decode()
    assert AuditEvent.objects.filter(verb="survey.personal_data_viewed").count() == 1
    results = staff.get(reverse("surveys:results", kwargs={"survey_id": survey.pk}))
    assert "Mr X on Elm Road" not in results.content.decode()
    staff.logout()
    client.force_login(viewer)
    mark_second_factor_verified(client, viewer)
    assert client.get(url).status_code == 403


def test_change_dates_and_remove_a_question_before_answers(staff: Any, survey: Any) -> None:
    import uuid

    from saferplaces.surveys import services

    edit = reverse("surveys:edit", kwargs={"survey_id": survey.pk})
    bad = staff.post(
        edit, {"title": "T", "purpose": "P", "opens_on": "2/5/2027", "closes_on": "1/5/2027"}
    )
    assert "govuk-error-summary" in bad.content.decode()
    good = staff.post(
        edit,
        {
            "title": "Longer survey",
            "purpose": "P",
            "opens_on": "1/1/2026",
            "closes_on": "31/12/2030",
        },
    )
    assert good.status_code == 302
    survey.refresh_from_db()
    assert survey.title == "Longer survey"
    assert AuditEvent.objects.filter(verb="survey.changed").exists()
    delete = reverse("surveys:question_delete", kwargs={"survey_id": survey.pk, "position": 1})
    staff.post(delete)
    assert [q.position for q in survey.questions.all()] == [1, 2, 3]
    assert survey.questions.first().kind == "safe_day"
    services.response_submit(survey=survey, key=uuid.uuid4(), answers={"q1": "very_safe"})
    staff.post(delete)
    assert survey.questions.count() == 3  # fixed once answered
