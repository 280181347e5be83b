"""Score a stored document's priority matrix again: new weights, public concern, overrides.

The web app calls this when an analyst changes a weight, enters public concern or overrides a
score: the evidence travels with the document, so no engine is needed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from saferplaces_reports.assessment import drafting
from saferplaces_reports.assessment.document import AssessmentDocument
from saferplaces_reports.assessment.options import PriorityWeights
from saferplaces_reports.assessment.priority import score_priorities

__all__ = ["rescore"]


def rescore(
    doc: AssessmentDocument,
    *,
    weights: PriorityWeights | None = None,
    public_concern: Mapping[str, float] | None = None,
    vulnerability: Mapping[str, float] | None = None,
    overrides: Mapping[str, tuple[float, str]] | None = None,
) -> AssessmentDocument:
    """A copy of ``doc`` with its matrix scored again (arguments left out keep the doc's own),
    and the drafted executive summary and recommendations drafted again to match.

    Raises ``ValueError`` for an override without a reason or a score out of range; ``doc`` is
    never changed.
    """
    options = doc.options
    if weights is not None:
        options = dataclasses.replace(options, weights=weights)
    concern = dict(doc.public_concern if public_concern is None else public_concern)
    vulnerable = dict(doc.vulnerability if vulnerability is None else vulnerability)
    if overrides is None:
        overrides = {
            row.category: (row.override_score, row.override_reason or "")
            for row in doc.priorities
            if row.override_score is not None
        }
    rows = score_priorities(
        doc.evidence,
        options.weights,
        public_concern=concern,
        overrides=overrides,
        vulnerability=vulnerable,
        include_harm=options.include_harm,
    )
    copy = AssessmentDocument.from_dict(doc.to_dict())
    copy.options, copy.public_concern, copy.vulnerability, copy.priorities = (
        options,
        concern,
        vulnerable,
        rows,
    )
    redraft(copy)
    return copy


def redraft(doc: AssessmentDocument) -> None:
    """Draft the executive summary and recommendations again from ``doc.priorities``."""
    for section in doc.all_sections():
        if section.key == "executive-summary":
            headline = section.figure("headline").text
            section.narrative_default = drafting.executive_summary(headline, doc.priorities)
        elif section.key == "recommendations":
            section.narrative_default = drafting.recommendations(doc.priorities)
