"""What residents told the partnership, shared between the apps that collect and show it.

Core may not import the feature apps, and the apps that need each other's answers were built
side by side, so they meet here:

- **A resident's own reports** (``resident_reports_*``): the ASB case review (the Community
  Trigger) counts the reports a resident made through this site towards the threshold. The
  concerns app registers the lookup; the case review calls :func:`resident_reports_find`.
- **"You said, we did"** (``you_said_*``): the public page per neighbourhood gathers what
  residents raised (concerns, forums, surveys) and what the partnership did. Each app registers
  a provider that returns :class:`YouSaidItem` for a set of LSOAs, already aggregated and with
  small numbers suppressed: the page prints what it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class ResidentReport:
    """One report a resident made on this site, as the case review shows and counts it."""

    reference: str  # the reference number the resident was given, e.g. "C-2026-00042"
    reported_on: date
    category: str  # the problem in words, e.g. "Noise or nuisance neighbours"
    place: str  # where, in words (street/neighbourhood), never the reporter's address
    status: str  # in words, e.g. "Closed: action taken"


# (partnership, e-mail address, reference numbers, first day counted) → reports matching either
# the e-mail address (as given on the report) or one of the references, made on or after the day.
ResidentReportLookup = Callable[[Any, str, Collection[str], date], list[ResidentReport]]
_report_lookups: dict[str, ResidentReportLookup] = {}


def resident_reports_register(name: str, lookup: ResidentReportLookup) -> None:
    _report_lookups[name] = lookup


def resident_reports_find(
    *, partnership: Any, email: str, references: Collection[str], since: date
) -> list[ResidentReport]:
    """Every registered lookup's reports, each reference once, oldest first."""
    found: dict[str, ResidentReport] = {}
    for lookup in _report_lookups.values():
        for report in lookup(partnership, email, references, since):
            found.setdefault(report.reference, report)
    return sorted(found.values(), key=lambda report: (report.reported_on, report.reference))


@dataclass(frozen=True)
class YouSaidItem:
    """One line of a "you said, we did" page."""

    source: str  # "Concerns reported", "Neighbourhood forum", "Perception survey"
    you_said: str  # aggregated and suppressed, e.g. "12 reports of off-road bikes since June"
    we_did: str  # what the partnership did, or "" while nothing is done yet
    when: date | None = None
    order: int = 100


# (partnership, LSOA codes of the neighbourhood, first day) → items
YouSaidProvider = Callable[[Any, Collection[str], date], list[YouSaidItem]]
_you_said: dict[str, YouSaidProvider] = {}


def you_said_register(name: str, provider: YouSaidProvider) -> None:
    _you_said[name] = provider


def you_said_items(
    *, partnership: Any, lsoa_codes: Collection[str], since: date
) -> list[YouSaidItem]:
    items: list[YouSaidItem] = []
    for provider in _you_said.values():
        items.extend(provider(partnership, lsoa_codes, since))
    return sorted(items, key=lambda item: (item.order, item.source))


@dataclass(frozen=True)
class PublicConcernSuggestion:
    """A suggested "public concern" score (1–5) for one crime type of the strategic assessment.

    Only a suggestion: the analyst sees it beside the score they choose and decides.
    """

    category: str  # a police.uk crime type, e.g. "anti-social-behaviour"
    score: int  # 1 (least concern) to 5 (most)
    because: str  # the rule and the numbers, e.g. "Ranked 2nd of 5 by 312 people in '…'"


# (partnership, first day of the assessment period) → suggestions
PublicConcernProvider = Callable[[Any, date], list[PublicConcernSuggestion]]
_public_concern: dict[str, PublicConcernProvider] = {}


def public_concern_register(name: str, provider: PublicConcernProvider) -> None:
    _public_concern[name] = provider


def public_concern_suggestions(
    *, partnership: Any, since: date
) -> dict[str, list[PublicConcernSuggestion]]:
    """Every provider's suggestions, by crime type (a type may have one from each source)."""
    found: dict[str, list[PublicConcernSuggestion]] = {}
    for name in sorted(_public_concern):
        for suggestion in _public_concern[name](partnership, since):
            if 1 <= suggestion.score <= 5:
                found.setdefault(suggestion.category, []).append(suggestion)
    return found
