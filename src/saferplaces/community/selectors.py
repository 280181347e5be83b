"""Reads of the community network and the forums; visibility is applied here.

Every member of the partnership sees the register's anonymous part; a coordinator's personal
data comes only through :func:`group_personal_data`, which checks the reader and audits the view.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet

from saferplaces.accounts.models import Membership, Organisation, Partnership, Role
from saferplaces.audit.services import audit_record
from saferplaces.community.models import (
    CommunityGroup,
    ForumIssue,
    ForumMeeting,
    NeighbourhoodForum,
    PublishedPage,
)
from saferplaces.community.permissions import (
    NOT_ALLOWED_VIEW,
    can_see_personal_data,
    can_view_network,
)
from saferplaces.core.models import SharingLevel
from saferplaces.core.selectors import object_get_visible_or_404

VERB_PERSONAL_DATA_VIEWED = "community.personal_data_viewed"


def organisation_ids(*, user: Any, partnership: Partnership, roles: set[str]) -> list[Any]:
    """The user's organisations in the partnership where they hold one of ``roles``."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(
            user=user, organisation__partnership=partnership, role__in=roles
        ).values_list("organisation_id", flat=True)
    )


def writer_organisation_ids(*, user: Any, partnership: Partnership) -> list[Any]:
    return organisation_ids(
        user=user, partnership=partnership, roles={Role.ANALYST, Role.PARTNER_OFFICER}
    )


def officer_organisation_ids(*, user: Any, partnership: Partnership) -> list[Any]:
    return organisation_ids(user=user, partnership=partnership, roles={Role.PARTNER_OFFICER})


def owner_choices(*, user: Any, partnership: Partnership, roles: set[str]) -> list[Organisation]:
    """Organisations a new group or forum may belong to: any for a manager, else one's own."""
    organisations = Organisation.objects.filter(partnership=partnership).order_by("name")
    if Role.PARTNERSHIP_MANAGER in roles:
        return list(organisations)
    return list(
        organisations.filter(pk__in=writer_organisation_ids(user=user, partnership=partnership))
    )


def _require_reader(user: Any, roles: set[str]) -> None:
    if not can_view_network(user, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_VIEW)


def group_list_visible(
    *, user: Any, partnership: Partnership, roles: set[str]
) -> QuerySet[CommunityGroup]:
    _require_reader(user, roles)
    return (
        CommunityGroup.objects.filter(partnership=partnership)
        .select_related("owner_organisation", "neighbourhood")
        .order_by("kind", "name")
    )


def group_get_visible(
    *, user: Any, partnership: Partnership, roles: set[str], group_id: Any
) -> CommunityGroup:
    return object_get_visible_or_404(
        group_list_visible(user=user, partnership=partnership, roles=roles),
        pk=group_id, user=user, partnership=partnership,
    )  # fmt: skip


def group_personal_data(
    *, user: Any, group: CommunityGroup, roles: set[str], request: Any = None
) -> dict[str, Any] | None:
    """The coordinator's details for a reader allowed to see them (the view is audited)."""
    writers = writer_organisation_ids(user=user, partnership=group.partnership)
    if not can_see_personal_data(
        user, roles=roles, writer_organisation_ids=writers, owner_id=group.owner_organisation_id
    ):
        return None
    if not group.has_personal_data:
        return {"name": "", "email": "", "phone": "", "empty": True}
    audit_record(
        actor=user,
        verb=VERB_PERSONAL_DATA_VIEWED,
        target=group,
        partnership=group.partnership,
        summary={"fields": ["coordinator_name", "coordinator_email", "coordinator_phone"]},
        request=request,
    )
    return {
        "name": group.coordinator_name,
        "email": group.coordinator_email,
        "phone": group.coordinator_phone,
        "empty": False,
    }


def lsoa_names(*, partnership: Partnership) -> dict[str, dict[str, str]]:
    """``{code: {"name", "ward"}}`` for the partnership's LSOAs (empty when nothing is loaded)."""
    from saferplaces.neighbourhoods.selectors import partnership_lsoas

    return {row["code"]: row for row in partnership_lsoas(partnership=partnership)}


