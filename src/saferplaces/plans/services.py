"""Every write to a Community Safety Plan.

Each service checks the capability it needs, runs in one transaction (the plan row is locked,
so two people cannot both approve it, or edit it while it is being approved), validates, saves
and writes an audit event. A refusal raises ``PermissionDenied`` (not allowed at all: the view
answers 403 and audits ``access.forbidden``) or ``ApplicationError`` (allowed, but not like
this: the message names what is wrong) before anything is saved.

Approved and published plans are frozen. A change to the plan's structure (its words,
priorities, objectives, actions, milestones) first makes a new draft version, and the page
shows what changed since the last approved version. Delivery (progress updates, an action's
status, a milestone marked done) is not a change of the plan and leaves it published.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from saferplaces.accounts.models import Organisation, Partnership, User
from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError
from saferplaces.plans import selectors
from saferplaces.plans.models import (
    Action,
    ActionStatus,
    InterventionLevel,
    Milestone,
    Objective,
    Plan,
    PlanStatus,
    PlanVersion,
    Priority,
    ProgressUpdate,
)
from saferplaces.plans.permissions import (
    NOT_ALLOWED_APPROVE,
    NOT_ALLOWED_EDIT,
    NOT_ALLOWED_UPDATE,
    can_approve_plan,
    can_edit_plan,
    can_update_action,
)

PERIOD_ORDER = "The last year of the plan must be the same as or after the first year"
PERIOD_RANGE = "Enter the years as four digits between 2000 and 2100, for example 2026"
PERIOD_LENGTH = "A community safety plan covers at most 5 years"
TITLE_NEEDED = "Enter a title"
DATES_ORDER = "The completion date must be the same as or after the start date"
OUTSIDE_PERIOD = "The {what} must be inside the plan's period, {period}"
DONE_BEFORE_DUE_START = "The date it was done cannot be before the plan started ({start})"
NO_OWNER = "Choose at least one organisation that owns the action"
NOT_PARTNER = "{name} is not part of this partnership"
NOT_MEMBER = "{name} is not a member of this partnership"
UPDATE_TEXT_NEEDED = "Enter what has been done"
UPDATE_IN_FUTURE = "The date of the update cannot be in the future"
DUPLICATE_UPDATE = (
    "This update was already saved (the form was sent twice, perhaps by a double click). "
    "It has been saved once."
)
NOT_DRAFT_TO_SUBMIT = "Only a draft can be submitted for approval. This plan is {status}."
NOT_SUBMITTED = "Only a plan sent for approval can be approved. This plan is {status}."
ALREADY_APPROVED = "Version {number} of this plan is already approved."
MINUTE_NEEDED = "Enter the decision as minuted, for example the meeting, date and item"
NOT_APPROVED_TO_PUBLISH = "Only an approved plan can be published. This plan is {status}."
NO_PRIORITIES = "Add at least one priority before sending the plan for approval"
NOTHING_CHOSEN = "Choose at least one priority from the assessment"
ASSESSMENT_NOT_APPROVED = "Priorities can only come from an approved strategic assessment"
ASSESSMENT_OTHER_PARTNERSHIP = "The assessment belongs to another partnership"
UNKNOWN_CATEGORY = "The assessment has no priority called {key!r}"

VERB_CREATED = "plan.created"
VERB_CHANGED = "plan.changed"
VERB_NEW_VERSION = "plan.new_version"
VERB_SUBMITTED = "plan.submitted"
VERB_APPROVED = "plan.approved"
VERB_PUBLISHED = "plan.published"
VERB_EXPORTED = "plan.exported"


# --- helpers --------------------------------------------------------------------------------


def _require_editor(by: Any, roles: Collection[str]) -> None:
    if not can_edit_plan(by, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_EDIT)


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("partnership").get(pk=plan.pk)


def _period_problem(start_year: int, end_year: int) -> str:
    if not (2000 <= start_year <= 2100 and 2000 <= end_year <= 2100):
        return PERIOD_RANGE
    if end_year < start_year:
        return PERIOD_ORDER
    if end_year - start_year > 4:
        return PERIOD_LENGTH
    return ""


def _within_period(plan: Plan, day: date | None, what: str, field: str) -> None:
    if day is None:
        return
    if not (plan.start_year <= day.year <= plan.end_year):
        raise ApplicationError(
            OUTSIDE_PERIOD.format(
                what=what, period=f"1 January {plan.start_year} to 31 December {plan.end_year}"
            ),
            {"field": field},
        )


def _new_version_if_frozen(plan: Plan, by: Any) -> Plan:
    """An approved or published plan is never changed: a change starts the next draft version."""
    if not plan.is_frozen:
        return plan
    previous = plan.version_number
    plan.status = PlanStatus.DRAFT
    plan.version_number = previous + 1
    plan.submitted_by = None
    plan.submitted_at = None
    plan.save(
        update_fields=["status", "version_number", "submitted_by", "submitted_at", "updated_at"]
    )
    audit_record(
        actor=by,
        verb=VERB_NEW_VERSION,
        target=plan,
        partnership=plan.partnership,
        summary={"from_version": previous, "to_version": plan.version_number},
    )
    return plan


def _check_organisations(partnership: Partnership, organisations: Iterable[Organisation]) -> None:
    for organisation in organisations:
        if organisation.partnership_id != partnership.pk:
            raise ApplicationError(
                NOT_PARTNER.format(name=organisation.name), {"field": "organisations"}
            )


def _check_people(partnership: Partnership, people: Iterable[User], field: str) -> None:
    members = set(
        selectors.partnership_people(partnership=partnership).values_list("pk", flat=True)
    )
    for person in people:
        if person.pk not in members:
            raise ApplicationError(NOT_MEMBER.format(name=str(person)), {"field": field})


# --- the plan -------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    partnership: Partnership,
    by: Any,
    roles: Collection[str],
    title: str,
    start_year: int,
    end_year: int,
    vision: str = "",
) -> Plan:
    _require_editor(by, roles)
    title = (title or "").strip()
    if not title:
        raise ApplicationError(TITLE_NEEDED, {"field": "title"})
    problem = _period_problem(start_year, end_year)
    if problem:
        raise ApplicationError(
            problem, {"field": "end_year"} if problem == PERIOD_ORDER else "start_year"
        )
    plan = Plan.objects.create(
        partnership=partnership,
        title=title,
        start_year=start_year,
        end_year=end_year,
        vision=(vision or "").strip(),
        created_by=by,
    )
    audit_record(
        actor=by,
        verb=VERB_CREATED,
        target=plan,
        partnership=partnership,
        summary={"title": plan.title, "period": plan.period_label},
    )
    return plan


@transaction.atomic
def plan_change(
    *,
    plan: Plan,
    by: Any,
    roles: Collection[str],
    title: str,
    start_year: int,
    end_year: int,
    vision: str = "",
) -> Plan:
    _require_editor(by, roles)
    plan = _locked(plan)
    title = (title or "").strip()
    if not title:
        raise ApplicationError(TITLE_NEEDED, {"field": "title"})
    problem = _period_problem(start_year, end_year)
    if problem:
        raise ApplicationError(
            problem, {"field": "end_year"} if problem == PERIOD_ORDER else "start_year"
        )
    new = {
        "title": title,
        "start_year": start_year,
        "end_year": end_year,
        "vision": (vision or "").strip(),
    }
    changed = {k: [getattr(plan, k), v] for k, v in new.items() if getattr(plan, k) != v}
    if not changed:
        return plan
    plan = _new_version_if_frozen(plan, by)
    for key, value in new.items():
        setattr(plan, key, value)
    plan.save()
    audit_record(
        actor=by,
        verb=VERB_CHANGED,
        target=plan,
        partnership=plan.partnership,
        summary={"changed": sorted(changed), "version": plan.version_number},
    )
    return plan


@transaction.atomic
def plan_submit(*, plan: Plan, by: Any, roles: Collection[str]) -> Plan:
    """Send the draft for approval (and consultation with partners)."""
    _require_editor(by, roles)
    plan = _locked(plan)
    if plan.status != PlanStatus.DRAFT:
        raise ApplicationError(NOT_DRAFT_TO_SUBMIT.format(status=plan.get_status_display().lower()))
    if not plan.priorities.exists():
        raise ApplicationError(NO_PRIORITIES)
    plan.status = PlanStatus.CONSULTATION
    plan.submitted_by = by
    plan.submitted_at = timezone.now()
    plan.save()
    audit_record(
        actor=by,
        verb=VERB_SUBMITTED,
        target=plan,
        partnership=plan.partnership,
        summary={"version": plan.version_number},
    )
    return plan


@transaction.atomic
def plan_approve(
    *,
    plan: Plan,
    by: Any,
    roles: Collection[str],
    minute: str,
    approved_on: date | None = None,
) -> PlanVersion:
    """Approve the version under consultation: record the trail row and freeze a snapshot."""
    if not can_approve_plan(by, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_APPROVE)
    plan = _locked(plan)
    if plan.is_frozen:
        raise ApplicationError(ALREADY_APPROVED.format(number=plan.version_number))
    if plan.status != PlanStatus.CONSULTATION:
        raise ApplicationError(NOT_SUBMITTED.format(status=plan.get_status_display().lower()))
    minute = (minute or "").strip()
    if not minute:
        raise ApplicationError(MINUTE_NEEDED, {"field": "minute"})
    approved_on = approved_on or timezone.localdate()
    if approved_on > timezone.localdate():
        raise ApplicationError(
            "The date of the decision cannot be in the future", {"field": "approved_on"}
        )
    version = PlanVersion.objects.create(
        plan=plan,
        number=plan.version_number,
        approved_on=approved_on,
        approved_by=by,
        minute=minute,
        snapshot=selectors.plan_snapshot(plan=plan),
    )
    plan.status = PlanStatus.APPROVED
    plan.save()
    audit_record(
        actor=by,
        verb=VERB_APPROVED,
        target=plan,
        partnership=plan.partnership,
        summary={"version": version.number, "minute": minute[:200]},
    )
    return version


@transaction.atomic
def plan_publish(*, plan: Plan, by: Any, roles: Collection[str]) -> Plan:
    """Show the approved plan to residents (the public summary and leaflet)."""
    if not can_approve_plan(by, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_APPROVE)
    plan = _locked(plan)
    if plan.status != PlanStatus.APPROVED:
        raise ApplicationError(
            NOT_APPROVED_TO_PUBLISH.format(status=plan.get_status_display().lower())
        )
    now = timezone.now()
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = now
    plan.save()
    PlanVersion.objects.filter(plan=plan, number=plan.version_number).update(published_at=now)
    audit_record(
        actor=by,
        verb=VERB_PUBLISHED,
        target=plan,
        partnership=plan.partnership,
        summary={"version": plan.version_number},
    )
    return plan


def plan_export_record(*, plan: Plan, by: Any, file_format: str) -> None:
    audit_record(
        actor=by,
        verb=VERB_EXPORTED,
        target=plan,
        partnership=plan.partnership,
        summary={"format": file_format, "version": plan.version_number},
    )


# --- priorities and objectives --------------------------------------------------------------


def _priority_values(plan: Plan, data: Mapping[str, Any]) -> dict[str, Any]:
    title = (data.get("title") or "").strip()
    if not title:
        raise ApplicationError(TITLE_NEEDED, {"field": "title"})
    lead_officer = data.get("lead_officer")
    lead_organisation = data.get("lead_organisation")
    if lead_organisation is not None:
        _check_organisations(plan.partnership, [lead_organisation])
    if lead_officer is not None:
        _check_people(plan.partnership, [lead_officer], "lead_officer")
    return {
        "title": title,
        "description": (data.get("description") or "").strip(),
        "lead_officer": lead_officer,
        "lead_organisation": lead_organisation,
        "order": data.get("order") or 0,
    }


@transaction.atomic
def priority_create(
    *, plan: Plan, by: Any, roles: Collection[str], data: Mapping[str, Any]
) -> Priority:
    _require_editor(by, roles)
    plan = _locked(plan)
    values = _priority_values(plan, data)
    plan = _new_version_if_frozen(plan, by)
    if not values["order"]:
        values["order"] = plan.priorities.count() + 1
    priority = Priority.objects.create(plan=plan, **values)
    audit_record(
        actor=by,
        verb="priority.created",
        target=priority,
        partnership=plan.partnership,
        summary={"plan": str(plan.pk), "title": priority.title},
    )
    return priority


@transaction.atomic
def priority_change(
    *, priority: Priority, by: Any, roles: Collection[str], data: Mapping[str, Any]
) -> Priority:
    _require_editor(by, roles)
    plan = _locked(priority.plan)
    values = _priority_values(plan, data)
    if not values["order"]:
        values["order"] = priority.order
    changed = sorted(k for k, v in values.items() if getattr(priority, k) != v)
    if not changed:
        return priority
    _new_version_if_frozen(plan, by)
    for key, value in values.items():
        setattr(priority, key, value)
    priority.save()
    audit_record(
        actor=by,
        verb="priority.changed",
        target=priority,
        partnership=plan.partnership,
        summary={"changed": changed},
    )
    return priority


@transaction.atomic
def priorities_from_assessment(
    *,
    plan: Plan,
    assessment: Any,
    categories: Collection[str],
    by: Any,
    roles: Collection[str],
) -> list[Priority]:
    """Create the chosen rows of the approved assessment's priority matrix as plan priorities,
    each keeping its evidence: the assessment version, the category and its score then."""
    from saferplaces.assessments.document import priority_rows

    _require_editor(by, roles)
    plan = _locked(plan)
    if not categories:
        raise ApplicationError(NOTHING_CHOSEN, {"field": "categories"})
    if assessment.partnership_id != plan.partnership_id:
        raise ApplicationError(ASSESSMENT_OTHER_PARTNERSHIP)
    if not assessment.is_approved:
        raise ApplicationError(ASSESSMENT_NOT_APPROVED)
    rows = {row.category: row for row in priority_rows(assessment)}
    for key in categories:
        if key not in rows:
            raise ApplicationError(UNKNOWN_CATEGORY.format(key=key), {"field": "categories"})
    taken = set(
        plan.priorities.filter(assessment=assessment).values_list("assessment_category", flat=True)
    )
    chosen = [rows[key] for key in categories if key not in taken]
    if not chosen:
        return []
    plan = _new_version_if_frozen(plan, by)
    order = plan.priorities.count()
    created = []
    for row in sorted(chosen, key=lambda r: r.rank):
        order += 1
        score = row.final
        priority = Priority.objects.create(
            plan=plan,
            title=row.label,
            description=(
                f"Ranked {row.rank} in the strategic assessment (version {assessment.number})."
            ),
            order=order,
            assessment=assessment,
            assessment_category=row.category,
            assessment_category_label=row.label,
            assessment_score=score,
            assessment_rank=row.rank,
        )
        created.append(priority)
        audit_record(
            actor=by,
            verb="priority.created",
            target=priority,
            partnership=plan.partnership,
            summary={
                "plan": str(plan.pk),
                "title": priority.title,
                "assessment": str(assessment.pk),
                "assessment_version": assessment.number,
                "category": row.category,
                "score": score,
            },
        )
    return created


@transaction.atomic
def objective_create(
    *, priority: Priority, by: Any, roles: Collection[str], text: str
) -> Objective:
    _require_editor(by, roles)
    plan = _locked(priority.plan)
    text = (text or "").strip()
    if not text:
        raise ApplicationError("Enter the objective", {"field": "text"})
    _new_version_if_frozen(plan, by)
    objective = Objective.objects.create(
        priority=priority, text=text, order=priority.objectives.count() + 1
    )
    audit_record(
        actor=by,
        verb="objective.created",
        target=objective,
        partnership=plan.partnership,
        summary={"priority": str(priority.pk)},
    )
    return objective


@transaction.atomic
def objective_change(
    *, objective: Objective, by: Any, roles: Collection[str], text: str
) -> Objective:
    _require_editor(by, roles)
    plan = _locked(objective.priority.plan)
    text = (text or "").strip()
    if not text:
        raise ApplicationError("Enter the objective", {"field": "text"})
    if text == objective.text:
        return objective
    _new_version_if_frozen(plan, by)
    objective.text = text
    objective.save()
    audit_record(
        actor=by,
        verb="objective.changed",
        target=objective,
        partnership=plan.partnership,
        summary={"changed": ["text"]},
    )
    return objective


# --- actions and milestones -----------------------------------------------------------------


def _action_values(plan: Plan, priority: Priority, data: Mapping[str, Any]) -> dict[str, Any]:
    key_activity = (data.get("key_activity") or "").strip()
    if not key_activity:
        raise ApplicationError("Enter the key activity", {"field": "key_activity"})
    organisations = list(data.get("organisations") or [])
    if not organisations:
        raise ApplicationError(NO_OWNER, {"field": "organisations"})
    _check_organisations(plan.partnership, organisations)
    officers = list(data.get("responsible_officers") or [])
    _check_people(plan.partnership, officers, "responsible_officers")
    level = data.get("intervention_level") or ""
    if level not in InterventionLevel.values:
        raise ApplicationError("Choose the intervention level", {"field": "intervention_level"})
    status = data.get("status") or ActionStatus.NOT_STARTED
    if status not in ActionStatus.values:
        raise ApplicationError("Choose the status", {"field": "status"})
    start, completion = data.get("start_date"), data.get("completion_date")
    _within_period(plan, start, "start date", "start_date")
    _within_period(plan, completion, "completion date", "completion_date")
    if start and completion and completion < start:
        raise ApplicationError(DATES_ORDER, {"field": "completion_date"})
    cost = data.get("cost")
    if cost is not None and Decimal(cost) < 0:
        raise ApplicationError("The cost cannot be negative", {"field": "cost"})
    objective = data.get("objective")
    if objective is not None and objective.priority_id != priority.pk:
        raise ApplicationError("Choose an objective of this priority", {"field": "objective"})
    return {
        "fields": {
            "key_activity": key_activity,
            "objective": objective,
            "intervention_level": level,
            "status": status,
            "start_date": start,
            "completion_date": completion,
            "cost": cost,
            "funding_source": (data.get("funding_source") or "").strip(),
        },
        "organisations": organisations,
        "officers": officers,
    }


@transaction.atomic
def action_create(
    *, priority: Priority, by: Any, roles: Collection[str], data: Mapping[str, Any]
) -> Action:
    _require_editor(by, roles)
    plan = _locked(priority.plan)
    values = _action_values(plan, priority, data)
    _new_version_if_frozen(plan, by)
    action = Action.objects.create(
        priority=priority, order=priority.actions.count() + 1, **values["fields"]
    )
    action.organisations.set(values["organisations"])
    action.responsible_officers.set(values["officers"])
    audit_record(
        actor=by,
        verb="action.created",
        target=action,
        partnership=plan.partnership,
        summary={
            "priority": str(priority.pk),
            "organisations": sorted(o.name for o in values["organisations"]),
            "level": action.intervention_level,
        },
    )
    return action


@transaction.atomic
def action_change(
    *, action: Action, by: Any, roles: Collection[str], data: Mapping[str, Any]
) -> Action:
    _require_editor(by, roles)
    plan = _locked(action.priority.plan)
    values = _action_values(plan, action.priority, data)
    changed = sorted(k for k, v in values["fields"].items() if getattr(action, k) != v)
    if {o.pk for o in action.organisations.all()} != {o.pk for o in values["organisations"]}:
        changed.append("organisations")
    if {u.pk for u in action.responsible_officers.all()} != {u.pk for u in values["officers"]}:
        changed.append("responsible_officers")
    if not changed:
        return action
    # Status alone is delivery, not a change to the agreed plan.
    if set(changed) - {"status", "responsible_officers"}:
        _new_version_if_frozen(plan, by)
    for key, value in values["fields"].items():
        setattr(action, key, value)
    action.save()
    action.organisations.set(values["organisations"])
    action.responsible_officers.set(values["officers"])
    audit_record(
        actor=by,
        verb="action.changed",
        target=action,
        partnership=plan.partnership,
        summary={"changed": changed},
    )
    return action


def _require_action_updater(
    action: Action, by: Any, roles: Collection[str], officer_org_ids: Collection[str]
) -> None:
    owners = list(action.organisations.all())
    if not can_update_action(
        by,
        roles=roles,
        officer_organisation_ids=officer_org_ids,
        action_organisation_ids=[o.pk for o in owners],
    ):
        names = " and ".join(o.name for o in owners) or "no organisation"
        raise PermissionDenied(NOT_ALLOWED_UPDATE.format(owners=names))


@transaction.atomic
def milestone_create(
    *,
    action: Action,
    by: Any,
    roles: Collection[str],
    title: str,
    due_date: date,
    done_date: date | None = None,
) -> Milestone:
    _require_editor(by, roles)
    plan = _locked(action.priority.plan)
    title = (title or "").strip()
    if not title:
        raise ApplicationError(TITLE_NEEDED, {"field": "title"})
    _within_period(plan, due_date, "due date", "due_date")
    if done_date is not None and done_date.year < plan.start_year:
        raise ApplicationError(
            DONE_BEFORE_DUE_START.format(start=f"1 January {plan.start_year}"),
            {"field": "done_date"},
        )
    _new_version_if_frozen(plan, by)
    milestone = Milestone.objects.create(
        action=action, title=title, due_date=due_date, done_date=done_date
    )
    audit_record(
        actor=by,
        verb="milestone.created",
        target=milestone,
        partnership=plan.partnership,
        summary={"action": str(action.pk), "due": due_date.isoformat()},
    )
    return milestone


@transaction.atomic
def milestone_change(
    *,
    milestone: Milestone,
    by: Any,
    roles: Collection[str],
    officer_org_ids: Collection[str],
    title: str,
    due_date: date,
    done_date: date | None,
) -> Milestone:
    """Editors change anything; the owning organisation's officer may only mark it done."""
    action = milestone.action
    plan = _locked(action.priority.plan)
    title = (title or "").strip()
    structural = title != milestone.title or due_date != milestone.due_date
    if structural:
        _require_editor(by, roles)
    else:
        _require_action_updater(action, by, roles, officer_org_ids)
    if not title:
        raise ApplicationError(TITLE_NEEDED, {"field": "title"})
    _within_period(plan, due_date, "due date", "due_date")
    if done_date is not None:
        if done_date.year < plan.start_year:
            raise ApplicationError(
                DONE_BEFORE_DUE_START.format(start=f"1 January {plan.start_year}"),
                {"field": "done_date"},
            )
        if done_date > timezone.localdate():
            raise ApplicationError(
                "The date it was done cannot be in the future", {"field": "done_date"}
            )
    if structural:
        _new_version_if_frozen(plan, by)
    before = {
        "title": milestone.title,
        "due": str(milestone.due_date),
        "done": str(milestone.done_date),
    }
    milestone.title, milestone.due_date, milestone.done_date = title, due_date, done_date
    milestone.save()
    audit_record(
        actor=by,
        verb="milestone.changed",
        target=milestone,
        partnership=plan.partnership,
        summary={"before": before, "done": str(done_date) if done_date else ""},
    )
    return milestone


