"""Reads: a partnership's plans, indicators, values, exceptions, meetings and board packs.

Every read is scoped to the user's current partnership, so an object of another partnership is
a 404 (not a 403 that would confirm it exists).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from saferplaces.accounts.models import Membership
from saferplaces.accounts.permissions import roles_in_partnership
from saferplaces.indicators.models import (
    BoardPack,
    Indicator,
    IndicatorValue,
    Meeting,
    PlanException,
)


@dataclass(frozen=True)
class Who:
    """The user's roles and organisations in the partnership (loaded once per request)."""

    roles: set[str]
    organisation_ids: set[Any]


def who_in_partnership(*, user: Any, partnership: Any) -> Who:
    if partnership is None or not getattr(user, "is_authenticated", False):
        return Who(set(), set())
    organisation_ids = set(
        Membership.objects.filter(user=user, organisation__partnership=partnership).values_list(
            "organisation_id", flat=True
        )
    )
    return Who(roles_in_partnership(user, partnership), organisation_ids)


def plan_list(*, partnership: Any) -> list[Any]:
    from saferplaces.plans.models import Plan

    return list(Plan.objects.filter(partnership=partnership).order_by("-start_year", "title"))


def plan_current(*, partnership: Any) -> Any:
    """The plan the indicators page shows: the latest published, else the latest of any status."""
    from saferplaces.plans.models import Plan

    plans = Plan.objects.filter(partnership=partnership).order_by("-start_year", "-created_at")
    return plans.filter(status="published").first() or plans.first()


def plan_get(*, partnership: Any, plan_id: Any) -> Any:
    from saferplaces.plans.models import Plan

    plan = Plan.objects.filter(partnership=partnership, pk=plan_id).first()
    if plan is None:
        raise Http404("No such plan")
    return plan


def priority_list(*, plan: Any) -> list[Any]:
    return list(plan.priorities.order_by("order", "title").select_related("lead_organisation"))


def indicator_list(*, partnership: Any, plan: Any = None) -> QuerySet[Indicator]:
    qs = Indicator.objects.filter(plan__partnership=partnership)
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.select_related("plan", "priority", "priority__lead_organisation", "override_by")


def indicator_get(*, partnership: Any, indicator_id: Any) -> Indicator:
    indicator = indicator_list(partnership=partnership).filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404("No such indicator")
    return indicator


def indicator_values(*, indicator: Indicator) -> list[IndicatorValue]:
    return list(indicator.values.order_by("month"))


def exception_list(*, partnership: Any) -> QuerySet[PlanException]:
    return (
        PlanException.objects.filter(partnership=partnership)
        .select_related("indicator", "milestone", "milestone__action", "noted_by")
        .prefetch_related("owners")
    )


def exception_get(*, partnership: Any, exception_id: Any) -> PlanException:
    exception = exception_list(partnership=partnership).filter(pk=exception_id).first()
    if exception is None:
        raise Http404("No such exception")
    return exception


def exception_facts(exception: PlanException) -> tuple[set[Any], set[Any]]:
    """Its owners' ids, and the organisations that lead its priority or own its action."""
    owners = {u.pk for u in exception.owners.all()}
    organisations: set[Any] = set()
    priority = exception.indicator.priority if exception.indicator is not None else None
    if priority is not None and priority.lead_organisation_id:
        organisations.add(priority.lead_organisation_id)
    if exception.milestone is not None:
        action = exception.milestone.action
        organisations.update(action.organisations.values_list("pk", flat=True))
        if action.priority.lead_organisation_id:
            organisations.add(action.priority.lead_organisation_id)
    return owners, organisations


def meeting_list(*, partnership: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(partnership=partnership).prefetch_related("attendees")


def meeting_get(*, partnership: Any, meeting_id: Any) -> Meeting:
    meeting = meeting_list(partnership=partnership).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def board_pack_latest(*, meeting: Meeting) -> BoardPack | None:
    return meeting.packs.order_by("-created_at").first()


def board_pack_get(*, meeting: Meeting, pack_id: Any) -> BoardPack:
    pack = meeting.packs.filter(pk=pack_id).first()
    if pack is None:
        raise Http404("No such board pack")
    return pack
