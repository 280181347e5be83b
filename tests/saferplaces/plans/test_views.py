"""The plan pages: refusals say why and are audited, bad input shows the error summary,
a double click saves once, exports in the action plan layout."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from saferplaces.audit.models import AuditEvent
from saferplaces.plans import services
from saferplaces.plans.models import Milestone, ProgressUpdate
from saferplaces.plans.selectors import ACTION_PLAN_COLUMNS
from tests.saferplaces.plans.conftest import ANALYST, MANAGER


def test_officer_updating_another_organisations_action_gets_403_with_reason(
    client: Any, sign_in: Any, plan: Any, make_action: Any, council: Any, officer: Any
) -> None:
    action = make_action(plan, [council])
    sign_in(client, officer)
    url = reverse("plans:progress_new", kwargs={"plan_id": plan.pk, "action_id": action.pk})

    response = client.post(url, {"on": "2026-05-01", "text": "Sneaky", "status": "on_track"})

    assert response.status_code == 403
    body = response.content.decode()
    assert "You can post progress only on actions your organisation owns" in body
    assert "District Council" in body
    assert not ProgressUpdate.objects.exists()
    event = AuditEvent.objects.get(verb="access.forbidden")
    assert event.actor == officer
    assert event.object_id == url[:64]


def test_officer_posts_progress_on_own_action_and_a_double_click_saves_once(
    client: Any, sign_in: Any, plan: Any, make_action: Any, police: Any, officer: Any
) -> None:
    action = make_action(plan, [police])
    sign_in(client, officer)
    url = reverse("plans:progress_new", kwargs={"plan_id": plan.pk, "action_id": action.pk})
    page = client.get(url).content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    assert len(token) > 20
    data = {
        "on": timezone.localdate().isoformat(), "text": "Visited 20 homes",
        "evidence_note": "Visit log", "status": "on_track", "form_token": token,
    }  # fmt: skip

    first = client.post(url, data)
    second = client.post(url, data, follow=True)

    assert first.status_code == 302
    assert ProgressUpdate.objects.count() == 1
    assert "already saved" in second.content.decode()
    detail = client.get(reverse("plans:detail", kwargs={"plan_id": plan.pk})).content.decode()
    assert "Visited 20 homes" in detail
    assert "On track" in detail


def test_progress_without_text_shows_the_error_summary(
    client: Any, sign_in: Any, plan: Any, make_action: Any, police: Any, officer: Any
) -> None:
    action = make_action(plan, [police])
    sign_in(client, officer)
    url = reverse("plans:progress_new", kwargs={"plan_id": plan.pk, "action_id": action.pk})
    response = client.post(url, {"on": "2026-05-01", "text": "", "status": "on_track"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter what has been done" in body
    assert "<title>Error:" in body


def test_plan_form_names_the_period_problem(client: Any, sign_in: Any, manager: Any) -> None:
    sign_in(client, manager)
    response = client.post(
        reverse("plans:new"), {"title": "Plan", "start_year": "2029", "end_year": "2026"}
    )
    assert "The last year of the plan must be the same as or after the first year" in (
        response.content.decode()
    )


def test_milestone_form_refuses_a_due_date_before_the_plan(
    client: Any, sign_in: Any, plan: Any, make_action: Any, police: Any, manager: Any
) -> None:
    action = make_action(plan, [police])
    sign_in(client, manager)
    url = reverse("plans:milestone_new", kwargs={"plan_id": plan.pk, "action_id": action.pk})
    response = client.post(url, {"title": "Start", "due_date": "01/06/2025"})
    assert "The due date must be inside the plan&#39;s period" in response.content.decode()
    assert not Milestone.objects.exists()


def test_action_form_refuses_completion_before_start(
    client: Any, sign_in: Any, plan: Any, police: Any, manager: Any
) -> None:
    priority = services.priority_create(plan=plan, by=manager, roles=MANAGER, data={"title": "ASB"})
    sign_in(client, manager)
    url = reverse("plans:action_new", kwargs={"plan_id": plan.pk, "priority_id": priority.pk})
    response = client.post(
        url,
        {"key_activity": "Patrols", "organisations": [police.pk],
         "intervention_level": "prevention", "status": "not_started",
         "start_date": "2027-01-01", "completion_date": "2026-01-01"},
    )  # fmt: skip
    assert "The completion date must be the same as or after the start date" in (
        response.content.decode()
    )
    assert not priority.actions.exists()


def test_analyst_approving_gets_403_and_the_refusal_is_audited(
    client: Any, sign_in: Any, plan: Any, make_action: Any, police: Any, analyst: Any
) -> None:
    make_action(plan, [police])
    services.plan_submit(plan=plan, by=analyst, roles=ANALYST)
    sign_in(client, analyst)
    response = client.post(
        reverse("plans:approve", kwargs={"plan_id": plan.pk}),
        {"minute": "Approved", "approved_on": "2026-03-12"},
    )
    assert response.status_code == 403
    assert "Only a partnership manager can approve" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "consultation"
    assert AuditEvent.objects.filter(verb="access.forbidden", actor=analyst).exists()


def test_manager_approves_with_the_minute_and_the_trail_shows_it(
    client: Any, sign_in: Any, plan: Any, make_action: Any, police: Any, analyst: Any,
    manager: Any,
) -> None:  # fmt: skip
    make_action(plan, [police])
    services.plan_submit(plan=plan, by=analyst, roles=ANALYST)
    sign_in(client, manager)
    url = reverse("plans:approve", kwargs={"plan_id": plan.pk})
    assert (
        "Enter the decision as minuted"
        in client.post(url, {"approved_on": "2026-03-12"}).content.decode()
    )
    response = client.post(
        url, {"minute": "Board 12 March 2026 item 5", "approved_on": "2026-03-12"}, follow=True
    )
    body = response.content.decode()
    assert "Board 12 March 2026 item 5" in body
    assert "Morgan Manager" in body
    # A second click on Approve: a clear message, no second version.
    again = client.post(url, {"minute": "Again", "approved_on": "2026-03-12"}, follow=True)
    assert "already approved" in again.content.decode()
    assert plan.versions.count() == 1


def test_diff_is_shown_on_the_draft_after_approval(
    client: Any, sign_in: Any, plan: Any, make_action: Any, police: Any, analyst: Any,
    manager: Any,
) -> None:  # fmt: skip
    from tests.saferplaces.plans.conftest import approve

    action = make_action(plan, [police])
    approve(plan, analyst, manager)
    services.priority_create(plan=plan, by=analyst, roles=ANALYST, data={"title": "Knife crime"})
    sign_in(client, analyst)
    body = client.get(reverse("plans:detail", kwargs={"plan_id": plan.pk})).content.decode()
    assert "What changed since version 1 was approved" in body
    assert "Knife crime" in body
    assert action.key_activity in body


def test_exports_in_the_action_plan_layout(
    client: Any, sign_in: Any, plan: Any, make_action: Any, police: Any, manager: Any,
    officer: Any,
) -> None:  # fmt: skip
    action = make_action(plan, [police], cost=2500)
    action.responsible_officers.set([officer])
    services.milestone_create(action=action, by=manager, roles=MANAGER, title="Kick-off",
                              due_date=date(2026, 6, 1))  # fmt: skip
    sign_in(client, manager)
    csv_response = client.get(
        reverse("plans:download", kwargs={"plan_id": plan.pk, "file_format": "csv"})
    )
    text = csv_response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = next(row for row in rows if row and row[0] == "Priority")
    assert tuple(header) == ACTION_PLAN_COLUMNS
    line = rows[rows.index(header) + 1]
    assert line[2] == "Target hardening for repeat victims"
    assert line[3] == "Olu Officer"
    assert line[4] == "Police"
    assert "Kick-off (due 01/06/2026)" in line[6]

    xlsx = client.get(reverse("plans:download", kwargs={"plan_id": plan.pk, "file_format": "xlsx"}))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as archive:
        assert "xl/workbook.xml" in archive.namelist()
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert "Key activity" in strings
    assert "Target hardening" in strings
    assert AuditEvent.objects.filter(verb="plan.exported").count() == 2