@transaction.atomic
def progress_post(
    *,
    action: Action,
    by: Any,
    roles: Collection[str],
    officer_org_ids: Collection[str],
    on: date,
    text: str,
    evidence_note: str = "",
    status: str = "",
    form_token: str = "",
) -> ProgressUpdate:
    """Post a progress update (and optionally the action's new status).

    ``form_token`` is the one-time token of the form: the same token posted twice (a double
    click) raises ``ApplicationError(DUPLICATE_UPDATE)`` and saves nothing the second time.
    """
    _require_action_updater(action, by, roles, officer_org_ids)
    plan = action.priority.plan
    text = (text or "").strip()
    if not text:
        raise ApplicationError(UPDATE_TEXT_NEEDED, {"field": "text"})
    if on > timezone.localdate():
        raise ApplicationError(UPDATE_IN_FUTURE, {"field": "on"})
    if status and status not in ActionStatus.values:
        raise ApplicationError("Choose the status", {"field": "status"})
    token = (form_token or "").strip() or None
    if token and ProgressUpdate.objects.filter(form_token=token).exists():
        raise ApplicationError(DUPLICATE_UPDATE, {"duplicate": True})
    try:
        with transaction.atomic():
            update = ProgressUpdate.objects.create(
                action=action,
                date=on,
                text=text,
                evidence_note=(evidence_note or "").strip(),
                author=by,
                form_token=token,
            )
    except IntegrityError:
        # Two identical posts raced: the other one won.
        raise ApplicationError(DUPLICATE_UPDATE, {"duplicate": True}) from None
    old_status = action.status
    if status and status != old_status:
        action.status = status
        action.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=by,
        verb="progress.posted",
        target=action,
        partnership=plan.partnership,
        summary={
            "update": str(update.pk),
            "date": on.isoformat(),
            "status": [old_status, action.status] if action.status != old_status else action.status,
        },
    )
    return update
