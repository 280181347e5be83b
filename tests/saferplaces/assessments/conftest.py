"""Fixtures for the assessment tests: the demo partnership's districts, people in each role,
and assessments in each state (with a real document built once per process)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from saferplaces.accounts.models import Role
from saferplaces.assessments.models import Assessment, AssessmentStatus
from tests.saferplaces.assessments._documents import NWL, small_document
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)


@pytest.fixture
def nwl(db: Any) -> Any:
    """North West Leicestershire (the demo partnership's district), in Leicestershire."""
    return PartnershipFactory(
        name="North West Leicestershire Community Safety Partnership",
        gss_code="E22000170",
        lad_codes=[NWL],
        police_force="leicestershire",
    )


@pytest.fixture
def member(nwl: Any) -> Callable[..., Any]:
    """``member(role)``: a new user with that role in the partnership."""
    organisation = OrganisationFactory(partnership=nwl)

    def make(role: str) -> Any:
        user = UserFactory()
        MembershipFactory(user=user, organisation=organisation, role=role)
        return user

    return make


@pytest.fixture
def analyst(member: Callable[..., Any]) -> Any:
    return member(Role.ANALYST)


@pytest.fixture
def manager(member: Callable[..., Any]) -> Any:
    return member(Role.PARTNERSHIP_MANAGER)


@pytest.fixture
def make_assessment(nwl: Any) -> Callable[..., Assessment]:
    """``make_assessment(status=..., **fields)``: a row holding a small hand-made document
    (pass ``document=nwl_document()`` for the real one)."""

    def make(status: str = AssessmentStatus.DRAFT, **fields: Any) -> Assessment:
        document = fields.pop("document", None)
        if document is None and status not in ("queued", "building", "failed"):
            document = small_document()
        defaults: dict[str, Any] = {
            "partnership": fields.pop("partnership", nwl),
            "title": "Strategic assessment: North West Leicestershire, January to December 2025",
            "options": {"area": NWL, "last_month": "2025-12-01", "months": 12},
            "status": status,
            "document": document,
            "progress": 100 if document else 0,
        }
        defaults.update(fields)
        return Assessment.objects.create(**defaults)

    return make


@pytest.fixture
def nwl_store(settings: Any) -> Path:
    """``settings.DATA_DIR`` is the small real Leicestershire store (2024 and 2025)."""
    from tests.saferplaces.analytics._stores import real_data_dir

    settings.DATA_DIR = real_data_dir()
    cache.clear()
    return Path(settings.DATA_DIR)