def area_words(codes: list[str], names: dict[str, dict[str, str]], limit: int = 4) -> str:
    """'Coalville 009A, Coalville 009B and 3 more' — names before codes."""
    labels = [names[code]["name"] if code in names else code for code in codes]
    if not labels:
        return "No area given"
    if len(labels) > limit:
        return ", ".join(labels[:limit]) + f" and {len(labels) - limit} more"
    return ", ".join(labels)


# --- forums -----------------------------------------------------------------------------------


def forum_list_visible(
    *, user: Any, partnership: Partnership, roles: set[str]
) -> QuerySet[NeighbourhoodForum]:
    _require_reader(user, roles)
    return (
        NeighbourhoodForum.objects.filter(partnership=partnership)
        .select_related("neighbourhood", "owner_organisation")
        .annotate(n_meetings=Count("meetings"))
        .order_by("name")
    )


def forum_get_visible(
    *, user: Any, partnership: Partnership, roles: set[str], forum_id: Any
) -> NeighbourhoodForum:
    return object_get_visible_or_404(
        forum_list_visible(user=user, partnership=partnership, roles=roles),
        pk=forum_id, user=user, partnership=partnership,
    )  # fmt: skip


def meeting_get_visible(
    *, user: Any, partnership: Partnership, roles: set[str], meeting_id: Any
) -> ForumMeeting:
    _require_reader(user, roles)
    visible = ForumMeeting.objects.filter(forum__partnership=partnership).select_related(
        "forum", "forum__neighbourhood", "forum__owner_organisation"
    )
    return object_get_visible_or_404(visible, pk=meeting_id, user=user, partnership=partnership)


def meeting_notes(
    *, user: Any, meeting: ForumMeeting, roles: set[str], request: Any = None
) -> str | None:
    """A meeting's notes (free text that may name people) for managers and the forum's own
    organisation only; a view of notes that are there is audited. None: not for this reader."""
    forum = meeting.forum
    writers = writer_organisation_ids(user=user, partnership=forum.partnership)
    if not can_see_personal_data(
        user, roles=roles, writer_organisation_ids=writers, owner_id=forum.owner_organisation_id
    ):
        return None
    if meeting.notes:
        audit_record(
            actor=user, verb=VERB_PERSONAL_DATA_VIEWED, target=meeting,
            partnership=forum.partnership, summary={"fields": ["notes"]}, request=request,
        )  # fmt: skip
    return meeting.notes


def issue_get_visible(
    *, user: Any, partnership: Partnership, roles: set[str], issue_id: Any
) -> ForumIssue:
    _require_reader(user, roles)
    visible = ForumIssue.objects.filter(meeting__forum__partnership=partnership).select_related(
        "meeting", "meeting__forum", "priority"
    )
    return object_get_visible_or_404(visible, pk=issue_id, user=user, partnership=partnership)


def plan_priorities(*, partnership: Partnership) -> list[Any]:
    """Priorities of the partnership's plans (newest plan first), for linking an issue."""
    from saferplaces.plans.models import Priority

    return list(
        Priority.objects.filter(plan__partnership=partnership)
        .select_related("plan")
        .order_by("-plan__start_year", "plan__title", "order")
    )


# --- published pages ---------------------------------------------------------------------------


def published_pages() -> QuerySet[PublishedPage]:
    """Published pages whose neighbourhood is still shared with the partnership (one made
    private to its organisation later drops off the public site until it is shared again)."""
    return (
        PublishedPage.objects.filter(neighbourhood__sharing=SharingLevel.PARTNERSHIP)
        .select_related("neighbourhood", "partnership")
        .order_by("partnership__name", "neighbourhood__name")
    )


def published_page_get(*, neighbourhood_id: Any) -> PublishedPage:
    from django.http import Http404

    try:
        return published_pages().get(neighbourhood_id=neighbourhood_id)
    except (PublishedPage.DoesNotExist, ValueError):
        raise Http404("No such page") from None


def public_groups() -> QuerySet[CommunityGroup]:
    """Groups that agreed to be listed: shown without any personal data."""
    return (
        CommunityGroup.objects.filter(listed_publicly=True)
        .select_related("partnership")
        .order_by("partnership__name", "kind", "name")
    )
