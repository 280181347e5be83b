"""The resident-facing summary: published plans only, organisations but never people's names,
a leaflet of at most two pages, linked from the home page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from saferplaces.plans import services
from tests.saferplaces.plans.conftest import MANAGER, OFFICER, approve


@pytest.fixture
def published(
    plan: Any, make_action: Any, police: Any, housing: Any, analyst: Any, manager: Any,
    officer: Any,
) -> Any:  # fmt: skip
    action = make_action(plan, [police, housing])
    action.responsible_officers.set([officer])
    priority = action.priority
    services.priority_change(
        priority=priority, by=manager, roles=MANAGER,
        data={"title": "Burglary", "lead_officer": officer, "lead_organisation": police},
    )  # fmt: skip
    services.objective_create(priority=priority, by=manager, roles=MANAGER, text="Fewer repeats")
    for n in range(11):
        make_action(plan, [housing], key_activity=f"Estate walkabout number {n} with residents",
                    intervention_level="problem_solving")  # fmt: skip
    approve(plan, analyst, manager)
    services.plan_publish(plan=plan, by=manager, roles=MANAGER)
    services.progress_post(
        action=action, by=officer, roles=OFFICER, officer_org_ids={str(police.pk)},
        on=timezone.localdate(), text="Olu Officer visited Mrs Smith", status="on_track",
    )  # fmt: skip
    plan.refresh_from_db()
    return plan


PEOPLE = ("Olu Officer", "Morgan Manager", "Ash Analyst", "Mrs Smith")


def test_public_summary_shows_organisations_and_no_personal_names(
    client: Any, published: Any
) -> None:
    response = client.get(reverse("plans_public:summary", kwargs={"plan_id": published.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Our community safety plan, 2026–2029" in body
    assert "Burglary" in body
    assert "Target hardening for repeat victims" in body
    assert "(Housing Association and Police;" in body
    for name in PEOPLE:
        assert name not in body, name
    assert "@" not in body.split("<footer")[0].split("<main")[1]


def test_a_draft_plan_has_no_public_page(client: Any, plan: Any) -> None:
    response = client.get(reverse("plans_public:summary", kwargs={"plan_id": plan.pk}))
    assert response.status_code == 404
    leaflet = client.get(reverse("plans_public:leaflet", kwargs={"plan_id": plan.pk}))
    assert leaflet.status_code == 404


def test_home_page_links_the_published_plan(client: Any, published: Any) -> None:
    body = client.get(reverse("core:home")).content.decode()
    assert "Our community safety plan" in body
    assert reverse("plans_public:summary", kwargs={"plan_id": published.pk}) in body


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")
def test_leaflet_is_at_most_two_pages_and_names_nobody(
    client: Any, published: Any, tmp_path: Path
) -> None:
    response = client.get(reverse("plans_public:leaflet", kwargs={"plan_id": published.pk}))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "leaflet.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert 1 <= pages <= 2
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Estate walkabout number 10" in text
    for name in PEOPLE:
        assert name not in text, name
