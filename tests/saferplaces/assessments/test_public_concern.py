"""Entering the public concern score of a draft strategic assessment, and where suggestions
come from."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from saferplaces.accounts.models import Role
from saferplaces.assessments import services
from saferplaces.assessments.document import priority_rows
from saferplaces.assessments.models import AssessmentStatus
from saferplaces.audit.models import AuditEvent
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.resident_voice import (
    PublicConcernSuggestion,
    public_concern_register,
    public_concern_suggestions,
)

pytestmark = pytest.mark.django_db

DRAFTER = {Role.ANALYST}


def _set(draft: Any, by: Any, roles: Any = DRAFTER, **scores: Any) -> Any:
    return services.assessment_public_concern_set(
        assessment=draft, by=by, roles=roles, scores=scores, source="Have your say 2027"
    )


def test_a_viewer_may_not_enter_public_concern(make_assessment: Any, analyst: Any) -> None:
    draft = make_assessment()
    with pytest.raises(PermissionDenied):
        _set(draft, analyst, roles={Role.VIEWER}, burglary=5)
    draft.refresh_from_db()
    assert draft.public_concern == {}


def test_only_a_draft_takes_public_concern(make_assessment: Any, analyst: Any) -> None:
    approved = make_assessment(AssessmentStatus.APPROVED, number=1)
    with pytest.raises(ApplicationError, match="approved"):
        _set(approved, analyst, burglary=5)


@pytest.mark.parametrize("score", [0, 6, 2.5])
def test_a_score_outside_1_to_5_is_refused(make_assessment: Any, analyst: Any, score: Any) -> None:
    draft = make_assessment()
    with pytest.raises(ApplicationError, match="whole number from 1 to 5"):
        _set(draft, analyst, burglary=score)
    draft.refresh_from_db()
    assert draft.public_concern == {}
    assert not AuditEvent.objects.filter(verb=services.VERB_PUBLIC_CONCERN_SET).exists()


def test_public_concern_rescores_the_draft_and_is_audited(
    make_assessment: Any, analyst: Any
) -> None:
    draft = make_assessment()
    before = {r.category: r.weighted for r in priority_rows(draft)}

    _set(draft, analyst, burglary=5, shoplifting=1)

    draft.refresh_from_db()
    after = {r.category: r for r in priority_rows(draft)}
    assert after["burglary"].scores["public_concern"] == 5
    assert after["burglary"].weighted != before["burglary"]
    assert draft.public_concern["scores"] == {"burglary": 5, "shoplifting": 1}
    assert draft.public_concern["source"] == "Have your say 2027"
    event = AuditEvent.objects.get(verb=services.VERB_PUBLIC_CONCERN_SET)
    assert event.summary["scores_after"] == {"burglary": 5, "shoplifting": 1}


def test_suggestions_are_gathered_by_crime_type(monkeypatch: Any) -> None:
    from saferplaces.core import resident_voice

    monkeypatch.setattr(resident_voice, "_public_concern", {})
    public_concern_register(
        "test",
        lambda partnership, since: [
            PublicConcernSuggestion("drugs", 4, "Ranked 2nd"),
            PublicConcernSuggestion("drugs", 9, "out of range, dropped"),
        ],
    )
    found = public_concern_suggestions(partnership=None, since=date(2026, 1, 1))
    assert [s.because for s in found["drugs"]] == ["Ranked 2nd"]
