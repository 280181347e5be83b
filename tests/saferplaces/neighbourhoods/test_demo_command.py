"""`saferplaces_demo_neighbourhood`: the demo partnership gets Greenhill and Agar Nook, once."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from saferplaces.neighbourhoods.management.commands import saferplaces_demo_neighbourhood as demo
from saferplaces.neighbourhoods.models import Neighbourhood


@pytest.mark.django_db
def test_the_demo_neighbourhood_is_saved_once(settings: Any, tmp_path: Path) -> None:
    from tests.saferplaces.analytics._stores import real_data_dir

    settings.DATA_DIR = tmp_path
    call_command("saferplaces_setup_demo", "--quiet-credentials", stdout=StringIO())
    settings.DATA_DIR = real_data_dir()

    first, second = StringIO(), StringIO()
    call_command("saferplaces_demo_neighbourhood", stdout=first)
    call_command("saferplaces_demo_neighbourhood", stdout=second)

    neighbourhood = Neighbourhood.objects.get()
    assert neighbourhood.name == demo.NAME
    assert neighbourhood.lsoa_codes == demo.LSOA_CODES
    assert neighbourhood.owner_organisation.name == demo.OWNER
    assert "Saved the demo neighbourhood" in first.getvalue()
    assert "already saved" in second.getvalue()
    assert "profile is prepared (ready)" in second.getvalue()
