"""The crime data dashboard: filters in the address, bad input, downloads and their audit."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from saferplaces.analytics.services import VERB_DASHBOARD_EXPORTED
from saferplaces.audit.models import AuditEvent
from saferplaces.audit.registry import Action

URL = "/staff/crime/"


@pytest.fixture
def nwl(real_store: Path) -> Any:
    from tests.saferplaces.factories import PartnershipFactory

    return PartnershipFactory(name="North West Leicestershire CSP", lad_codes=["E07000134"])


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_smoke(client: Any, sign_in_as: Any, nwl: Any) -> None:
    sign_in_as(client, "analyst", partnership=nwl)
    response = client.get(URL)
    Path("/tmp/dashout/page.html").write_bytes(response.content)
    assert response.status_code == 200, response.content.decode()[:3000]
