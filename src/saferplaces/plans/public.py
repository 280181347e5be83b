"""What the public home page needs from the plans app, kept apart from the selectors so that
the core app (which must not depend on assessments) can import it."""

from __future__ import annotations

from django.db.models import QuerySet

from saferplaces.plans.models import Plan, PlanStatus


def plans_published() -> QuerySet[Plan]:
    """Every published plan, for the public home page."""
    return (
        Plan.objects.filter(status=PlanStatus.PUBLISHED)
        .select_related("partnership")
        .order_by("partnership__name", "-start_year")
    )
