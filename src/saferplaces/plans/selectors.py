"""Reading plans: visibility, the action plan table, the balance of levels, snapshots and diffs."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from saferplaces.accounts.models import Membership, Organisation, Partnership, Role, User
from saferplaces.accounts.permissions import roles_in_partnership
from saferplaces.core.selectors import object_get_visible_or_404
from saferplaces.plans.models import (
    Action,
    InterventionLevel,
    Plan,
    PlanStatus,
    PlanVersion,
    Priority,
)
from saferplaces.plans.permissions import roles_can_read_plans
from saferplaces_reports.tables import Table


def plan_list_visible(
    *, user: Any, partnership: Partnership, roles: Collection[str]
) -> QuerySet[Plan]:
    if not getattr(user, "is_authenticated", False) or not roles_can_read_plans(roles):
        return Plan.objects.none()
    return Plan.objects.filter(partnership=partnership).select_related("partnership")


def plan_get_for_user(*, user: Any, plan_id: Any) -> tuple[Plan, set[str]]:
    """A plan of a partnership the user belongs to, with their roles there; 404 otherwise."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such page")
    candidates = Plan.objects.filter(partnership__organisations__memberships__user=user).distinct()
    plan = object_get_visible_or_404(
        candidates.select_related("partnership"), pk=plan_id, user=user
    )
    roles = roles_in_partnership(user, plan.partnership)
    visible = plan_list_visible(user=user, partnership=plan.partnership, roles=roles)
    plan = object_get_visible_or_404(visible, pk=plan_id, user=user, partnership=plan.partnership)
    return plan, roles


def officer_organisation_ids(*, user: Any, partnership: Partnership) -> set[str]:
    """The organisations in the partnership where the user is a partner officer."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {
        str(pk)
        for pk in Membership.objects.filter(
            user=user, role=Role.PARTNER_OFFICER, organisation__partnership=partnership
        ).values_list("organisation_id", flat=True)
    }


def partnership_organisations(*, partnership: Partnership) -> QuerySet[Organisation]:
    return Organisation.objects.filter(partnership=partnership).order_by("name")


def partnership_people(*, partnership: Partnership) -> QuerySet[User]:
    """Active members of the partnership: who may lead a priority or be responsible."""
    return (
        User.objects.filter(is_active=True, memberships__organisation__partnership=partnership)
        .distinct()
        .order_by("full_name", "email")
    )


def plan_priorities(*, plan: Plan) -> list[Priority]:
    """Priorities in order, with objectives and actions (owners, officers, milestones, updates)."""
    actions = Action.objects.prefetch_related(
        "organisations", "responsible_officers", "milestones", "updates__author"
    ).select_related("objective")
    return list(
        Priority.objects.filter(plan=plan)
        .select_related("lead_officer", "lead_organisation", "assessment")
        .prefetch_related("objectives", Prefetch("actions", queryset=actions))
        .order_by("order", "title")
    )


def plan_actions(*, plan: Plan) -> list[Action]:
    return [action for priority in plan_priorities(plan=plan) for action in priority.actions.all()]


def plan_last_version(*, plan: Plan) -> PlanVersion | None:
    return plan.versions.order_by("-number").first()


def plan_versions(*, plan: Plan) -> list[PlanVersion]:
    return list(plan.versions.select_related("approved_by").order_by("number"))


def plans_published() -> QuerySet[Plan]:
    """Every published plan, for the public home page."""
    return (
        Plan.objects.filter(status=PlanStatus.PUBLISHED)
        .select_related("partnership")
        .order_by("partnership__name", "-start_year")
    )


def plan_get_public(*, plan_id: Any) -> Plan:
    """A published plan, or a 404: drafts and plans under consultation are not public."""
    try:
        return plans_published().get(pk=plan_id)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404("No such plan") from None


# --- The balance of intervention levels ---------------------------------------------------


@dataclass(frozen=True)
class LevelCount:
    key: str
    label: str
    count: int


def intervention_balance(actions: Collection[Action]) -> list[LevelCount]:
    """How many actions sit at each of the four levels, in the order of the levels."""
    counts = {level.value: 0 for level in InterventionLevel}
    for action in actions:
        counts[action.intervention_level] = counts.get(action.intervention_level, 0) + 1
    return [
        LevelCount(level.value, str(level.label), counts[level.value])
        for level in InterventionLevel
    ]


# --- The action plan table (exports) ------------------------------------------------------

ACTION_PLAN_COLUMNS = (
    "Priority",
    "Objective",
    "Key activity",
    "Responsible officer",
    "Organisation",
    "Intervention level",
    "Milestones",
    "Progress",
    "Status",
    "Completion date",
    "Cost (£)",
    "Funding source",
)


def _person(user: Any) -> str:
    return (user.full_name or user.email) if user else ""


def _milestones_text(action: Action) -> str:
    parts = []
    for milestone in action.milestones.all():
        done = f", done {milestone.done_date:%d/%m/%Y}" if milestone.done_date else ""
        parts.append(f"{milestone.title} (due {milestone.due_date:%d/%m/%Y}{done})")
    return "; ".join(parts)


def _progress_text(action: Action) -> str:
    latest = next(iter(action.updates.all()), None)
    if latest is None:
        return ""
    return f"{latest.date:%d/%m/%Y}: {latest.text}"


def action_plan_table(*, plan: Plan) -> Table:
    """The CSP action plan layout: priority, key activity, responsible officer, milestones,
    progress and completion date, with the owners, level, status, cost and funding."""
    rows = []
    for priority in plan_priorities(plan=plan):
        for action in priority.actions.all():
            rows.append(
                (
                    priority.title,
                    action.objective.text if action.objective else "",
                    action.key_activity,
                    "; ".join(_person(u) for u in action.responsible_officers.all()),
                    "; ".join(o.name for o in action.organisations.all()),
                    action.get_intervention_level_display(),
                    _milestones_text(action),
                    _progress_text(action),
                    action.get_status_display(),
                    action.completion_date,
                    float(action.cost) if action.cost is not None else None,
                    action.funding_source,
                )
            )
    return Table(
        key="action-plan",
        title=f"Action plan: {plan.title} {plan.period_label}",
        columns=ACTION_PLAN_COLUMNS,
        rows=tuple(rows),
        notes=(
            f"{plan.partnership.name}. Plan status: {plan.get_status_display()}, "
            f"version {plan.version_number}.",
            "Progress is the latest update posted by the responsible organisation.",
        ),
    )


# --- Snapshots and the diff between the last approved version and the draft ---------------


def _money(value: Any) -> str:
    return "" if value is None else f"{value:.2f}"


def plan_snapshot(*, plan: Plan) -> dict[str, Any]:
    """What an approval freezes: the plan's words, priorities and actions (no personal names)."""
    priorities = []
    for priority in plan_priorities(plan=plan):
        priorities.append(
            {
                "id": str(priority.pk),
                "title": priority.title,
                "description": priority.description,
                "lead_organisation": (
                    priority.lead_organisation.name if priority.lead_organisation else ""
                ),
                "objectives": [o.text for o in priority.objectives.all()],
                "actions": [
                    {
                        "id": str(action.pk),
                        "key_activity": action.key_activity,
                        "organisations": sorted(o.name for o in action.organisations.all()),
                        "intervention_level": action.get_intervention_level_display(),
                        "completion_date": (
                            action.completion_date.isoformat() if action.completion_date else ""
                        ),
                        "cost": _money(action.cost),
                        "funding_source": action.funding_source,
                    }
                    for action in priority.actions.all()
                ],
            }
        )
    return {
        "plan": {
            "title": plan.title,
            "period": plan.period_label,
            "vision": plan.vision,
        },
        "priorities": priorities,
    }


