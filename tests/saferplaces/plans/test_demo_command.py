"""saferplaces_demo_plan: a published 2026–2029 plan whose priorities cite an approved
assessment (the demo draft is approved first), a dozen actions across partners; idempotent."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from saferplaces.accounts.models import Partnership
from saferplaces.assessments.models import Assessment, AssessmentStatus
from saferplaces.audit.models import AuditEvent
from saferplaces.plans.models import Action, Plan, ProgressUpdate
from tests.saferplaces.assessments._documents import small_document


@pytest.fixture
def demo(db: Any, settings: Any, tmp_path: Path) -> Partnership:
    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    return Partnership.objects.get(gss_code="E22000170")


def test_needs_the_demo_assessment(demo: Partnership) -> None:
    with pytest.raises(CommandError, match="saferplaces_demo_assessment"):
        call_command("saferplaces_demo_plan", stdout=StringIO())
    assert not Plan.objects.exists()


def test_publishes_the_plan_from_the_approved_demo_assessment_once(demo: Partnership) -> None:
    draft = Assessment.objects.create(
        partnership=demo, title="Strategic assessment 2025", status=AssessmentStatus.DRAFT,
        document=small_document(), options={"area": "E07000134"}, progress=100,
    )  # fmt: skip

    call_command("saferplaces_demo_plan", stdout=StringIO())
    out = StringIO()
    call_command("saferplaces_demo_plan", stdout=out)

    assert "nothing to do" in out.getvalue()
    plan = Plan.objects.get()
    assert (plan.status, plan.period_label, plan.version_number) == ("published", "2026–2029", 1)
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.APPROVED
    assert AuditEvent.objects.filter(verb="assessment.approved").exists()
    assert {p.assessment_id for p in plan.priorities.all()} == {draft.pk}
    actions = Action.objects.filter(priority__plan=plan)
    assert actions.count() >= 6
    owners = {o.name for a in actions for o in a.organisations.all()}
    assert len(owners) >= 3
    assert ProgressUpdate.objects.filter(action__priority__plan=plan).count() >= 3
    assert plan.versions.get().minute
