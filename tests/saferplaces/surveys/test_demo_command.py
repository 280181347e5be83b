"""saferplaces_demo_surveys: a baseline and a follow-up with generated answers (labelled), both
published with suppression, the follow-up showing a real fall; an open survey; idempotent."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from saferplaces.accounts.models import Partnership
from saferplaces.surveys.models import Response, Survey
from saferplaces.surveys.selectors import comparisons


@pytest.fixture
def demo(db: Any, settings: Any, tmp_path: Path) -> Partnership:
    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    return Partnership.objects.get(gss_code="E22000170")


def test_demo_surveys(demo: Partnership, client: Any) -> None:
    call_command("saferplaces_demo_surveys", stdout=StringIO())
    count = Response.objects.count()
    call_command("saferplaces_demo_surveys", stdout=StringIO())  # idempotent
    assert Response.objects.count() == count == 720
    baseline = Survey.objects.get(title__contains="baseline")
    follow = Survey.objects.get(title__contains="follow-up")
    assert baseline.generated
    assert follow.generated
    assert follow.baseline == baseline
    assert baseline.results_published
    assert follow.results_published
    change = comparisons(follow)[0]
    assert change.significant is True
    assert change.change < 0
    assert "a real fall, not noise" in change.sentence
    html = client.get(reverse("surveys_public:results", kwargs={"survey_id": follow.pk}))
    text = html.content.decode()
    assert "generated for the demonstration" in text
    assert "[c]" in text  # Kegworth and Measham are small
    listing = client.get(reverse("surveys_public:list")).content.decode()
    opened = Survey.objects.get(title__startswith="Have your say")
    assert f'href="/surveys/{opened.pk}/"' in listing
    assert (
        client.get(reverse("surveys_public:answer", kwargs={"survey_id": opened.pk})).status_code
        == 200
    )
