"""Reads of strategic assessments, with the visibility rule applied here and nowhere else.

Analysts and managers see every version of their partnership's assessment; other members see
the approved (and superseded) versions only; people outside the partnership and system
administrators see none.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from saferplaces.accounts.models import Membership, Partnership, Role
from saferplaces.accounts.permissions import roles_in_partnership
from saferplaces.assessments.models import FROZEN_STATUSES, Assessment, AssessmentStatus
from saferplaces.assessments.permissions import roles_can_read_assessments, roles_can_read_drafts
from saferplaces.core.selectors import object_get_visible_or_404


def assessment_list_visible(
    *, user: Any, partnership: Partnership, roles: Collection[str]
) -> QuerySet[Assessment]:
    """The partnership's assessments this user may read, newest first."""
    if not getattr(user, "is_authenticated", False) or not roles_can_read_assessments(roles):
        return Assessment.objects.none()
    rows = Assessment.objects.filter(partnership=partnership)
    if not roles_can_read_drafts(roles):
        rows = rows.filter(status__in=[s.value for s in FROZEN_STATUSES])
    return rows.select_related(
        "partnership", "created_by", "submitted_by", "approved_by", "based_on"
    ).order_by("-created_at")


def assessment_get_visible(
    *, user: Any, partnership: Partnership, roles: Collection[str], assessment_id: Any
) -> Assessment:
    """One assessment of the current partnership, or a 404 (audited when it exists)."""
    return object_get_visible_or_404(
        assessment_list_visible(user=user, partnership=partnership, roles=roles),
        pk=assessment_id,
        user=user,
        partnership=partnership,
    )


def assessment_get_for_user(*, user: Any, assessment_id: Any) -> tuple[Assessment, set[str]]:
    """An assessment of any partnership the user belongs to, with their roles there.

    A 404 (audited when the row exists) for anyone who may not read it: outsiders, system
    administrators, and members who read approved versions only when it is a draft.
    """
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such page")
    candidates = Assessment.objects.filter(
        partnership__organisations__memberships__user=user
    ).distinct()
    assessment = object_get_visible_or_404(
        candidates.select_related("partnership"), pk=assessment_id, user=user
    )
    roles = roles_in_partnership(user, assessment.partnership)
    visible = assessment_list_visible(user=user, partnership=assessment.partnership, roles=roles)
    assessment = object_get_visible_or_404(
        visible, pk=assessment_id, user=user, partnership=assessment.partnership
    )
    return assessment, roles


def assessment_last_approved(*, partnership: Partnership) -> Assessment | None:
    """The version a new draft starts from: the partnership's current approved version."""
    return (
        Assessment.objects.filter(partnership=partnership, status=AssessmentStatus.APPROVED)
        .order_by("-number")
        .first()
    )


def assessment_next_number(*, partnership: Partnership) -> int:
    last = (
        Assessment.objects.filter(partnership=partnership, number__isnull=False)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


def partnership_manager_count(*, partnership: Partnership) -> int:
    """How many people are partnership managers (the four-eyes rule needs to know)."""
    return (
        Membership.objects.filter(
            organisation__partnership=partnership,
            role=Role.PARTNERSHIP_MANAGER,
            user__is_active=True,
        )
        .values("user")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class MonthsHeld:
    """The first and last month of street crime data held, or None for both."""

    first: date | None
    last: date | None

    @property
    def any(self) -> bool:
        return self.first is not None and self.last is not None


def crime_months_held(*, partnership: Partnership) -> MonthsHeld:
    """The months of data in ``settings.DATA_DIR`` for the partnership's police force.

    Read from the store's catalogue (no engine). Months held only for other forces do not
    count; a store without the partnership's force at all (generated demo data) counts every
    force, so the build can say what it found.
    """
    from crimestats.store import Store

    folder = Path(settings.DATA_DIR)
    if not folder.is_dir():
        return MonthsHeld(None, None)
    partitions = Store(folder).partitions("street")
    own = [p.month for p in partitions if p.force == partnership.police_force]
    months = own or [p.month for p in partitions]
    if not months:
        return MonthsHeld(None, None)
    return MonthsHeld(min(months), max(months))
