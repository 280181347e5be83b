"""Residents' personal data, purpose by purpose: the notice, the retention rule, access and erasure.

UK GDPR asks for a privacy notice per purpose, a retention schedule that is enforced, a copy of
a person's data on request (subject access) and erasure where the lawful basis allows it. The
data sit in the apps that collect them (concerns, case reviews, surveys, alerts, the community
network), and core may not import those apps, so each app registers here, in its
``AppConfig.ready()``:

- a :class:`PrivacyPurpose` (what the privacy notice page says about it);
- a :class:`RetentionRule` (run by the scheduled retention task: deletes or anonymises what is
  past its period and returns how many records it changed);
- a :class:`SubjectData` (finds, exports and erases one resident's records by e-mail address).

The privacy pages, the retention task and the subject access and erasure flow read only these
registries, so a new app that holds personal data cannot be left out by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class PrivacyPurpose:
    """One purpose of processing, in the words of the privacy notice."""

    key: str  # e.g. "concerns"
    title: str  # "Reporting a concern"
    what: str  # what we collect
    why: str  # the purpose and lawful basis (Article 6, and 9 or 10 where they apply)
    who: str  # who can see it
    retention: str  # how long we keep it, in words ("2 years after the concern is closed")
    order: int = 100


@dataclass(frozen=True)
class RetentionRule:
    """Deletes or anonymises what is past its retention period: ``apply(now)`` → records changed."""

    key: str
    description: str  # "Closed concerns: contact details removed 2 years after closing"
    apply: Callable[[datetime], int]


@dataclass(frozen=True)
class SubjectData:
    """One app's records about a resident, found by the e-mail address they gave.

    ``export(email)`` returns plain JSON-ready data (lists of dicts, strings, numbers);
    ``erase(email)`` deletes or anonymises them and returns how many records it changed.
    """

    key: str
    title: str
    export: Callable[[str], Any]
    erase: Callable[[str], int]


_purposes: dict[str, PrivacyPurpose] = {}
_retention: dict[str, RetentionRule] = {}
_subject_data: dict[str, SubjectData] = {}


def privacy_purpose_register(purpose: PrivacyPurpose) -> None:
    _purposes[purpose.key] = purpose


def retention_rule_register(rule: RetentionRule) -> None:
    _retention[rule.key] = rule


def subject_data_register(data: SubjectData) -> None:
    _subject_data[data.key] = data


def privacy_purposes() -> list[PrivacyPurpose]:
    return sorted(_purposes.values(), key=lambda purpose: (purpose.order, purpose.title))


def retention_rules() -> list[RetentionRule]:
    return list(_retention.values())


def subject_data_sources() -> list[SubjectData]:
    return list(_subject_data.values())
