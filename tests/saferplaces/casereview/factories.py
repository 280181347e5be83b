"""Build case reviews in a given state, through the services where it matters."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from saferplaces.accounts.models import Role
from saferplaces.casereview.services import (
    CaseReviewRequest,
    DeclaredReportInput,
    case_review_submit,
)
from tests.saferplaces.factories import MembershipFactory, OrganisationFactory


def a_request(**changes: Any) -> CaseReviewRequest:
    values: dict[str, Any] = {
        "applicant_kind": "victim",
        "problem": "Loud music every night from the flat above.",
        "place": "Flats on Mill Lane",
        "applicant_name": "Alex Resident",
        "email": "alex@example.org",
        "declared": (
            DeclaredReportInput("Police", date(2026, 2, 1), "LP-1"),
            DeclaredReportInput("Council", date(2026, 2, 20), ""),
            DeclaredReportInput("Housing association", date(2026, 3, 10), "H-7"),
        ),
    }
    values.update(changes)
    return CaseReviewRequest(**values)


def submitted(partnership: Any, today: date = date(2026, 3, 27), **changes: Any) -> Any:
    case_review, _ = case_review_submit(
        partnership=partnership, request=a_request(**changes), key=uuid.uuid4(), today=today
    )
    return case_review


def member(partnership: Any, role: str = Role.PARTNERSHIP_MANAGER, organisation: Any = None) -> Any:
    organisation = organisation or OrganisationFactory(partnership=partnership)
    return MembershipFactory(organisation=organisation, role=role).user
