"""Community Safety Plan pages: list, detail, edits, progress, sign-off, downloads, public summary.

Thin: each view finds its object through a selector (404 when it is not visible), asks the
permission predicates (403 when visible but not allowed, audited as ``access.forbidden``) and
calls one service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from saferplaces.accounts.decorators import sign_in_required
from saferplaces.accounts.selectors import partnership_and_roles_current
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.forms_govuk import posted
from saferplaces.core.refusal import refused_response
from saferplaces.plans import permissions, selectors, services
from saferplaces.plans.forms import (
    ActionForm,
    ApproveForm,
    FromAssessmentForm,
    MilestoneForm,
    ObjectiveForm,
    PlanForm,
    PriorityForm,
    ProgressForm,
)
from saferplaces.plans.models import Action, Milestone, Objective, Plan, PlanStatus, Priority

GET_POST = ["GET", "HEAD", "POST"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _current(request: HttpRequest) -> tuple[Any, set[str]]:
    return partnership_and_roles_current(request, permissions.NOT_ALLOWED_VIEW)


def _forbidden(request: HttpRequest, plan: Plan, message: str) -> HttpResponse:
    """A 403 that says why, on a page that links back to the plan; the refusal is audited."""
    return refused_response(
        request, "plans/refused.html", {"plan": plan}, message, partnership=plan.partnership
    )


def _to_plan(plan: Plan, anchor: str = "") -> HttpResponse:
    url = reverse("plans:detail", kwargs={"plan_id": plan.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _editor_plan(request: HttpRequest, plan_id: Any) -> tuple[Plan, set[str], HttpResponse | None]:
    plan, roles = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    if not permissions.can_edit_plan(request.user, roles=roles):
        return plan, roles, _forbidden(request, plan, permissions.NOT_ALLOWED_EDIT)
    return plan, roles, None


def _frozen_notice(plan: Plan) -> str:
    if plan.is_frozen:
        return (
            f"Version {plan.version_number} of this plan is {plan.get_status_display().lower()}. "
            f"Saving this change starts draft version {plan.version_number + 1}; residents keep "
            "seeing the published plan until the new version is approved and published."
        )
    return ""


def _get(model: Any, **lookup: Any) -> Any:
    try:
        return model.objects.get(**lookup)
    except (model.DoesNotExist, ValueError):
        raise Http404("No such page") from None


# --- list, detail, create, edit --------------------------------------------------------------


@sign_in_required
@require_safe
def plan_list_view(request: HttpRequest) -> HttpResponse:
    partnership, roles = _current(request)
    if not permissions.can_view_plans(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_VIEW)
    plans = list(
        selectors.plan_list_visible(user=request.user, partnership=partnership, roles=roles)
    )
    return render(
        request,
        "plans/list.html",
        {
            "partnership": partnership,
            "plans": plans,
            "can_edit": permissions.can_edit_plan(request.user, roles=roles),
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def plan_new_view(request: HttpRequest) -> HttpResponse:
    partnership, roles = _current(request)
    if not permissions.can_edit_plan(request.user, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_EDIT)
    form = PlanForm(posted(request), initial={"title": "Community Safety Plan"})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                partnership=partnership, by=request.user, roles=roles, **form.cleaned_data
            )
        except ApplicationError as error:
            error.add_to(form, "title")
        else:
            messages.success(request, f"Plan created: {plan.title} {plan.period_label}.")
            return _to_plan(plan)
    return render(
        request, "plans/plan_form.html", {"form": form, "partnership": partnership, "plan": None}
    )


@sign_in_required
@require_http_methods(GET_POST)
def plan_edit_view(request: HttpRequest, plan_id: Any) -> HttpResponse:
    plan, roles, refused = _editor_plan(request, plan_id)
    if refused:
        return refused
    form = PlanForm(
        posted(request),
        initial={
            "title": plan.title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "vision": plan.vision,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_change(plan=plan, by=request.user, roles=roles, **form.cleaned_data)
        except ApplicationError as error:
            error.add_to(form, "title")
        else:
            messages.success(request, "Plan saved.")
            return _to_plan(plan)
    return render(
        request,
        "plans/plan_form.html",
        {
            "form": form,
            "partnership": plan.partnership,
            "plan": plan,
            "frozen": _frozen_notice(plan),
        },
    )


def _balance_chart(balance: list[Any]) -> Any:
    from saferplaces_reports.charts import bars

    if not any(level.count for level in balance):
        return None
    return bars(
        [level.label for level in balance],
        [level.count for level in balance],
        title="Actions by intervention level",
        x_label="Number of actions",
    )


@sign_in_required
@require_safe
def plan_detail_view(request: HttpRequest, plan_id: Any) -> HttpResponse:
    plan, roles = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    priorities = selectors.plan_priorities(plan=plan)
    actions = [action for priority in priorities for action in priority.actions.all()]
    balance = selectors.intervention_balance(actions)
    own_orgs = selectors.officer_organisation_ids(user=request.user, partnership=plan.partnership)
    updatable = {
        action.pk
        for action in actions
        if permissions.can_update_action(
            request.user,
            roles=roles,
            officer_organisation_ids=own_orgs,
            action_organisation_ids=[o.pk for o in action.organisations.all()],
        )
    }
    last_version, changes = selectors.plan_diff_since_approval(plan=plan)
    can_edit = permissions.can_edit_plan(request.user, roles=roles)
    can_approve = permissions.can_approve_plan(request.user, roles=roles)
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "partnership": plan.partnership,
            "priorities": priorities,
            "actions": actions,
            "balance": balance,
            "balance_chart": _balance_chart(balance),
            "versions": selectors.plan_versions(plan=plan),
            "last_version": last_version,
            "changes": changes,
            "can_edit": can_edit,
            "can_submit": can_edit and plan.status == PlanStatus.DRAFT,
            "can_approve": can_approve and plan.status == PlanStatus.CONSULTATION,
            "can_publish": can_approve and plan.status == PlanStatus.APPROVED,
            "updatable": updatable,
            "today": timezone.localdate(),
        },
    )


# --- priorities and objectives ------------------------------------------------------------


def _priority_form(request: HttpRequest, plan: Plan, initial: dict[str, Any]) -> PriorityForm:
    return PriorityForm(
        posted(request),
        initial=initial,
        people=selectors.partnership_people(partnership=plan.partnership),
        organisations=selectors.partnership_organisations(partnership=plan.partnership),
    )


@sign_in_required
@require_http_methods(GET_POST)
def priority_new_view(request: HttpRequest, plan_id: Any) -> HttpResponse:
    plan, roles, refused = _editor_plan(request, plan_id)
    if refused:
        return refused
    form = _priority_form(request, plan, {})
    if request.method == "POST" and form.is_valid():
        try:
            priority = services.priority_create(
                plan=plan, by=request.user, roles=roles, data=form.cleaned_data
            )
        except ApplicationError as error:
            error.add_to(form, "title")
        else:
            messages.success(request, f"Priority added: {priority.title}.")
            return _to_plan(plan, f"priority-{priority.pk}")
    return render(
        request,
        "plans/priority_form.html",
        {"form": form, "plan": plan, "priority": None, "frozen": _frozen_notice(plan)},
    )


@sign_in_required
@require_http_methods(GET_POST)
def priority_edit_view(request: HttpRequest, plan_id: Any, priority_id: Any) -> HttpResponse:
    plan, roles, refused = _editor_plan(request, plan_id)
    if refused:
        return refused
    priority = _get(Priority, plan=plan, pk=priority_id)
    form = _priority_form(
        request,
        plan,
        {
            "title": priority.title,
            "description": priority.description,
            "lead_officer": priority.lead_officer_id,
            "lead_organisation": priority.lead_organisation_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_change(
                priority=priority, by=request.user, roles=roles, data=form.cleaned_data
            )
        except ApplicationError as error:
            error.add_to(form, "title")
        else:
            messages.success(request, f"Priority saved: {priority.title}.")
            return _to_plan(plan, f"priority-{priority.pk}")
    return render(
        request,
        "plans/priority_form.html",
        {"form": form, "plan": plan, "priority": priority, "frozen": _frozen_notice(plan)},
    )


@sign_in_required
@require_http_methods(GET_POST)
def priorities_from_assessment_view(request: HttpRequest, plan_id: Any) -> HttpResponse:
    from saferplaces.assessments.selectors import assessment_last_approved

    plan, roles, refused = _editor_plan(request, plan_id)
    if refused:
        return refused
    assessment = assessment_last_approved(partnership=plan.partnership)
    rows = selectors.assessment_matrix_rows(plan=plan, assessment=assessment) if assessment else []
    form = FromAssessmentForm(posted(request), rows=rows)
    if request.method == "POST" and assessment is not None and form.is_valid():
        try:
            created = services.priorities_from_assessment(
                plan=plan,
                assessment=assessment,
                categories=form.cleaned_data["categories"],
                by=request.user,
                roles=roles,
            )
        except ApplicationError as error:
            error.add_to(form, "categories")
        else:
            names = ", ".join(p.title for p in created) or "nothing new"
            messages.success(request, f"Priorities added from the assessment: {names}.")
            return _to_plan(plan, "priorities")
    return render(
        request,
        "plans/from_assessment.html",
        {
            "form": form,
            "plan": plan,
            "assessment": assessment,
            "rows": rows,
            "frozen": _frozen_notice(plan),
        },
    )


@sign_in_required
@require_http_methods(GET_POST)
def objective_new_view(request: HttpRequest, plan_id: Any, priority_id: Any) -> HttpResponse:
    plan, roles, refused = _editor_plan(request, plan_id)
    if refused:
        return refused
    priority = _get(Priority, plan=plan, pk=priority_id)
    form = ObjectiveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_create(
                priority=priority, by=request.user, roles=roles, text=form.cleaned_data["text"]
            )
        except ApplicationError as error:
            error.add_to(form, "text")
        else:
            messages.success(request, "Objective added.")
            return _to_plan(plan, f"priority-{priority.pk}")
    return render(
        request,
        "plans/objective_form.html",
        {"form": form, "plan": plan, "priority": priority, "objective": None,
         "frozen": _frozen_notice(plan)},
    )  # fmt: skip


@sign_in_required
@require_http_methods(GET_POST)
def objective_edit_view(request: HttpRequest, plan_id: Any, objective_id: Any) -> HttpResponse:
    plan, roles, refused = _editor_plan(request, plan_id)
    if refused:
        return refused
    objective = _get(Objective, priority__plan=plan, pk=objective_id)
    form = ObjectiveForm(posted(request), initial={"text": objective.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_change(
                objective=objective, by=request.user, roles=roles, text=form.cleaned_data["text"]
            )
        except ApplicationError as error:
            error.add_to(form, "text")
        else:
            messages.success(request, "Objective saved.")
            return _to_plan(plan, f"priority-{objective.priority_id}")
    return render(
        request,
        "plans/objective_form.html",
        {"form": form, "plan": plan, "priority": objective.priority, "objective": objective,
         "frozen": _frozen_notice(plan)},
    )  # fmt: skip


# --- actions, milestones, progress ---------------------------------------------------------


def _action_form(
    request: HttpRequest, plan: Plan, priority: Priority, initial: dict[str, Any]
) -> ActionForm:
    return ActionForm(
        posted(request),
        initial=initial,
        objectives=priority.objectives.all(),
        organisations=selectors.partnership_organisations(partnership=plan.partnership),
        people=selectors.partnership_people(partnership=plan.partnership),
    )


@sign_in_required
@require_http_methods(GET_POST)
def action_new_view(request: HttpRequest, plan_id: Any, priority_id: Any) -> HttpResponse:
    plan, roles, refused = _editor_plan(request, plan_id)
    if refused:
        return refused
    priority = _get(Priority, plan=plan, pk=priority_id)
    form = _action_form(request, plan, priority, {"status": "not_started"})
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                priority=priority, by=request.user, roles=roles, data=form.cleaned_data
            )
        except ApplicationError as error:
            error.add_to(form, "key_activity")
        else:
            messages.success(request, "Action added to the action plan.")
            return _to_plan(plan, f"action-{action.pk}")
    return render(
        request,
        "plans/action_form.html",
        {"form": form, "plan": plan, "priority": priority, "action": None,
         "frozen": _frozen_notice(plan)},
    )  # fmt: skip


@sign_in_required
@require_http_methods(GET_POST)
def action_edit_view(request: HttpRequest, plan_id: Any, action_id: Any) -> HttpResponse:
    plan, roles, refused = _editor_plan(request, plan_id)
    if refused:
        return refused
    action = _get(Action, priority__plan=plan, pk=action_id)
    form = _action_form(
        request,
        plan,
        action.priority,
        {
            "key_activity": action.key_activity,
            "objective": action.objective_id,
            "organisations": [o.pk for o in action.organisations.all()],
            "responsible_officers": [u.pk for u in action.responsible_officers.all()],
            "intervention_level": action.intervention_level,
            "status": action.status,
            "start_date": action.start_date,
            "completion_date": action.completion_date,
            "cost": action.cost,
            "funding_source": action.funding_source,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_change(
                action=action, by=request.user, roles=roles, data=form.cleaned_data
            )
        except ApplicationError as error:
            error.add_to(form, "key_activity")
        else:
            messages.success(request, "Action saved.")
            return _to_plan(plan, f"action-{action.pk}")
    return render(
        request,
        "plans/action_form.html",
        {"form": form, "plan": plan, "priority": action.priority, "action": action,
         "frozen": _frozen_notice(plan)},
    )  # fmt: skip


@sign_in_required
@require_http_methods(GET_POST)
def milestone_new_view(request: HttpRequest, plan_id: Any, action_id: Any) -> HttpResponse:
    plan, roles, refused = _editor_plan(request, plan_id)
    if refused:
        return refused
    action = _get(Action, priority__plan=plan, pk=action_id)
    form = MilestoneForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_create(
                action=action, by=request.user, roles=roles, **form.cleaned_data
            )
        except ApplicationError as error:
            error.add_to(form, "due_date")
        else:
            messages.success(request, "Milestone added.")
            return _to_plan(plan, f"action-{action.pk}")
    return render(
        request,
        "plans/milestone_form.html",
        {"form": form, "plan": plan, "action": action, "milestone": None,
         "frozen": _frozen_notice(plan)},
    )  # fmt: skip


def _updater_check(request: HttpRequest, plan: Plan, action: Action, roles: set[str]) -> bool:
    own = selectors.officer_organisation_ids(user=request.user, partnership=plan.partnership)
    return permissions.can_update_action(
        request.user,
        roles=roles,
        officer_organisation_ids=own,
        action_organisation_ids=[o.pk for o in action.organisations.all()],
    )


def _not_yours(request: HttpRequest, plan: Plan, action: Action) -> HttpResponse:
    owners = " and ".join(o.name for o in action.organisations.all()) or "no organisation"
    return _forbidden(request, plan, permissions.NOT_ALLOWED_UPDATE.format(owners=owners))


@sign_in_required
@require_http_methods(GET_POST)
def milestone_edit_view(request: HttpRequest, plan_id: Any, milestone_id: Any) -> HttpResponse:
    """Editors change a milestone; the owning organisation's officer marks it done."""
    plan, roles = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    milestone = _get(Milestone, action__priority__plan=plan, pk=milestone_id)
    action = milestone.action
    if not _updater_check(request, plan, action, roles):
        return _not_yours(request, plan, action)
    can_edit = permissions.can_edit_plan(request.user, roles=roles)
    form = MilestoneForm(
        posted(request),
        initial={"title": milestone.title, "due_date": milestone.due_date,
                 "done_date": milestone.done_date},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can_edit:  # officers: only the date it was done
            data = {**data, "title": milestone.title, "due_date": milestone.due_date}
        try:
            services.milestone_change(
                milestone=milestone,
                by=request.user,
                roles=roles,
                officer_org_ids=selectors.officer_organisation_ids(
                    user=request.user, partnership=plan.partnership
                ),
                **data,
            )
        except PermissionDenied as refusal:
            return _forbidden(request, plan, str(refusal))
        except ApplicationError as error:
            error.add_to(form, "due_date")
        else:
            messages.success(request, "Milestone saved.")
            return _to_plan(plan, f"action-{action.pk}")
    return render(
        request,
        "plans/milestone_form.html",
        {"form": form, "plan": plan, "action": action, "milestone": milestone,
         "can_edit": can_edit, "frozen": _frozen_notice(plan) if can_edit else ""},
    )  # fmt: skip


@sign_in_required
@require_http_methods(GET_POST)
def progress_new_view(request: HttpRequest, plan_id: Any, action_id: Any) -> HttpResponse:
    plan, roles = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    action = _get(Action, priority__plan=plan, pk=action_id)
    if not _updater_check(request, plan, action, roles):
        return _not_yours(request, plan, action)
    form = ProgressForm(
        posted(request),
        initial={
            "on": timezone.localdate(),
            "status": action.status,
            "form_token": ProgressForm.new_token(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_post(
                action=action,
                by=request.user,
                roles=roles,
                officer_org_ids=selectors.officer_organisation_ids(
                    user=request.user, partnership=plan.partnership
                ),
                on=data["on"],
                text=data["text"],
                evidence_note=data["evidence_note"],
                status=data["status"],
                form_token=data["form_token"],
            )
        except PermissionDenied as refusal:
            return _forbidden(request, plan, str(refusal))
        except ApplicationError as error:
            if error.extra.get("duplicate"):
                messages.info(request, error.message)
                return _to_plan(plan, f"action-{action.pk}")
            error.add_to(form, "text")
        else:
            messages.success(request, "Progress update posted.")
            return _to_plan(plan, f"action-{action.pk}")
    return render(
        request, "plans/progress_form.html", {"form": form, "plan": plan, "action": action}
    )


# --- sign-off -------------------------------------------------------------------------------


@sign_in_required
@require_http_methods(GET_POST)
def plan_submit_view(request: HttpRequest, plan_id: Any) -> HttpResponse:
    plan, roles, refused = _editor_plan(request, plan_id)
    if refused:
        return refused
    error = ""
    if request.method == "POST":
        try:
            services.plan_submit(plan=plan, by=request.user, roles=roles)
        except ApplicationError as problem:
            error = problem.message
        else:
            messages.success(request, "Sent for approval. A partnership manager will approve it.")
            return _to_plan(plan)
    return render(
        request, "plans/submit.html", {"plan": plan, "error": error, "page_has_errors": bool(error)}
    )


@sign_in_required
@require_http_methods(GET_POST)
def plan_approve_view(request: HttpRequest, plan_id: Any) -> HttpResponse:
    plan, roles = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    if not permissions.can_approve_plan(request.user, roles=roles):
        return _forbidden(request, plan, permissions.NOT_ALLOWED_APPROVE)
    form = ApproveForm(posted(request), initial={"approved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.plan_approve(
                plan=plan, by=request.user, roles=roles, **form.cleaned_data
            )
        except ApplicationError as error:
            if error.extra.get("already_approved"):
                messages.info(request, error.message)
                return _to_plan(plan, "approval-trail")
            error.add_to(form, "minute")
        else:
            messages.success(request, f"Version {version.number} approved and recorded.")
            return _to_plan(plan, "approval-trail")
    last_version, changes = selectors.plan_diff_since_approval(plan=plan)
    return render(
        request,
        "plans/approve.html",
        {"plan": plan, "form": form, "last_version": last_version, "changes": changes},
    )


@sign_in_required
@require_http_methods(GET_POST)
def plan_publish_view(request: HttpRequest, plan_id: Any) -> HttpResponse:
    plan, roles = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    if not permissions.can_approve_plan(request.user, roles=roles):
        return _forbidden(request, plan, permissions.NOT_ALLOWED_APPROVE)
    error = ""
    if request.method == "POST":
        try:
            services.plan_publish(plan=plan, by=request.user, roles=roles)
        except ApplicationError as problem:
            error = problem.message
        else:
            messages.success(request, "Published. Residents can now read the plan's summary.")
            return _to_plan(plan)
    return render(
        request,
        "plans/publish.html",
        {"plan": plan, "error": error, "page_has_errors": bool(error)},
    )


# --- downloads ------------------------------------------------------------------------------


@sign_in_required
@require_safe
def plan_download_view(request: HttpRequest, plan_id: Any, file_format: str) -> HttpResponse:
    from saferplaces_reports.tables import csv_download, workbook

    plan, roles = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    if file_format not in ("csv", "xlsx"):
        raise Http404("No such format")
    table = selectors.action_plan_table(plan=plan)
    name = f"action-plan-{plan.start_year}-{plan.end_year}.{file_format}"
    if file_format == "csv":
        body, content_type = csv_download(table), "text/csv; charset=utf-8"
    else:
        body = workbook([table], title=table.title, about=[*table.notes, plan.partnership.name])
        content_type = XLSX
    services.plan_export_record(plan=plan, by=request.user, file_format=file_format)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the public summary (no sign-in) -------------------------------------------------------


def _public_context(plan: Plan) -> dict[str, Any]:
    priorities = selectors.plan_priorities(plan=plan)
    return {
        "plan": plan,
        "partnership": plan.partnership,
        "priorities": priorities,
        "actions_count": sum(len(p.actions.all()) for p in priorities),
    }


@require_safe
def public_summary_view(request: HttpRequest, plan_id: Any) -> HttpResponse:
    plan = selectors.plan_get_public(plan_id=plan_id)
    return render(request, "plans/public_summary.html", _public_context(plan))


@require_safe
def public_leaflet_view(request: HttpRequest, plan_id: Any) -> HttpResponse:
    from saferplaces.plans.leaflet import leaflet_pdf

    plan = selectors.plan_get_public(plan_id=plan_id)
    html = render_to_string("plans/leaflet.html", _public_context(plan), request=request)
    response = HttpResponse(leaflet_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="community-safety-plan-{plan.start_year}-{plan.end_year}.pdf"'
    )
    return response
