"""Exceptions and e-mails, overrides, bad input and the audit trail of the indicator services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from saferplaces.accounts.models import Role
from saferplaces.audit.models import AuditEvent
from saferplaces.core.exceptions import ApplicationError
from saferplaces.indicators import services
from saferplaces.indicators.models import Indicator, PlanException
from saferplaces.indicators.tasks import refresh_bound_indicators
from tests.saferplaces.indicators.conftest import priority, roles

pytestmark = pytest.mark.django_db


def _verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("sequence").values_list("verb", flat=True))


def test_a_red_indicator_raises_one_exception_and_emails_the_lead_officer(
    nwl_store: Path,
    make_bound: Callable[..., Any],
    nwl: Any,
    plan: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # 1,281 ASB incidents in 2025 against a trajectory from 800: a real rise, so red.
    asb = make_bound(
        "ASB in the district",
        ["anti-social-behaviour"],
        "count",
        baseline_value=800.0,
        baseline_month=date(2024, 12, 1),
        target_value=700.0,
        target_date=date(2026, 12, 1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        refresh_bound_indicators.enqueue(partnership_id=str(nwl.pk))
    with django_capture_on_commit_callbacks(execute=True):
        refresh_bound_indicators.enqueue(partnership_id=str(nwl.pk))  # again: no second one

    asb.refresh_from_db()
    assert asb.rag_colour == "red"
    exception = PlanException.objects.get()
    assert exception.indicator == asb
    assert exception.period == date(2025, 12, 1)
    lead = priority(plan, "Anti-social behaviour").lead_officer
    assert [m.to for m in mail.outbox] == [[lead.email]]
    assert "exception note" in mail.outbox[0].body
    assert f"/staff/indicators/exceptions/{exception.pk}/" in mail.outbox[0].body
    assert {"exception.raised", "exception.notified", "indicator.refreshed"} <= set(_verbs())


def test_an_override_needs_a_reason_and_a_manager(
    make_manual: Callable[..., Any], manager: Any, analyst: Any, nwl: Any
) -> None:
    indicator = make_manual()

    with pytest.raises(ApplicationError, match="reason"):
        services.indicator_override(
            indicator=indicator, by=manager, roles=roles(manager, nwl), colour="amber", reason="  "
        )
    with pytest.raises(PermissionDenied):
        services.indicator_override(
            indicator=indicator,
            by=analyst,
            roles=roles(analyst, nwl),
            colour="amber",
            reason="Known data issue",
        )
    indicator.refresh_from_db()
    assert indicator.override_colour == ""

    services.indicator_override(
        indicator=indicator,
        by=manager,
        roles=roles(manager, nwl),
        colour="amber",
        reason="Survey sample changed",
    )

    indicator.refresh_from_db()
    assert (indicator.shown_colour, indicator.override_reason) == ("amber", "Survey sample changed")
    event = AuditEvent.objects.get(verb="rag.overridden")
    assert event.summary["reason"] == "Survey sample changed"
    assert event.summary["to"] == "amber"


def test_an_override_to_red_raises_an_exception(
    make_manual: Callable[..., Any],
    manager: Any,
    nwl: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    indicator = make_manual()
    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_override(
            indicator=indicator,
            by=manager,
            roles=roles(manager, nwl),
            colour="red",
            reason="Partners report it is worse",
        )

    assert PlanException.objects.filter(indicator=indicator).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"target_value": 50.0, "target_date": date(2027, 1, 1)}, "baseline_value", "baseline"),
        (
            {
                "baseline_value": 60.0,
                "baseline_month": date(2026, 1, 1),
                "target_value": 50.0,
                "target_date": date(2025, 1, 1),
            },
            "target_date",
            "after the end of the baseline",
        ),
        ({"baseline_value": 60.0, "target_value": 50.0}, "target_date", "date the target"),
    ],
)
def test_bad_targets_are_refused_and_nothing_is_saved(
    plan: Any, manager: Any, nwl: Any, data: dict[str, Any], field: str, message: str
) -> None:
    fields = {"name": "Test", "kind": "manual", "direction": "lower", "frequency": "monthly"}
    with pytest.raises(ApplicationError, match=message) as caught:
        services.indicator_create(
            plan=plan, by=manager, roles=roles(manager, nwl), data={**fields, **data}
        )
    assert caught.value.extra["field"] == field
    assert not Indicator.objects.exists()
    assert "indicator.created" not in _verbs()


def test_the_same_form_sent_twice_makes_one_indicator(plan: Any, manager: Any, nwl: Any) -> None:
    data = {
        "name": "Residents who feel safe",
        "kind": "manual",
        "direction": "higher",
        "frequency": "quarterly",
    }
    first = services.indicator_create(
        plan=plan, by=manager, roles=roles(manager, nwl), data=data, form_token="abc"
    )
    second = services.indicator_create(
        plan=plan, by=manager, roles=roles(manager, nwl), data=data, form_token="abc"
    )

    assert first.pk == second.pk
    assert Indicator.objects.count() == 1
    assert _verbs().count("indicator.created") == 1


def test_a_bound_indicator_needs_an_area_and_a_measure(plan: Any, manager: Any, nwl: Any) -> None:
    data = {
        "name": "X",
        "kind": "bound",
        "direction": "lower",
        "frequency": "monthly",
        "measure": {"area": {"kind": "wards", "wards": []}, "measure": "count"},
    }
    with pytest.raises(ApplicationError, match="ward code"):
        services.indicator_create(plan=plan, by=manager, roles=roles(manager, nwl), data=data)


def test_officers_enter_values_only_for_their_organisations_priorities(
    make_manual: Callable[..., Any],
    plan: Any,
    member: Callable[..., Any],
    police: Any,
    council: Any,
    nwl: Any,
) -> None:
    indicator = make_manual()  # the ASB priority, led by the police
    own = member(Role.PARTNER_OFFICER, police)
    other = member(Role.PARTNER_OFFICER, council)
    kwargs = {
        "month": date(2025, 9, 1),
        "value": 64.0,
        "low": None,
        "high": None,
        "note": "Residents' survey, September",
    }

    with pytest.raises(PermissionDenied):
        services.indicator_value_enter(
            indicator=indicator,
            by=other,
            roles=roles(other, nwl),
            organisation_ids={council.pk},
            **kwargs,
        )
    services.indicator_value_enter(
        indicator=indicator, by=own, roles=roles(own, nwl), organisation_ids={police.pk}, **kwargs
    )

    assert indicator.values.get().value == 64.0
    assert "indicator.value_entered" in _verbs()


def test_a_missed_milestone_raises_an_exception_and_emails_the_responsible_officers(
    plan: Any, member: Callable[..., Any], police: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from saferplaces.plans.models import Action, Milestone

    officer = member(Role.PARTNER_OFFICER, police)
    action = Action.objects.create(
        priority=priority(plan, "Burglary"),
        key_activity="Target hardening",
        intervention_level="prevention",
    )
    action.responsible_officers.set([officer])
    today = date(2026, 6, 1)
    Milestone.objects.create(action=action, title="Visits begin", due_date=today - timedelta(1))
    soon = Milestone.objects.create(
        action=action, title="Half done", due_date=today + timedelta(days=14)
    )
    Milestone.objects.create(
        action=action, title="Done already", due_date=date(2026, 1, 1), done_date=date(2026, 1, 1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("saferplaces_send_reminders", today=today.isoformat(), stdout=None)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("saferplaces_send_reminders", today=today.isoformat(), stdout=None)

    exception = PlanException.objects.get()
    assert exception.kind == "milestone_missed"
    assert "Visits begin" in exception.summary
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("Exception report needed" in s for s in subjects)
    assert any(s.startswith("Milestone due in 14 days: Half done") for s in subjects)
    assert all(m.to == [officer.email] for m in mail.outbox)
    assert soon.exceptions.count() == 0


def test_an_exception_note_needs_cause_action_and_date(
    make_manual: Callable[..., Any], manager: Any, nwl: Any
) -> None:
    indicator = make_manual()
    exception = services.exception_raise_for_indicator(indicator=indicator, month=date(2025, 12, 1))
    assert exception is not None

    with pytest.raises(ApplicationError, match="cause"):
        services.exception_note(
            exception=exception,
            by=manager,
            allowed=True,
            cause="",
            recovery_action="x",
            recovery_date=date(2030, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        services.exception_note(
            exception=exception,
            by=manager,
            allowed=False,
            cause="c",
            recovery_action="x",
            recovery_date=date(2030, 1, 1),
        )
    services.exception_note(
        exception=exception,
        by=manager,
        allowed=True,
        cause="Staff away",
        recovery_action="Cover agreed",
        recovery_date=date(2030, 1, 1),
    )

    exception.refresh_from_db()
    assert exception.status == "noted"
    assert exception.cause == "Staff away"
    assert "exception.noted" in _verbs()
