"""Writes: indicators, their values and RAG, overrides, exceptions and their notes.

Every service runs in one transaction, checks the capability it needs, validates, saves and
writes an audit event. Meetings and board packs are in :mod:`saferplaces.indicators.meetings`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError
from saferplaces.indicators import compute, permissions, rag
from saferplaces.indicators.models import (
    Colour,
    ExceptionKind,
    ExceptionStatus,
    Indicator,
    IndicatorValue,
    PlanException,
)

OVERRIDE_COLOURS = ("green", "amber", "red")
REMINDER_DAYS_DEFAULT = 14


def reminder_days() -> int:
    return int(getattr(settings, "SAFERPLACES_MILESTONE_REMINDER_DAYS", REMINDER_DAYS_DEFAULT))


# --- indicators -------------------------------------------------------------------------------


def _check_fields(data: Mapping[str, Any]) -> None:
    """Rules across fields; each error names the field it belongs to."""
    if data.get("target_value") is not None and data.get("baseline_value") is None:
        raise ApplicationError(
            "Enter a baseline value: a target needs a baseline to measure progress from.",
            extra={"field": "baseline_value"},
        )
    if data.get("target_value") is not None and data.get("target_date") is None:
        raise ApplicationError("Enter the date the target is for.", extra={"field": "target_date"})
    if data.get("target_date") is not None and data.get("target_value") is None:
        raise ApplicationError(
            "Enter the target value for that date.", extra={"field": "target_value"}
        )
    baseline_month, target_date = data.get("baseline_month"), data.get("target_date")
    if baseline_month and target_date and target_date <= baseline_month:
        raise ApplicationError(
            "The target date must be after the end of the baseline period.",
            extra={"field": "target_date"},
        )
    if data.get("kind") == Indicator.Kind.BOUND:
        problem = compute.check_spec(data.get("measure") or {})
        if problem:
            raise ApplicationError(problem, extra={"field": "area_kind"})


FIELDS = (
    "name",
    "unit",
    "kind",
    "measure",
    "baseline_value",
    "baseline_period",
    "baseline_month",
    "target_value",
    "target_date",
    "direction",
    "frequency",
    "source",
    "priority",
)


@transaction.atomic
def indicator_create(
    *, plan: Any, by: Any, roles: Collection[str], data: Mapping[str, Any], form_token: str = ""
) -> Indicator:
    if not permissions.can_manage_indicators(by, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_MANAGE)
    if form_token:
        existing = Indicator.objects.filter(form_token=form_token, plan=plan).first()
        if existing is not None:  # the same form sent twice (a double click): one indicator
            return existing
    _check_fields(data)
    if Indicator.objects.filter(plan=plan, name__iexact=data["name"]).exists():
        raise ApplicationError(
            "The plan already has an indicator with this name.", extra={"field": "name"}
        )
    indicator = Indicator(plan=plan, created_by=by, form_token=form_token or None)
    for field in FIELDS:
        if field in data:
            setattr(indicator, field, data[field])
    if indicator.kind == Indicator.Kind.MANUAL:
        indicator.measure = {}
    indicator.full_clean(exclude=["plan", "priority", "created_by"])
    indicator.save()
    audit_record(
        actor=by,
        verb="indicator.created",
        target=indicator,
        partnership=plan.partnership,
        summary={"name": indicator.name, "kind": indicator.kind},
    )
    return indicator


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, by: Any, roles: Collection[str], data: Mapping[str, Any]
) -> Indicator:
    if not permissions.can_manage_indicators(by, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_MANAGE)
    _check_fields(data)
    clash = Indicator.objects.filter(plan=indicator.plan, name__iexact=data["name"]).exclude(
        pk=indicator.pk
    )
    if clash.exists():
        raise ApplicationError(
            "The plan already has an indicator with this name.", extra={"field": "name"}
        )
    changed = {}
    for field in FIELDS:
        if field in data and getattr(indicator, field) != data[field]:
            changed[field] = str(data[field])[:200]
            setattr(indicator, field, data[field])
    indicator.full_clean(exclude=["plan", "priority", "created_by", "form_token"])
    indicator.save()
    _judge_and_store(indicator)
    audit_record(
        actor=by,
        verb="indicator.changed",
        target=indicator,
        partnership=indicator.plan.partnership,
        summary=changed,
    )
    return indicator


@transaction.atomic
def indicator_value_enter(
    *,
    indicator: Indicator,
    by: Any,
    roles: Collection[str],
    organisation_ids: Collection[Any],
    month: date,
    value: float,
    low: float | None,
    high: float | None,
    note: str,
) -> IndicatorValue:
    """A manual indicator's figure for a month (replaces that month's figure if any)."""
    if not permissions.can_enter_value(
        by, indicator, roles=roles, organisation_ids=organisation_ids
    ):
        raise PermissionDenied(permissions.NOT_ALLOWED_VALUE)
    if not note.strip():
        raise ApplicationError("Say where the figure comes from.", extra={"field": "note"})
    if low is not None and high is not None and low > high:
        raise ApplicationError(
            "The low end of the interval must not be above the high end.", extra={"field": "low"}
        )
    if (low is not None and value < low) or (high is not None and value > high):
        raise ApplicationError(
            "The value must lie inside the interval entered.", extra={"field": "value"}
        )
    month = month.replace(day=1)
    row, created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        month=month,
        defaults={
            "value": value,
            "low": low,
            "high": high,
            "n": None,
            "no_data": False,
            "months_held": None,
            "source": note.strip(),
            "computed_at": timezone.now(),
            "entered_by": by,
        },
    )
    audit_record(
        actor=by,
        verb="indicator.value_entered",
        target=indicator,
        partnership=indicator.plan.partnership,
        summary={"month": month.isoformat(), "value": value, "replaced": not created},
    )
    _judge_and_store(indicator)
    return row


def judgement_for(indicator: Indicator, values: Sequence[IndicatorValue] | None = None) -> Any:
    rows = list(values if values is not None else indicator.values.order_by("month"))
    points = [
        rag.Point(
            r.month, r.value, r.n, r.months_held, r.no_data, r.low, r.high, r.population, r.month_n
        )
        for r in rows
    ]
    return rag.judge(
        points,
        bound=indicator.is_bound,
        measure=(indicator.measure or {}).get("measure", "count"),
        lower_is_better=indicator.lower_is_better,
        baseline_value=indicator.baseline_value,
        baseline_month=indicator.baseline_month,
        target_value=indicator.target_value,
        target_date=indicator.target_date,
        unit=indicator.unit,
    )


def _judge_and_store(indicator: Indicator, values: Sequence[IndicatorValue] | None = None) -> str:
    """Recompute and store the RAG; raise an exception when it turns red. Returns the colour."""
    judgement = judgement_for(indicator, values)
    indicator.rag_colour = judgement.colour
    indicator.rag_text = judgement.text
    indicator.rag_month = judgement.month
    indicator.rag_p = judgement.p
    indicator.rag_computed_at = timezone.now()
    indicator.save(
        update_fields=[
            "rag_colour",
            "rag_text",
            "rag_month",
            "rag_p",
            "rag_computed_at",
            "updated_at",
        ]
    )
    if indicator.shown_colour == Colour.RED and judgement.month is not None:
        exception_raise_for_indicator(indicator=indicator, month=judgement.month)
    return judgement.colour


@transaction.atomic
def indicator_override(
    *, indicator: Indicator, by: Any, roles: Collection[str], colour: str, reason: str
) -> Indicator:
    """Show ``colour`` instead of the computed one (blank colour: use the computed one again)."""
    if not permissions.can_override_rag(by, roles=roles):
        raise PermissionDenied(permissions.NOT_ALLOWED_OVERRIDE)
    if colour and colour not in OVERRIDE_COLOURS:
        raise ApplicationError("Choose green, amber or red.", extra={"field": "colour"})
    if colour and not reason.strip():
        raise ApplicationError(
            "Give the reason for the override: it is shown beside the colour in every board pack.",
            extra={"field": "reason"},
        )
    before = indicator.override_colour
    indicator.override_colour = colour
    indicator.override_reason = reason.strip() if colour else ""
    indicator.override_by = by if colour else None
    indicator.override_at = timezone.now() if colour else None
    indicator.save(
        update_fields=[
            "override_colour",
            "override_reason",
            "override_by",
            "override_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=by,
        verb="rag.overridden",
        target=indicator,
        partnership=indicator.plan.partnership,
        summary={
            "computed": indicator.rag_colour,
            "from": before or "computed",
            "to": colour or "computed",
            "reason": reason.strip()[:500],
        },
    )
    if colour == Colour.RED:
        exception_raise_for_indicator(
            indicator=indicator, month=indicator.rag_month or timezone.localdate().replace(day=1)
        )
    return indicator


# --- refresh ----------------------------------------------------------------------------------


def _neighbourhood_lsoas(partnership: Any, spec: Mapping[str, Any]) -> list[str] | None:
    from saferplaces.neighbourhoods.models import Neighbourhood

    area = spec.get("area") or {}
    if area.get("kind") != "neighbourhood":
        return None
    found = Neighbourhood.objects.filter(
        partnership=partnership, pk=area.get("neighbourhood_id")
    ).first()
    return list(found.lsoa_codes) if found else None


def indicators_refresh(
    *, partnership: Any, engine: Any, first: date, last: date, catalogue_version: int
) -> dict[str, str]:
    """Compute every bound indicator of the partnership's plans for every month held.

    Each indicator is saved in its own transaction, so one that cannot be computed (its area is
    not in the data) leaves the others done; it is marked "no data" with the reason.
    """
    outcome: dict[str, str] = {}
    cubes: dict[Any, Any] = {}  # one read of the store per area, shared by its indicators
    bound = Indicator.objects.filter(plan__partnership=partnership, kind=Indicator.Kind.BOUND)
    for indicator in bound.select_related("plan", "priority"):
        try:
            area = compute.area_of(
                engine,
                indicator.measure,
                partnership=partnership,
                neighbourhood_lsoas=_neighbourhood_lsoas(partnership, indicator.measure),
            )
            computed = compute.compute_values(
                engine,
                indicator.measure,
                area,
                first=first,
                last=last,
                catalogue_version=catalogue_version,
                cubes=cubes,
            )
        except ValueError as error:
            with transaction.atomic():
                indicator.rag_colour = Colour.NO_DATA
                indicator.rag_text = f"No data: the indicator could not be computed ({error})."
                indicator.save(update_fields=["rag_colour", "rag_text", "updated_at"])
            outcome[str(indicator.pk)] = "no_data"
            continue
        with transaction.atomic():
            outcome[str(indicator.pk)] = _store_values(indicator, computed)
    audit_record(
        actor=None,
        verb="indicator.refreshed",
        partnership=partnership,
        object_type="accounts.partnership",
        object_id=str(partnership.pk),
        summary={
            "indicators": len(outcome),
            "last_month": last.isoformat(),
            "catalogue_version": catalogue_version,
        },
    )
    return outcome


def _store_values(indicator: Indicator, computed: Sequence[compute.ComputedValue]) -> str:
    now = timezone.now()
    months = [c.month for c in computed]
    indicator.values.exclude(month__in=months).delete()
    existing = {v.month: v for v in indicator.values.all()}
    new, changed = [], []
    fields = [
        "value",
        "low",
        "high",
        "n",
        "months_held",
        "no_data",
        "population",
        "month_n",
        "source",
        "computed_at",
    ]
    for c in computed:
        row = existing.get(c.month) or IndicatorValue(indicator=indicator, month=c.month)
        row.value, row.low, row.high, row.n = c.value, c.low, c.high, c.n
        row.months_held, row.no_data, row.population = c.months_held, c.no_data, c.population
        row.month_n, row.source, row.computed_at = c.month_n, c.source, now
        (changed if row.pk and c.month in existing else new).append(row)
    IndicatorValue.objects.bulk_create(new)
    IndicatorValue.objects.bulk_update(changed, fields)
    ordered = sorted([*new, *changed], key=lambda r: r.month)
    return _judge_and_store(indicator, ordered)


# --- exceptions -------------------------------------------------------------------------------


def _notify(exception: PlanException) -> None:
    from saferplaces.indicators.tasks import exception_notify

    transaction.on_commit(partial(exception_notify.enqueue, exception_id=str(exception.pk)))


def exception_raise_for_indicator(*, indicator: Indicator, month: date) -> PlanException | None:
    """One exception per indicator and judged month; the priority's lead officer is told."""
    if PlanException.objects.filter(indicator=indicator, period=month).exists():
        return None
    try:
        with transaction.atomic():
            exception = PlanException.objects.create(
                partnership=indicator.plan.partnership,
                kind=ExceptionKind.RED,
                indicator=indicator,
                period=month,
                summary=f"{indicator.name} is red for the period ending {rag.month_name(month)}.",
            )
    except IntegrityError:  # raised at the same moment by another refresh
        return None
    lead = getattr(indicator.priority, "lead_officer", None) if indicator.priority else None
    if lead is not None:
        exception.owners.add(lead)
    audit_record(
        actor=None,
        verb="exception.raised",
        target=exception,
        partnership=indicator.plan.partnership,
        summary={
            "indicator": indicator.name,
            "month": month.isoformat(),
            "overridden": bool(indicator.override_colour),
        },
    )
    _notify(exception)
    return exception


