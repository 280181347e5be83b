"""Fake registrations: the privacy app must work with whatever apps register, so its tests
register their own purposes, retention rules and subject data sources (never the real apps')."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.core.cache import cache

from saferplaces.accounts.models import User
from saferplaces.core import privacy

KEPT_REASON = "A case review you asked for is under way: we keep your reports until it ends."


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def _users_with(email: str) -> Any:
    # The fake "newsletter" keeps its readers as accounts.User rows, so erasure is a real
    # database write that a failing source must roll back.
    return User.objects.filter(email__iexact=email)


@pytest.fixture
def fake_registries(monkeypatch: Any, db: Any) -> dict[str, Any]:
    """Two purposes, a retention rule and two sources; the real registrations are hidden."""
    deleted_before: list[datetime] = []
    purposes = {
        "newsletter": privacy.PrivacyPurpose(
            key="newsletter", title="Our newsletter", what="Your e-mail address.",
            why="Your consent, Article 6(1)(a).", who="The editor.", retention="Until you leave.",
        ),
        "casework": privacy.PrivacyPurpose(
            key="casework", title="Case reviews", what="Your reports.",
            why="Public task, Article 6(1)(e); Article 10 for offences.", who="The review panel.",
            retention="6 years after the review.", order=10,
        ),
    }  # fmt: skip

    def retention_apply(now: datetime) -> int:
        deleted_before.append(now)
        return User.objects.filter(email__endswith="@old.example.org").delete()[0]

    def case_export(email: str) -> Any:
        if email != "resident@example.org":
            return []
        return {"reports": [{"reference": "C-2026-00042"}], "kept": [KEPT_REASON]}

    sources = {
        "newsletter": privacy.SubjectData(
            key="newsletter", title="Newsletter",
            export=lambda email: [{"email": u.email} for u in _users_with(email)],
            erase=lambda email: _users_with(email).delete()[0],
        ),
        "casework": privacy.SubjectData(
            key="casework", title="Case reviews", export=case_export, erase=lambda email: 0
        ),
    }  # fmt: skip
    rules = {"old": privacy.RetentionRule("old", "Old readers deleted", retention_apply)}
    monkeypatch.setattr(privacy, "_purposes", purposes)
    monkeypatch.setattr(privacy, "_subject_data", sources)
    monkeypatch.setattr(privacy, "_retention", rules)
    return {"sources": sources, "retention_calls": deleted_before}
