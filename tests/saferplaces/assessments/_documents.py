"""One real assessment document per test process: North West Leicestershire, 2025.

Built once from the small Leicestershire store the analytics tests use (about ten seconds), then
copied into as many rows as the tests need, so only the task tests pay for a build of their own.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

NWL = "E07000134"


@cache
def _nwl_document() -> dict[str, Any]:
    from datetime import UTC, datetime

    from crimestats.store import Store
    from saferplaces_reports.assessment import AssessmentOptions, build_assessment
    from tests.saferplaces.analytics._stores import real_data_dir

    document = build_assessment(
        Store(real_data_dir()),
        AssessmentOptions(area=NWL),
        now=datetime(2026, 1, 15, 9, 0, tzinfo=UTC),
    )
    return document.to_dict()


def nwl_document() -> dict[str, Any]:
    """A fresh copy (tests may change it) of the built document."""
    return copy.deepcopy(_nwl_document())


def small_document() -> dict[str, Any]:
    """A tiny but complete document made by hand (no data, no engine): for permission tests."""
    from datetime import UTC, date, datetime

    from saferplaces_reports.assessment import (
        AssessmentDocument,
        AssessmentOptions,
        CategoryEvidence,
        Figure,
        PriorityWeights,
        Section,
        score_priorities,
    )
    from saferplaces_reports.tables import Table

    evidence = [
        CategoryEvidence("burglary", "Burglary", 120, 0.12, change_direction="none"),
        CategoryEvidence("shoplifting", "Shoplifting", 300, 0.30, change_direction="rise"),
    ]
    options = AssessmentOptions(area=NWL, last_month=date(2025, 12, 1))
    provenance = {"period": "January to December 2025", "forces": ["leicestershire"]}
    document = AssessmentDocument(
        title="Strategic assessment: Testshire, January to December 2025",
        area_name="Testshire",
        area_code=NWL,
        area_kind="lad",
        period=(date(2025, 1, 1), date(2025, 12, 1)),
        previous_period=(date(2024, 1, 1), date(2024, 12, 1)),
        trend_period=(date(2023, 1, 1), date(2025, 12, 1)),
        options=options,
        sections=[
            Section(
                "executive-summary",
                "Executive summary",
                "Crime fell.\n\nShoplifting rose.",
                [Figure("headline", "All crime", "420 crimes", 420.0, provenance)],
            ),
            Section(
                "overall",
                "The overall picture",
                "420 crimes were recorded.",
                [
                    Figure(
                        "overall-rate",
                        "Crimes per 1,000 residents",
                        "42.0 per 1,000 residents",
                        42.0,
                        {**provenance, "population_year": 2022},
                    )
                ],
            ),
            Section(
                "annex",
                "Annex tables",
                "",
                tables=[
                    Table("counts", "Counts", ("Type", "Crimes"), (("Burglary", 120),)),
                ],
            ),
            Section("priority-matrix", "Priority matrix", "How the matrix is scored."),
        ],
        priorities=score_priorities(evidence, PriorityWeights()),
        evidence=evidence,
        provenance=provenance,
        built_at=datetime(2026, 1, 15, 9, 0, tzinfo=UTC),
    )
    return document.to_dict()
