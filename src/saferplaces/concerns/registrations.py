"""What the concerns app gives the shared registries (core may not import this app)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from django.urls import reverse

SUPPRESS_BELOW = 5


def _status_words(concern: Any) -> str:
    from saferplaces.concerns.models import Status

    if concern.status == Status.CLOSED:
        return f"Closed: {concern.get_outcome_display().lower()}"
    return concern.get_status_display()


def resident_reports(
    partnership: Any, email: str, references: Collection[str], since: date
) -> list[Any]:
    """A resident's own concerns (by the e-mail they gave, or reference), for the case review."""
    from django.db.models import Q

    from saferplaces.concerns.categories import category_label
    from saferplaces.concerns.models import Concern
    from saferplaces.core.resident_voice import ResidentReport

    match = Q(reference__in=[r.strip().upper() for r in references if r.strip()])
    if email and email.strip():
        match |= Q(contact_email__iexact=email.strip())
    found = Concern.objects.filter(match, partnership=partnership, created_at__date__gte=since)
    return [
        ResidentReport(
            reference=c.reference,
            reported_on=c.created_at.date(),
            category=category_label(c.category),
            place=c.lsoa_name or "Place described",
            status=_status_words(c),
        )
        for c in found.order_by("created_at")
    ]


def _count_words(n: int) -> str:
    if n < SUPPRESS_BELOW:
        return "fewer than 5 reports"
    return f"{n} reports"


def you_said(partnership: Any, lsoa_codes: Collection[str], since: date) -> list[Any]:
    """Counts by category (fewer than 5 shown as such, sensitive ones left out), and 'we did'."""
    from saferplaces.concerns.categories import SENSITIVE, category_label
    from saferplaces.concerns.models import Concern, Outcome, Status
    from saferplaces.concerns.selectors import concern_counts
    from saferplaces.core.resident_voice import YouSaidItem

    counts = concern_counts(
        partnership=partnership, since=since, lsoa_codes=lsoa_codes, include_sensitive=False
    )
    closed = (
        Concern.objects.filter(
            partnership=partnership,
            lsoa_code__in=list(lsoa_codes),
            status=Status.CLOSED,
            created_at__date__gte=since,
            duplicate_of__isnull=True,
        )
        .exclude(category__in=SENSITIVE)
        .exclude(public_outcome="")
        .exclude(outcome=Outcome.DUPLICATE)
        .order_by("-closed_at")
    )
    we_did: dict[str, tuple[str, datetime]] = {}
    for concern in closed:
        we_did.setdefault(
            category_label(concern.category), (concern.public_outcome, concern.closed_at)
        )
    items = []
    for label, n in counts.by_category:
        did, when = we_did.get(label, ("", None))
        items.append(
            YouSaidItem(
                source="Concerns reported",
                you_said=f"{label}: {_count_words(n)} since {since:%-d %B %Y}",
                we_did=did,
                when=when.date() if when else None,
                order=20,
            )
        )
    return items


def resident_work(user: Any, partnership: Any, roles: Collection[str]) -> list[Any]:
    from saferplaces.concerns.permissions import roles_can_view_concerns
    from saferplaces.concerns.selectors import concern_status_counts, staff_access
    from saferplaces.core.home_panels import ResidentWorkSection

    if not roles_can_view_concerns(roles):
        return []
    counts = concern_status_counts(
        partnership=partnership, access=staff_access(user=user, partnership=partnership)
    )
    status = f"{counts['new']} new concern{'s' if counts['new'] != 1 else ''} to triage"
    if counts["overdue"]:
        status += f", {counts['overdue']} overdue"
    return [
        ResidentWorkSection(
            title="Concerns reported by residents",
            href=reverse("concerns:list"),
            description="Triage, assign and close residents' reports; see duplicates.",
            status=status,
            order=10,
        ),
        ResidentWorkSection(
            title="Community intelligence",
            href=reverse("concerns:intelligence"),
            description="Residents' concerns counted by area, category and month (no personal "
            "data), with a CSV download.",
            order=11,
        ),
    ]


