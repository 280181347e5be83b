"""Every write to a plan leaves an audit row naming who did it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from saferplaces.audit.models import AuditEvent
from saferplaces.audit.registry import VERBS
from saferplaces.plans import services
from tests.saferplaces.plans.conftest import ANALYST, MANAGER, OFFICER


def test_each_write_is_audited_with_its_actor(
    plan: Any, make_action: Any, police: Any, analyst: Any, manager: Any, officer: Any
) -> None:
    services.plan_change(
        plan=plan, by=analyst, roles=ANALYST, title="Safer Together", start_year=2026,
        end_year=2029, vision="A safer district.",
    )  # fmt: skip
    action = make_action(plan, [police])
    priority = action.priority
    services.priority_change(priority=priority, by=analyst, roles=ANALYST, data={"title": "Theft"})
    objective = services.objective_create(priority=priority, by=analyst, roles=ANALYST, text="Less")
    services.objective_change(objective=objective, by=analyst, roles=ANALYST, text="Much less")
    services.action_change(
        action=action, by=analyst, roles=ANALYST,
        data={"key_activity": "Patrols", "organisations": [police],
              "intervention_level": "high_risk"},
    )  # fmt: skip
    milestone = services.milestone_create(
        action=action, by=analyst, roles=ANALYST, title="Start", due_date=date(2026, 5, 1)
    )
    services.milestone_change(
        milestone=milestone, by=officer, roles=OFFICER, officer_org_ids={str(police.pk)},
        title="Start", due_date=date(2026, 5, 1), done_date=date(2026, 5, 2),
    )  # fmt: skip
    services.progress_post(
        action=action, by=officer, roles=OFFICER, officer_org_ids={str(police.pk)},
        on=timezone.localdate(), text="Begun",
    )  # fmt: skip
    services.plan_submit(plan=plan, by=analyst, roles=ANALYST)
    services.plan_approve(plan=plan, by=manager, roles=MANAGER, minute="Board item 5")
    services.plan_publish(plan=plan, by=manager, roles=MANAGER)
    services.plan_export_record(plan=plan, by=manager, file_format="csv")

    actors = dict(AuditEvent.objects.values_list("verb", "actor__email"))
    expected = {
        "plan.created": manager.email,
        "plan.changed": analyst.email,
        "priority.created": manager.email,
        "priority.changed": analyst.email,
        "objective.created": analyst.email,
        "objective.changed": analyst.email,
        "action.created": manager.email,
        "action.changed": analyst.email,
        "milestone.created": analyst.email,
        "milestone.changed": officer.email,
        "progress.posted": officer.email,
        "plan.submitted": analyst.email,
        "plan.approved": manager.email,
        "plan.published": manager.email,
        "plan.exported": manager.email,
    }
    for verb, email in expected.items():
        assert verb in VERBS
        assert actors.get(verb) == email, verb
