"""Priorities taken from the approved assessment keep their evidence link."""

from __future__ import annotations

from typing import Any

import pytest

from saferplaces.assessments.models import AssessmentStatus
from saferplaces.audit.models import AuditEvent
from saferplaces.core.exceptions import ApplicationError
from saferplaces.plans import selectors, services
from tests.saferplaces.plans.conftest import MANAGER


def test_chosen_rows_become_priorities_with_the_evidence(
    plan: Any, approved_assessment: Any, manager: Any
) -> None:
    created = services.priorities_from_assessment(
        plan=plan, assessment=approved_assessment, categories=["burglary"], by=manager,
        roles=MANAGER,
    )  # fmt: skip
    [priority] = created
    assert priority.title == "Burglary"
    assert priority.assessment == approved_assessment
    assert priority.assessment_category == "burglary"
    assert priority.assessment_rank == 2
    assert priority.assessment_score is not None
    event = AuditEvent.objects.get(verb="priority.created")
    assert event.summary["assessment_version"] == 1


def test_a_row_already_taken_is_not_taken_twice(
    plan: Any, approved_assessment: Any, manager: Any
) -> None:
    for _ in range(2):
        services.priorities_from_assessment(
            plan=plan, assessment=approved_assessment, categories=["burglary", "shoplifting"],
            by=manager, roles=MANAGER,
        )  # fmt: skip
    assert plan.priorities.count() == 2
    rows = selectors.assessment_matrix_rows(plan=plan, assessment=approved_assessment)
    assert all(row.already_in_plan for row in rows)
    # Ranked order: shoplifting (1) before burglary (2).
    assert [p.title for p in plan.priorities.order_by("order")] == ["Shoplifting", "Burglary"]


def test_a_draft_assessment_is_refused(plan: Any, approved_assessment: Any, manager: Any) -> None:
    approved_assessment.status = AssessmentStatus.DRAFT
    approved_assessment.number = None
    approved_assessment.save()
    with pytest.raises(ApplicationError, match="approved strategic assessment"):
        services.priorities_from_assessment(
            plan=plan, assessment=approved_assessment, categories=["burglary"], by=manager,
            roles=MANAGER,
        )  # fmt: skip
    assert not plan.priorities.exists()


def test_the_page_creates_the_chosen_priorities(
    client: Any, plan: Any, approved_assessment: Any, manager: Any, sign_in: Any
) -> None:
    from django.urls import reverse

    sign_in(client, manager)
    url = reverse("plans:from_assessment", kwargs={"plan_id": plan.pk})
    page = client.get(url)
    assert "1. Shoplifting" in page.content.decode()
    empty = client.post(url, {})
    assert "Choose at least one priority from the assessment" in empty.content.decode()
    response = client.post(url, {"categories": ["shoplifting"]})
    assert response.status_code == 302
    assert plan.priorities.get().assessment_category == "shoplifting"
