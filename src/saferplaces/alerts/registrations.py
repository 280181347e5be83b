"""What the alerts app adds to the shared registries of core (called from ``ready()``)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.urls import reverse

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

PURPOSE = PrivacyPurpose(
    key="alerts",
    title="E-mail alerts about your area",
    what=(
        "Your e-mail address, the areas and topics you chose, the words you agreed to and when, "
        "when you confirmed your address or unsubscribed, and which alerts were sent to you."
    ),
    why=(
        "To send you the alerts you asked for: news of crime and antisocial behaviour, "
        "community meetings, surveys and safety advice where you live. Keeping residents "
        "informed and involved is part of the partnership's public task under the Crime and "
        "Disorder Act 1998 (UK GDPR Article 6(1)(e)). We send alerts only after you confirm "
        "your address, and stop as soon as you unsubscribe. We do not ask for special category "
        "or criminal offence data, so Articles 9 and 10 do not apply."
    ),
    who=(
        "Only the e-mail system that sends the alerts. Staff of the partnership see how many "
        "people get alerts for each area and topic, never who they are or their addresses."
    ),
    retention=(
        "While you get alerts. A sign-up that is not confirmed is deleted after 7 days; after "
        "you unsubscribe your address is deleted after 30 days."
    ),
    order=50,
)


def _resident_work(
    user: Any, partnership: Any, roles: Collection[str]
) -> list[ResidentWorkSection]:
    from saferplaces.alerts.permissions import can_view_alerts
    from saferplaces.alerts.selectors import subscriber_counts

    if not can_view_alerts(user, roles=roles):
        return []
    counts = subscriber_counts(partnership=partnership)
    people = "person gets" if counts.confirmed == 1 else "people get"
    return [
        ResidentWorkSection(
            title="Alerts to residents",
            href=reverse("alerts:list"),
            description="E-mail alerts to residents who asked for them, by area and topic.",
            status=f"{counts.confirmed} {people} alerts",
            order=60,
        )
    ]


def register() -> None:
    from saferplaces.alerts import services

    public_service_register(
        "alerts",
        PublicService(
            title="Get alerts for your area",
            url_name="alerts_public:signup",
            description=(
                "E-mail updates about crime, community meetings, surveys and safety advice "
                "where you live. You can unsubscribe at any time."
            ),
            order=35,
        ),
    )
    resident_work_register("alerts", _resident_work)
    privacy_purpose_register(PURPOSE)
    retention_rule_register(
        RetentionRule(
            key="alerts",
            description=(
                "Alerts: unconfirmed sign-ups deleted after 7 days, unsubscribed addresses "
                "deleted after 30 days"
            ),
            apply=services.subscriptions_retention_apply,
        )
    )
    subject_data_register(
        SubjectData(
            key="alerts",
            title="E-mail alerts",
            export=services.subscriptions_export,
            erase=services.subscriptions_erase,
        )
    )