def exceptions_check_milestones(*, partnership: Any, today: date) -> list[PlanException]:
    """An exception for every milestone past its due date and not done (once each)."""
    from saferplaces.plans.models import Milestone

    missed = Milestone.objects.filter(
        action__priority__plan__partnership=partnership,
        due_date__lt=today,
        done_date__isnull=True,
        exceptions__isnull=True,
    ).select_related("action")
    raised = []
    for milestone in missed:
        with transaction.atomic():
            action = milestone.action
            exception = PlanException.objects.create(
                partnership=partnership,
                kind=ExceptionKind.MILESTONE,
                milestone=milestone,
                period=milestone.due_date,
                summary=f"Milestone “{milestone.title}” of “{action.key_activity}” was due "
                f"on {milestone.due_date:%-d %B %Y} and is not done.",
            )
            exception.owners.set(action.responsible_officers.all())
            audit_record(
                actor=None,
                verb="exception.raised",
                target=exception,
                partnership=partnership,
                summary={"milestone": milestone.title, "due": milestone.due_date.isoformat()},
            )
            _notify(exception)
        raised.append(exception)
    return raised


def milestones_due_soon(*, partnership: Any, today: date, days: int) -> list[Any]:
    from saferplaces.plans.models import Milestone

    return list(
        Milestone.objects.filter(
            action__priority__plan__partnership=partnership,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=days),
            done_date__isnull=True,
        ).select_related("action")
    )


