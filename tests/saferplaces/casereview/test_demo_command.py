from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from saferplaces.casereview.models import CaseReview, CaseReviewSettings, Status
from saferplaces.casereview.selectors import figures_by_year


@pytest.mark.django_db
def test_demo_command_is_idempotent(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    call_command("saferplaces_demo_casereview", stdout=StringIO())
    call_command("saferplaces_demo_casereview", stdout=StringIO())
    assert CaseReview.objects.count() == 2
    assert CaseReviewSettings.objects.count() == 1
    statuses = set(CaseReview.objects.values_list("status", flat=True))
    assert statuses == {Status.RECEIVED, Status.OUTCOME_SENT}
    assert all(c.is_demonstration for c in CaseReview.objects.all())
    assert all(c.problem.startswith("Generated for the demonstration") for c in
               CaseReview.objects.all())  # fmt: skip
    partnership = CaseReview.objects.first().partnership
    assert (
        sum(y.reviews_with_recommendations for y in figures_by_year(partnership=partnership)) == 1
    )
