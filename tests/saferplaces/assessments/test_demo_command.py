"""`manage.py saferplaces_demo_assessment`: a 2025 draft for the demo partnership, once."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from saferplaces.assessments.models import Assessment, AssessmentStatus


def test_drafts_the_2025_assessment_once_from_the_real_data(
    db: Any, settings: Any, tmp_path: Path, nwl_store: Path
) -> None:
    settings.DATA_DIR = tmp_path  # the demo credentials go here, not into the shared store
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    settings.DATA_DIR = nwl_store

    first = StringIO()
    call_command("saferplaces_demo_assessment", stdout=first)
    again = StringIO()
    call_command("saferplaces_demo_assessment", stdout=again)

    assessment = Assessment.objects.get()
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.document["period"] == ["2025-01-01", "2025-12-01"]
    assert assessment.created_by.email == "analyst@demo.saferplaces.test"
    assert "Drafted: Strategic assessment: North West Leicestershire" in first.getvalue()
    assert "nothing to do" in again.getvalue()


def test_without_the_demo_partnership_it_says_what_to_run(db: Any) -> None:
    with pytest.raises(CommandError, match="saferplaces_setup_demo"):
        call_command("saferplaces_demo_assessment", stdout=StringIO())