@transaction.atomic
def exception_note(
    *,
    exception: PlanException,
    by: Any,
    allowed: bool,
    cause: str,
    recovery_action: str,
    recovery_date: date | None,
) -> PlanException:
    """The owner's exception note: cause, recovery action and the date it will be back on track.

    ``allowed`` is :func:`permissions.can_write_note` (the selector loads its facts).
    """
    if not allowed:
        raise PermissionDenied(permissions.NOT_ALLOWED_NOTE)
    if not cause.strip():
        raise ApplicationError("Describe the cause.", extra={"field": "cause"})
    if not recovery_action.strip():
        raise ApplicationError("Describe the recovery action.", extra={"field": "recovery_action"})
    if recovery_date is None:
        raise ApplicationError(
            "Enter the date it will be back on track.", extra={"field": "recovery_date"}
        )
    if recovery_date < exception.created_at.date():
        raise ApplicationError(
            "The recovery date must not be before the exception was raised.",
            extra={"field": "recovery_date"},
        )
    exception.cause = cause.strip()
    exception.recovery_action = recovery_action.strip()
    exception.recovery_date = recovery_date
    exception.status = ExceptionStatus.NOTED
    exception.noted_by = by
    exception.noted_at = timezone.now()
    exception.save()
    audit_record(
        actor=by,
        verb="exception.noted",
        target=exception,
        partnership=exception.partnership,
        summary={"recovery_date": recovery_date.isoformat()},
    )
    return exception