def home_panels(user: Any, partnership: Any, roles: Collection[str], is_current: bool) -> list[Any]:
    from saferplaces.concerns.permissions import roles_can_view_concerns
    from saferplaces.concerns.selectors import concern_status_counts, staff_access
    from saferplaces.core.home_panels import HomePanel

    if not roles_can_view_concerns(roles):
        return []
    counts = concern_status_counts(
        partnership=partnership, access=staff_access(user=user, partnership=partnership)
    )
    return [
        HomePanel(
            "Residents’ concerns",
            "concerns/_home_panel.html",
            {"counts": counts, "is_current": is_current},
            order=30,
        )
    ]


# Residents' concern categories → the police.uk crime types of the strategic assessment.
CONCERN_TO_CRIME_TYPE = {
    "noise": "anti-social-behaviour",
    "rowdy": "anti-social-behaviour",
    "vehicle_nuisance": "anti-social-behaviour",
    "street_drinking": "anti-social-behaviour",
    "drugs": "drugs",
    "damage": "criminal-damage-arson",
}


def _public_concern(partnership: Any, since: date) -> list[Any]:
    """Suggested public concern from concerns reported since the period began: the crime type
    with the most reports scores 5, the others in proportion (at least 1)."""
    from django.db.models import Count

    from saferplaces.concerns.models import Concern
    from saferplaces.core.resident_voice import PublicConcernSuggestion

    counts: dict[str, int] = {}
    rows = (
        Concern.objects.filter(
            partnership=partnership,
            created_at__date__gte=since,
            category__in=CONCERN_TO_CRIME_TYPE,
        )
        .values("category")
        .annotate(n=Count("id"))
    )
    for row in rows:
        crime_type = CONCERN_TO_CRIME_TYPE[row["category"]]
        counts[crime_type] = counts.get(crime_type, 0) + row["n"]
    if not counts:
        return []
    most = max(counts.values())
    total = sum(counts.values())
    return [
        PublicConcernSuggestion(
            category=crime_type,
            score=max(1, round(5 * n / most)),
            because=f"{n} of the {total} related concerns residents reported since "
            f"{since:%B %Y} (the most-reported type scores 5, the others in proportion)",
        )
        for crime_type, n in sorted(counts.items())
    ]


def register_all() -> None:
    from saferplaces.core.resident_voice import public_concern_register

    public_concern_register("concerns", _public_concern)
    from saferplaces.concerns import services
    from saferplaces.core.home_panels import (
        PublicService,
        home_panel_register,
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
    from saferplaces.core.resident_voice import resident_reports_register, you_said_register

    public_service_register(
        "concerns",
        PublicService(
            "Report a concern",
            "concerns_public:start",
            "Tell us about antisocial behaviour, fly-tipping, graffiti or a place that feels "
            "unsafe, and follow what happens.",
            order=10,
        ),
    )
    public_service_register(
        "concerns_find",
        PublicService(
            "Check a concern you reported",
            "concerns_public:find",
            "Lost the link to your concern? We will e-mail it to the address you gave.",
            order=11,
        ),
    )
    resident_work_register("concerns", resident_work)
    home_panel_register("concerns", home_panels)
    resident_reports_register("concerns", resident_reports)
    you_said_register("concerns", you_said)
    days = services.retention_days()
    privacy_purpose_register(
        PrivacyPurpose(
            key="concerns",
            title="Reporting a concern",
            what="What you report (the problem, where and when, your description and any photo) "
            "and, if you choose to give them, your name, e-mail address and phone number.",
            why="To deal with the problem you report and tell you what happened (UK GDPR "
            "Article 6(1)(e): a task in the public interest, the partnership's duties under "
            "the Crime and Disorder Act 1998). Contact details only with your consent.",
            who="The partner organisation your concern is passed to and the partnership's "
            "managers. Every look at your details is recorded. Counts without personal "
            "details are shared with the partnership and, for most kinds of problem, the public.",
            retention=f"Your contact details, photo and description are removed {days} days "
            "after the concern is closed; the category, area and dates are kept for counts.",
            order=10,
        )
    )
    retention_rule_register(
        RetentionRule(
            key="concerns",
            description=f"Closed concerns: contact details, photo and free text removed {days} "
            "days after closing",
            apply=services.concerns_retention_apply,
        )
    )
    subject_data_register(
        SubjectData(
            key="concerns",
            title="Concerns you reported",
            export=services.concerns_subject_export,
            erase=services.concerns_subject_erase,
        )
    )
