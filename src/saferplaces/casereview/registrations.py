"""What this app adds to the shared registries (core may not import it)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.urls import reverse
from django.utils import timezone

from saferplaces.core.home_panels import (
    PublicService,
    ResidentWorkSection,
    public_service_register,
    resident_work_register,
)
from saferplaces.core.privacy import (
    PrivacyPurpose,
    RetentionRule,
    SubjectData,
    privacy_purpose_register,
    retention_rule_register,
    subject_data_register,
)


def _resident_work(user: Any, partnership: Any, roles: Collection[str]) -> list[Any]:
    from saferplaces.casereview.permissions import can_view_case_reviews
    from saferplaces.casereview.selectors import work_status

    if partnership is None or not can_view_case_reviews(user, roles=roles):
        return []
    return [
        ResidentWorkSection(
            title="ASB case reviews",
            href=reverse("casereview:list"),
            description="Requests for a case review (the Community Trigger): the threshold "
            "decision, the multi-agency review, the outcome and appeals.",
            status=work_status(partnership=partnership, today=timezone.localdate()),
            order=20,
        )
    ]


def register() -> None:
    from saferplaces.casereview import services

    public_service_register(
        "casereview",
        PublicService(
            title="Ask for an ASB case review",
            url_name="casereview_public:start",
            description="If you have reported anti-social behaviour several times and feel "
            "nothing has been done, ask the agencies to review your case together.",
            order=20,
        ),
    )
    resident_work_register("casereview", _resident_work)
    privacy_purpose_register(
        PrivacyPurpose(
            key="casereview",
            title="Asking for an ASB case review",
            what="Your name, e-mail address and phone number; the name of the person you ask "
            "for, if not you; your account of the problem and where it happens; the reports "
            "you made and the decisions we made.",
            why="To carry out the case review the Anti-social Behaviour, Crime and Policing "
            "Act 2014 (s.104) requires (UK GDPR Article 6(1)(e), a task in the public "
            "interest). Information about crime is processed under Article 10 and the Data "
            "Protection Act 2018, Schedule 1.",
            who="The partnership manager and the organisation leading your review. Other "
            "agencies taking part see what they need for the review. The published yearly "
            "figures are counts only.",
            retention="Your details are removed a set number of years after your case is "
            "closed (3 years unless the partnership sets another period); the counts stay.",
            order=20,
        )
    )
    retention_rule_register(
        RetentionRule(
            key="casereview",
            description="Case reviews: applicants' details removed the partnership's set "
            "number of years after the case is closed",
            apply=services.retention_apply,
        )
    )
    subject_data_register(
        SubjectData(
            key="casereview",
            title="ASB case reviews",
            export=services.subject_export,
            erase=services.subject_erase,
        )
    )
