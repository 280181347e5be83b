"""Reads for the staff pages: counts only. No selector here returns an e-mail address."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from saferplaces.accounts.models import Partnership
from saferplaces.alerts import areas as area_rules
from saferplaces.alerts.models import Alert, Subscription, Topic


@dataclass(frozen=True)
class SubscriberCounts:
    confirmed: int
    pending: int
    by_topic: list[tuple[str, int]]  # (topic in words, confirmed subscribers)
    by_area: list[tuple[str, int]]  # (area in words, confirmed subscribers who chose it)


def subscriber_counts(*, partnership: Partnership) -> SubscriberCounts:
    rows = list(
        Subscription.objects.filter(partnership=partnership)
        .exclude(status=Subscription.Status.UNSUBSCRIBED)
        .values_list("status", "areas", "topics")
    )
    confirmed = [row for row in rows if row[0] == Subscription.Status.CONFIRMED]
    by_topic = [
        (label, sum(1 for row in confirmed if value in (row[2] or [])))
        for value, label in Topic.choices
    ]
    by_area = [
        (area.name, sum(1 for row in confirmed if area.key in (row[1] or [])))
        for area in area_rules.area_choices(partnership)
    ]
    return SubscriberCounts(
        confirmed=len(confirmed),
        pending=len(rows) - len(confirmed),
        by_topic=by_topic,
        by_area=by_area,
    )


def alert_list(*, partnership: Partnership) -> QuerySet[Alert]:
    return Alert.objects.filter(partnership=partnership).select_related("created_by")
