"""The demo command: concerns at each stage, safe to run twice."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from saferplaces.concerns.models import Concern, Outcome, Status
from tests.shared_data import require_shared_data

pytestmark = pytest.mark.django_db


def test_demo_concerns_at_each_stage_and_idempotent(settings: Any, tmp_path: Any) -> None:
    require_shared_data("postcodes", "ons")
    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", verbosity=0)
    call_command("saferplaces_demo_concerns", verbosity=0)
    call_command("saferplaces_demo_concerns", verbosity=0)
    concerns = Concern.objects.all()
    assert concerns.count() == 5
    statuses = {c.status for c in concerns}
    assert statuses == {Status.NEW, Status.ASSIGNED, Status.CLOSED}
    closed = concerns.get(category="graffiti")
    assert closed.outcome == Outcome.ACTION_TAKEN
    assert "Generated" in closed.public_outcome
    assert concerns.filter(outcome=Outcome.DUPLICATE).count() == 1
    assert concerns.get(category="street_drinking").events.filter(kind="reopened").exists()
    assert all("Generated for the demonstration" in c.description for c in concerns)
