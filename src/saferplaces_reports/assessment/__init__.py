"""The strategic assessment: drafted from the engine, scored, rendered as HTML, PDF and XLSX.

Django-free, so the web app (drafts, edits, approval) and the command line (``saferplaces
assessment build``) produce the same document. The public API is:

- :class:`AssessmentOptions`, :class:`PriorityWeights` (``options``)
- :class:`AssessmentDocument`, :class:`Section`, :class:`Figure`, :class:`ChartImage` (``document``)
- :func:`build_assessment`, :class:`NoDataError` (``build``)
- :func:`score_priorities`, :class:`CategoryEvidence`, :class:`PriorityRow`, :func:`rescore`
- :func:`render_html`, :func:`render_pdf`, :func:`render_xlsx` (``render``)
"""

from saferplaces_reports.assessment.build import NoDataError, build_assessment
from saferplaces_reports.assessment.document import (
    AssessmentDocument,
    ChartImage,
    Figure,
    Section,
)
from saferplaces_reports.assessment.options import AssessmentOptions, PriorityWeights
from saferplaces_reports.assessment.priority import (
    CategoryEvidence,
    PriorityRow,
    score_priorities,
)
from saferplaces_reports.assessment.render import render_html, render_pdf, render_xlsx
from saferplaces_reports.assessment.rescore import rescore

__all__ = [
    "AssessmentDocument",
    "AssessmentOptions",
    "CategoryEvidence",
    "ChartImage",
    "Figure",
    "NoDataError",
    "PriorityRow",
    "PriorityWeights",
    "Section",
    "build_assessment",
    "render_html",
    "render_pdf",
    "render_xlsx",
    "rescore",
    "score_priorities",
]
