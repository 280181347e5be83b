"""Reads of concerns: the staff queue (visibility applied here), counts, the resident's page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from saferplaces.accounts.models import Membership, Organisation
from saferplaces.accounts.permissions import roles_in_partnership
from saferplaces.concerns import permissions as perms
from saferplaces.concerns.categories import SENSITIVE, category_label
from saferplaces.concerns.models import Concern, ConcernEvent, EventKind, Status


@dataclass(frozen=True)
class StaffAccess:
    """What the signed-in user is in the current partnership, loaded once per request."""

    roles: frozenset[str]
    organisation_ids: frozenset[Any] = field(default_factory=frozenset)
    acting_organisation_ids: frozenset[Any] = field(default_factory=frozenset)


def staff_access(*, user: Any, partnership: Any) -> StaffAccess:
    if partnership is None:
        raise PermissionDenied(perms.NOT_ALLOWED_VIEW)
    roles = roles_in_partnership(user, partnership)
    if not perms.roles_can_view_concerns(roles):
        raise PermissionDenied(perms.NOT_ALLOWED_VIEW)
    memberships = Membership.objects.filter(user=user, organisation__partnership=partnership)
    return StaffAccess(
        roles=frozenset(roles),
        organisation_ids=frozenset(m.organisation_id for m in memberships),
        acting_organisation_ids=frozenset(
            m.organisation_id for m in memberships if m.role in perms.ACTING_ROLES
        ),
    )


def concern_list_visible(*, partnership: Any, access: StaffAccess) -> QuerySet[Concern]:
    """Managers see every concern of the partnership; others, their organisations' queue."""
    concerns = Concern.objects.filter(partnership=partnership).select_related(
        "assigned_organisation", "assigned_officer"
    )
    if perms.roles_see_all_concerns(access.roles):
        return concerns
    return concerns.filter(assigned_organisation_id__in=access.organisation_ids)


def concern_get_visible(*, partnership: Any, access: StaffAccess, concern_id: Any) -> Concern:
    found = concern_list_visible(partnership=partnership, access=access).filter(pk=concern_id)
    concern = found.first()
    if concern is None:
        raise Http404("No such concern")
    return concern


def concern_get_by_token(token: str) -> Concern:
    concern = Concern.objects.filter(token=token).select_related("partnership").first()
    if concern is None or len(token) < 20:
        raise Http404("No such concern")
    return concern


def concern_queue(
    *,
    partnership: Any,
    access: StaffAccess,
    status: str = "",
    category: str = "",
    area: str = "",
    organisation: str = "",
) -> QuerySet[Concern]:
    concerns = concern_list_visible(partnership=partnership, access=access)
    if status == "open":
        concerns = concerns.exclude(status=Status.CLOSED)
    elif status:
        concerns = concerns.filter(status=status)
    if category:
        concerns = concerns.filter(category=category)
    if area:
        concerns = concerns.filter(lsoa_code=area)
    if organisation == "none":
        concerns = concerns.filter(assigned_organisation__isnull=True)
    elif organisation:
        concerns = concerns.filter(assigned_organisation_id=organisation)
    reopened = ConcernEvent.objects.filter(concern=OuterRef("pk"), kind=EventKind.REOPENED)
    return concerns.annotate(was_reopened=Exists(reopened)).order_by("due_on", "created_at")


def is_overdue(concern: Concern, today: date | None = None) -> bool:
    return concern.status != Status.CLOSED and concern.due_on < (today or timezone.localdate())


def area_choices(*, partnership: Any) -> list[tuple[str, str]]:
    """Small areas that have concerns, by name (the code after it)."""
    rows = (
        Concern.objects.filter(partnership=partnership)
        .exclude(lsoa_code="")
        .values_list("lsoa_code", "lsoa_name")
        .distinct()
    )
    return sorted(((code, f"{name} ({code})") for code, name in rows), key=lambda r: r[1])


def organisation_choices(*, partnership: Any) -> list[Organisation]:
    return list(Organisation.objects.filter(partnership=partnership).order_by("name"))


def officer_choices(*, organisation: Any) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name")
    ]


# --- Counts (no personal data) -------------------------------------------------------------


@dataclass(frozen=True)
class ConcernCounts:
    total: int
    by_area: list[tuple[str, str, int]]  # (name, code, count), most first
    by_category: list[tuple[str, int]]  # (label, count)
    by_month: list[tuple[date, int]]
    rows: list[dict[str, Any]]  # one per area × category × month


def concern_counts(
    *,
    partnership: Any,
    since: date | None = None,
    until: date | None = None,
    lsoa_codes: Collection[str] | None = None,
    include_sensitive: bool = True,
) -> ConcernCounts:
    """Concerns counted by area, category and month: the community intelligence, for anyone.

    Concerns marked as duplicates are left out (one problem counts once).
    """
    concerns = Concern.objects.filter(partnership=partnership, duplicate_of__isnull=True)
    if since:
        concerns = concerns.filter(created_at__date__gte=since)
    if until:
        concerns = concerns.filter(created_at__date__lte=until)
    if lsoa_codes is not None:
        concerns = concerns.filter(lsoa_code__in=list(lsoa_codes))
    if not include_sensitive:
        concerns = concerns.exclude(category__in=SENSITIVE)
    grouped = (
        concerns.annotate(month=TruncMonth("created_at"))
        .values("lsoa_code", "lsoa_name", "category", "month")
        .annotate(n=Count("id"))
        .order_by("month", "lsoa_name", "category")
    )
    rows: list[dict[str, Any]] = []
    areas: Counter[tuple[str, str]] = Counter()
    categories: Counter[str] = Counter()
    months: Counter[date] = Counter()
    for row in grouped:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        name = row["lsoa_name"] or "Place described only"
        rows.append(
            {
                "area_name": name,
                "area_code": row["lsoa_code"],
                "category": category_label(row["category"]),
                "month": month,
                "count": row["n"],
            }
        )
        areas[(name, row["lsoa_code"])] += row["n"]
        categories[category_label(row["category"])] += row["n"]
        months[month] += row["n"]
    return ConcernCounts(
        total=sum(categories.values()),
        by_area=[(name, code, n) for (name, code), n in areas.most_common()],
        by_category=categories.most_common(),
        by_month=sorted(months.items()),
        rows=rows,
    )


def concern_status_counts(*, partnership: Any, access: StaffAccess) -> dict[str, int]:
    concerns = concern_list_visible(partnership=partnership, access=access)
    today = timezone.localdate()
    return concerns.aggregate(
        new=Count("id", filter=Q(status=Status.NEW)),
        open=Count("id", filter=~Q(status=Status.CLOSED)),
        overdue=Count("id", filter=~Q(status=Status.CLOSED) & Q(due_on__lt=today)),
    )
