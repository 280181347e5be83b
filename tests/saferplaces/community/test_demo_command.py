"""`saferplaces_demo_community`: schemes, a champion, a forum and a published page, once."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command

from saferplaces.community.models import CommunityGroup, ForumIssue, PublishedPage
from saferplaces.plans.models import Plan, Priority


@pytest.mark.django_db
def test_the_demo_network_is_made_once(settings: Any, tmp_path: Path, client: Any) -> None:
    from tests.saferplaces.analytics._stores import real_data_dir

    cache.clear()
    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    settings.DATA_DIR = real_data_dir()
    from saferplaces.accounts.models import Partnership

    # A stand-in for the demo plan (saferplaces_demo_plan needs the demo assessment).
    partnership = Partnership.objects.get(gss_code="E22000170")
    plan = Plan.objects.create(
        partnership=partnership, title="Community Safety Plan", start_year=2026, end_year=2029
    )
    priority = Priority.objects.create(plan=plan, title="Anti-social behaviour", order=1)

    first, second = StringIO(), StringIO()
    call_command("saferplaces_demo_community", stdout=first)
    call_command("saferplaces_demo_community", stdout=second)

    groups = CommunityGroup.objects.order_by("name")
    assert [g.kind for g in groups].count("watch") == 2
    assert [g.kind for g in groups].count("champion") == 1
    assert all("generated for the demonstration" in g.name for g in groups)
    assert all("generated for the demonstration" in g.coordinator_name for g in groups)
    assert ForumIssue.objects.count() == 3
    linked = ForumIssue.objects.get(priority=priority)
    assert linked.we_did
    page = PublishedPage.objects.get()
    assert "ready" in first.getvalue()
    assert "already has its meeting" in second.getvalue()

    response = client.get(f"/neighbourhoods/{page.neighbourhood_id}/you-said-we-did/")
    text = response.content.decode()
    assert "Off-road motorbikes" in text
    assert "alex.sample@example.invalid" not in text
    cache.clear()