PRIORITY_FIELDS = {
    "title": "Title",
    "description": "Description",
    "lead_organisation": "Lead organisation",
    "objectives": "Objectives",
}
ACTION_FIELDS = {
    "key_activity": "Key activity",
    "organisations": "Organisations",
    "intervention_level": "Intervention level",
    "completion_date": "Completion date",
    "cost": "Cost (£)",
    "funding_source": "Funding source",
}
PLAN_FIELDS = {"title": "Title", "period": "Period", "vision": "Vision"}


@dataclass(frozen=True)
class Change:
    kind: str  # "plan", "priority" or "action"
    change: str  # "added", "removed" or "changed"
    title: str
    fields: tuple[tuple[str, str, str], ...] = ()  # (label, before, after)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value or "")


def _field_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], labels: Mapping[str, str]
) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (label, _text(before.get(key)), _text(after.get(key)))
        for key, label in labels.items()
        if _text(before.get(key)) != _text(after.get(key))
    )


def plan_diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Added, removed and changed priorities and actions between two snapshots."""
    changes: list[Change] = []
    plan_fields = _field_changes(before.get("plan", {}), after.get("plan", {}), PLAN_FIELDS)
    if plan_fields:
        changes.append(
            Change("plan", "changed", after.get("plan", {}).get("title", ""), plan_fields)
        )
    old_priorities = {p["id"]: p for p in before.get("priorities", [])}
    new_priorities = {p["id"]: p for p in after.get("priorities", [])}
    old_actions = {a["id"]: a for p in before.get("priorities", []) for a in p["actions"]}
    new_actions = {a["id"]: a for p in after.get("priorities", []) for a in p["actions"]}
    for key, priority in new_priorities.items():
        if key not in old_priorities:
            changes.append(Change("priority", "added", priority["title"]))
        else:
            fields = _field_changes(old_priorities[key], priority, PRIORITY_FIELDS)
            if fields:
                changes.append(Change("priority", "changed", priority["title"], fields))
    for key, priority in old_priorities.items():
        if key not in new_priorities:
            changes.append(Change("priority", "removed", priority["title"]))
    for key, action in new_actions.items():
        if key not in old_actions:
            changes.append(Change("action", "added", action["key_activity"]))
        else:
            fields = _field_changes(old_actions[key], action, ACTION_FIELDS)
            if fields:
                changes.append(Change("action", "changed", action["key_activity"], fields))
    for key, action in old_actions.items():
        if key not in new_actions:
            changes.append(Change("action", "removed", action["key_activity"]))
    return changes


def plan_diff_since_approval(*, plan: Plan) -> tuple[PlanVersion | None, list[Change]]:
    """The last approved version and what the current draft changed since (empty when frozen)."""
    last = plan_last_version(plan=plan)
    if last is None or plan.is_frozen:
        return last, []
    return last, plan_diff(last.snapshot or {}, plan_snapshot(plan=plan))


# --- The approved assessment's priority matrix --------------------------------------------


@dataclass(frozen=True)
class MatrixRow:
    category: str
    label: str
    score: float | None
    rank: int
    already_in_plan: bool


def assessment_matrix_rows(*, plan: Plan, assessment: Any) -> list[MatrixRow]:
    """The approved assessment's priority matrix, ranked, marking rows already in the plan."""
    from saferplaces.assessments.document import priority_rows

    taken = set(
        plan.priorities.filter(assessment=assessment).values_list("assessment_category", flat=True)
    )
    return [
        MatrixRow(row.category, row.label, row.final, row.rank, row.category in taken)
        for row in sorted(priority_rows(assessment), key=lambda r: r.rank)
    ]
