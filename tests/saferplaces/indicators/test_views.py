"""The indicator, override, meeting and board pack pages: forms, errors, the PDF and the audit."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from saferplaces.accounts.models import Role
from saferplaces.audit.models import AuditEvent
from saferplaces.indicators import services
from saferplaces.indicators.models import Indicator, Meeting
from tests.conftest import mark_second_factor_verified
from tests.saferplaces.indicators.conftest import roles

pytestmark = pytest.mark.django_db


def _sign_in(client: Any, user: Any) -> None:
    client.force_login(user)
    mark_second_factor_verified(client, user)


def _with_values(indicator: Indicator, by: Any) -> Indicator:
    for month, value in ((date(2025, 3, 1), 61.0), (date(2025, 9, 1), 58.0)):
        services.indicator_value_enter(
            indicator=indicator,
            by=by,
            roles=roles(by, indicator.plan.partnership),
            organisation_ids=set(),
            month=month,
            value=value,
            low=value - 3,
            high=value + 3,
            note="Residents' survey",
        )
    indicator.refresh_from_db()
    return indicator


def test_the_indicator_page_shows_the_chart_the_table_and_the_rule(
    client: Any, make_manual: Callable[..., Any], manager: Any
) -> None:
    indicator = _with_values(make_manual(), manager)
    _sign_in(client, manager)

    page = client.get(reverse("indicators:detail", kwargs={"indicator_id": indicator.pk}))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in html
    assert "September 2025" in html
    assert "55 to 61" in html  # the interval, in the table
    assert "Red:" in html  # 58 ± 3 lies wholly below the trajectory to 70
    assert "Override the colour" in html


def test_an_override_without_a_reason_shows_the_error_and_saves_nothing(
    client: Any, make_manual: Callable[..., Any], manager: Any
) -> None:
    indicator = make_manual()
    _sign_in(client, manager)
    url = reverse("indicators:override", kwargs={"indicator_id": indicator.pk})

    page = client.post(url, {"colour": "green", "reason": ""})

    assert page.status_code == 200
    assert "govuk-error-summary" in page.content.decode()
    assert "Give the reason for the override" in page.content.decode()
    indicator.refresh_from_db()
    assert indicator.override_colour == ""
    assert not AuditEvent.objects.filter(verb="rag.overridden").exists()

    done = client.post(url, {"colour": "green", "reason": "Survey sample was too small"})

    assert done.status_code == 302
    detail = client.get(done["Location"]).content.decode()
    assert "Computed colour" in detail
    assert "Survey sample was too small" in detail


def test_a_target_without_a_baseline_is_named_in_the_error_summary(
    client: Any, plan: Any, manager: Any
) -> None:
    _sign_in(client, manager)
    page = client.post(
        reverse("indicators:new") + f"?plan={plan.pk}",
        {
            "name": "Residents who feel safe",
            "kind": "manual",
            "direction": "higher",
            "frequency": "quarterly",
            "target_value": "70",
            "target_date": "2027-12",
            "form_token": "t1",
        },
    )

    assert page.status_code == 200
    assert "Enter a baseline value" in page.content.decode()
    assert not Indicator.objects.exists()


def test_an_officer_of_another_organisation_reads_the_note_but_cannot_write_it(
    client: Any,
    make_manual: Callable[..., Any],
    member: Callable[..., Any],
    council: Any,
    police: Any,
) -> None:
    indicator = make_manual()  # the ASB priority, led by the police
    exception = services.exception_raise_for_indicator(indicator=indicator, month=date(2025, 9, 1))
    assert exception is not None
    url = reverse("indicators:exception_note", kwargs={"exception_id": exception.pk})
    note = {"cause": "c", "recovery_action": "r", "recovery_date": "2030-01-01"}

    _sign_in(client, member(Role.PARTNER_OFFICER, council))
    assert "Save the note" not in client.get(url).content.decode()
    assert client.post(url, note).status_code == 403

    _sign_in(client, member(Role.PARTNER_OFFICER, police))
    assert client.post(url, note).status_code == 302
    exception.refresh_from_db()
    assert exception.status == "noted"


def test_board_pack_pdf_holds_the_rag_table_and_is_audited(
    client: Any,
    make_manual: Callable[..., Any],
    manager: Any,
    plan: Any,
    council: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    indicator = _with_values(make_manual(), manager)
    services.indicator_override(
        indicator=indicator,
        by=manager,
        roles=roles(manager, plan.partnership),
        colour="amber",
        reason="The survey changed its questions",
    )
    _sign_in(client, manager)
    form = {
        "title": "Partnership board",
        "date": "2026-03-12",
        "plan": str(plan.pk),
        "agenda": "Performance",
        "attendees": [str(council.pk)],
        "form_token": "same",
    }
    client.post(reverse("indicators:meeting_new"), form)
    client.post(reverse("indicators:meeting_new"), form)  # a double click
    meeting = Meeting.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(reverse("indicators:board_pack", kwargs={"meeting_id": meeting.pk}))
    assert made.status_code == 302
    page = client.get(made["Location"]).content.decode()
    pdf = client.get(reverse("indicators:board_pack_pdf", kwargs={"meeting_id": meeting.pk}))

    assert "RAG table" in page
    assert pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert body.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    raw = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True)
    text = " ".join(raw.stdout.decode().split())
    assert "RAG table" in text
    assert "Residents who feel safe" in text
    assert "The survey changed its questions" in text
    assert "Overridden" in text
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        "meeting.created",
        "board_pack.requested",
        "board_pack.generated",
        "board_pack.downloaded",
    } <= verbs
    assert AuditEvent.objects.filter(verb="meeting.created").count() == 1


def test_an_action_arising_becomes_a_plan_action(
    client: Any, plan: Any, manager: Any, council: Any
) -> None:
    from saferplaces.indicators import meetings
    from saferplaces.plans.models import Action

    who = roles(manager, plan.partnership)
    meeting = meetings.meeting_create(
        partnership=plan.partnership,
        by=manager,
        roles=who,
        data={"title": "Board", "date": date(2026, 3, 12), "plan": plan},
    )
    item = meetings.meeting_item_add(
        meeting=meeting,
        by=manager,
        roles=who,
        kind="action",
        text="Run a town-centre ASB problem-solving plan",
    )
    _sign_in(client, manager)
    url = reverse(
        "indicators:meeting_item_action", kwargs={"meeting_id": meeting.pk, "item_id": item.pk}
    )
    burglary = plan.priorities.get(title="Burglary")

    missing = client.post(url, {"priority": str(burglary.pk), "intervention_level": "prevention"})
    assert "Choose at least one organisation" in missing.content.decode()
    assert not Action.objects.exists()

    done = client.post(
        url,
        {
            "priority": str(burglary.pk),
            "organisations": [str(council.pk)],
            "intervention_level": "problem_solving",
        },
    )

    assert done.status_code == 302
    item.refresh_from_db()
    action = Action.objects.get()
    assert item.plan_action == action
    assert action.key_activity == "Run a town-centre ASB problem-solving plan"
    assert AuditEvent.objects.filter(verb="meeting.action_added_to_plan").exists()


def test_the_public_summary_shows_how_we_are_doing_without_small_numbers(
    client: Any, plan: Any, manager: Any, make_manual: Callable[..., Any]
) -> None:
    survey = _with_values(make_manual(), manager)
    rare = Indicator.objects.create(
        plan=plan,
        name="Robbery on the estate",
        kind="bound",
        measure={"measure": "count"},
        rag_colour="amber",
    )
    rare.values.create(month=date(2025, 12, 1), value=7.0, n=7, months_held=12)

    page = client.get(reverse("plans_public:summary", kwargs={"plan_id": plan.pk}))

    html = page.content.decode()
    assert page.status_code == 200
    assert survey.name in html
    assert "Off track" in html  # the survey is red (its interval lies below the trajectory)
    assert "Fewer than 10 in the 12 months to December 2025" in html
    assert "Behind, but it could be chance" in html
    assert ">7 " not in html
