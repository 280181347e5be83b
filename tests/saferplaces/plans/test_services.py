"""The plan's rules: frozen approved versions, new versions with a diff, officers limited to
their own organisation's actions, dates in order, duplicate submissions, manager-only approval."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from saferplaces.audit.models import AuditEvent
from saferplaces.core.exceptions import ApplicationError
from saferplaces.plans import selectors, services
from saferplaces.plans.models import Action, Milestone, Plan, PlanVersion, ProgressUpdate
from tests.saferplaces.plans.conftest import ANALYST, MANAGER, OFFICER, approve


def test_plan_period_end_before_start_is_refused_and_nothing_saved(csp: Any, manager: Any) -> None:
    with pytest.raises(ApplicationError) as error:
        services.plan_create(
            partnership=csp, by=manager, roles=MANAGER, title="Plan", start_year=2029,
            end_year=2026,
        )  # fmt: skip
    assert error.value.message == services.PERIOD_ORDER
    assert error.value.extra["field"] == "end_year"
    assert not Plan.objects.exists()


def test_creating_a_plan_is_audited(plan: Any, manager: Any) -> None:
    event = AuditEvent.objects.get(verb="plan.created")
    assert event.actor == manager
    assert event.object_id == str(plan.pk)


def test_approval_freezes_a_snapshot_and_records_the_trail(
    plan: Any, analyst: Any, manager: Any, make_action: Any, police: Any
) -> None:
    make_action(plan, [police])
    approve(plan, analyst, manager)
    version = PlanVersion.objects.get(plan=plan)
    assert plan.status == "approved"
    assert plan.is_frozen
    assert (version.number, version.approved_by, version.approved_on) == (
        1,
        manager,
        date(2026, 3, 12),
    )
    assert "item 5" in version.minute
    titles = [p["title"] for p in version.snapshot["priorities"]]
    assert titles == ["Burglary"]
    assert version.snapshot["priorities"][0]["actions"][0]["organisations"] == ["Police"]
    assert AuditEvent.objects.filter(verb="plan.approved", actor=manager).exists()


def test_a_change_after_approval_makes_a_new_draft_version_with_a_diff(
    plan: Any, analyst: Any, manager: Any, make_action: Any, police: Any, council: Any
) -> None:
    action = make_action(plan, [police])
    approve(plan, analyst, manager)
    snapshot_before = PlanVersion.objects.get(plan=plan).snapshot

    services.action_create(
        priority=action.priority, by=analyst, roles=ANALYST,
        data={"key_activity": "Youth diversion sessions", "organisations": [council],
              "intervention_level": "early_resolution"},
    )  # fmt: skip
    data = {
        "key_activity": action.key_activity,
        "organisations": [police, council],
        "intervention_level": "prevention",
        "start_date": action.start_date,
        "completion_date": date(2027, 9, 30),
    }
    services.action_change(action=action, by=analyst, roles=ANALYST, data=data)

    plan.refresh_from_db()
    assert (plan.status, plan.version_number) == ("draft", 2)
    # The approved version is untouched.
    assert PlanVersion.objects.get(plan=plan, number=1).snapshot == snapshot_before
    last, changes = selectors.plan_diff_since_approval(plan=plan)
    assert last.number == 1
    summary = {(c.kind, c.change, c.title) for c in changes}
    assert ("action", "added", "Youth diversion sessions") in summary
    changed = next(c for c in changes if c.change == "changed")
    assert ("Organisations", "Police", "District Council; Police") in changed.fields
    assert ("Completion date", "31 March 2027", "30 September 2027") in changed.fields
    assert AuditEvent.objects.filter(verb="plan.new_version").count() == 1


def test_progress_on_a_published_plan_does_not_make_a_new_version(
    plan: Any, analyst: Any, manager: Any, make_action: Any, police: Any, officer: Any
) -> None:
    action = make_action(plan, [police])
    approve(plan, analyst, manager)
    services.plan_publish(plan=plan, by=manager, roles=MANAGER)
    services.progress_post(
        action=action, by=officer, roles=OFFICER, officer_org_ids={str(police.pk)},
        on=timezone.localdate(), text="Started", status="on_track",
    )  # fmt: skip
    plan.refresh_from_db()
    assert (plan.status, plan.version_number) == ("published", 1)
    action.refresh_from_db()
    assert action.status == "on_track"


def test_officer_posts_progress_only_on_their_organisations_actions(
    plan: Any, make_action: Any, police: Any, council: Any, officer: Any
) -> None:
    own = make_action(plan, [police])
    other = make_action(plan, [council], key_activity="Street lighting review")
    orgs = selectors.officer_organisation_ids(user=officer, partnership=plan.partnership)

    services.progress_post(
        action=own, by=officer, roles=OFFICER, officer_org_ids=orgs, on=timezone.localdate(),
        text="Visited 20 homes",
    )  # fmt: skip
    with pytest.raises(PermissionDenied) as refusal:
        services.progress_post(
            action=other, by=officer, roles=OFFICER, officer_org_ids=orgs,
            on=timezone.localdate(), text="Not mine",
        )  # fmt: skip
    assert "District Council" in str(refusal.value)
    assert list(ProgressUpdate.objects.values_list("text", flat=True)) == ["Visited 20 homes"]


def test_officer_cannot_change_the_plan(plan: Any, officer: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.priority_create(plan=plan, by=officer, roles=OFFICER, data={"title": "Mine"})
    assert not plan.priorities.exists()


def test_action_completion_before_start_is_refused(
    plan: Any, make_action: Any, police: Any
) -> None:
    with pytest.raises(ApplicationError) as error:
        make_action(plan, [police], start_date=date(2027, 1, 1), completion_date=date(2026, 6, 1))
    assert error.value.message == services.DATES_ORDER
    assert not Action.objects.exists()


def test_milestone_due_before_the_plan_starts_is_refused(
    plan: Any, make_action: Any, police: Any, manager: Any
) -> None:
    action = make_action(plan, [police])
    with pytest.raises(ApplicationError) as error:
        services.milestone_create(
            action=action, by=manager, roles=MANAGER, title="Kick-off", due_date=date(2025, 12, 1)
        )
    assert "inside the plan's period" in error.value.message
    assert error.value.extra["field"] == "due_date"
    assert not Milestone.objects.exists()


def test_a_double_click_saves_one_update(
    plan: Any, make_action: Any, police: Any, officer: Any
) -> None:
    action = make_action(plan, [police])
    kwargs = {
        "action": action, "by": officer, "roles": OFFICER, "officer_org_ids": {str(police.pk)},
        "on": timezone.localdate(), "text": "Visited 20 homes", "form_token": "token-1",
    }  # fmt: skip
    services.progress_post(**kwargs)
    with pytest.raises(ApplicationError) as error:
        services.progress_post(**kwargs)
    assert error.value.message == services.DUPLICATE_UPDATE
    assert ProgressUpdate.objects.count() == 1
    assert AuditEvent.objects.filter(verb="progress.posted").count() == 1


def test_update_in_the_future_is_refused(
    plan: Any, make_action: Any, police: Any, officer: Any
) -> None:
    action = make_action(plan, [police])
    with pytest.raises(ApplicationError, match="future"):
        services.progress_post(
            action=action, by=officer, roles=OFFICER, officer_org_ids={str(police.pk)},
            on=timezone.localdate() + timedelta(days=3), text="Tomorrow",
        )  # fmt: skip


def test_only_a_manager_approves(plan: Any, analyst: Any, make_action: Any, police: Any) -> None:
    make_action(plan, [police])
    services.plan_submit(plan=plan, by=analyst, roles=ANALYST)
    with pytest.raises(PermissionDenied):
        services.plan_approve(plan=plan, by=analyst, roles=ANALYST, minute="Approved")
    plan.refresh_from_db()
    assert plan.status == "consultation"
    assert not PlanVersion.objects.exists()


def test_approving_twice_is_a_clear_message_not_a_second_version(
    plan: Any, analyst: Any, manager: Any, make_action: Any, police: Any
) -> None:
    make_action(plan, [police])
    approve(plan, analyst, manager)
    with pytest.raises(ApplicationError, match="already approved"):
        services.plan_approve(plan=plan, by=manager, roles=MANAGER, minute="Again")
    assert PlanVersion.objects.count() == 1


def test_approval_needs_the_minute(
    plan: Any, analyst: Any, manager: Any, make_action: Any, police: Any
) -> None:
    make_action(plan, [police])
    services.plan_submit(plan=plan, by=analyst, roles=ANALYST)
    with pytest.raises(ApplicationError) as error:
        services.plan_approve(plan=plan, by=manager, roles=MANAGER, minute="  ")
    assert error.value.extra["field"] == "minute"


def test_an_organisation_of_another_partnership_cannot_own_an_action(
    plan: Any, make_action: Any
) -> None:
    from tests.saferplaces.factories import OrganisationFactory

    elsewhere = OrganisationFactory(name="Other Police")
    with pytest.raises(ApplicationError, match="not part of this partnership"):
        make_action(plan, [elsewhere])
    assert not Action.objects.exists()
