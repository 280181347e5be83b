"""What this app adds to the shared registries (called once from ``AppConfig.ready``)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
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
from saferplaces.core.resident_voice import YouSaidItem, you_said_register


def resident_work(user: Any, partnership: Any, roles: Collection[str]) -> list[ResidentWorkSection]:
    from saferplaces.community.models import CommunityGroup, NeighbourhoodForum
    from saferplaces.community.permissions import can_view_network

    if partnership is None or not can_view_network(user, roles=roles):
        return []
    groups = CommunityGroup.objects.filter(partnership=partnership).count()
    forums = NeighbourhoodForum.objects.filter(partnership=partnership).count()
    return [
        ResidentWorkSection(
            title="Community network",
            href=reverse("community:register"),
            description="Community champions, neighbourhood watch schemes, community groups and "
            "residents' associations, with their coordinators' consent; and where that capacity "
            "sits beside crime.",
            status=f"{groups} recorded" if groups else "None recorded yet",
            order=40,
        ),
        ResidentWorkSection(
            title="Neighbourhood forums",
            href=reverse("community:forums"),
            description="Forum meetings, the issues residents raised and the priorities they voted "
            "for, what the partnership did, and the public 'You said, we did' pages.",
            status=f"{forums} forum{'s' if forums != 1 else ''}" if forums else "No forum yet",
            order=50,
        ),
    ]


def forum_you_said(partnership: Any, lsoa_codes: Collection[str], since: date) -> list[YouSaidItem]:
    """Issues raised at forums whose neighbourhood overlaps these LSOAs, since ``since``."""
    from saferplaces.community.models import ForumIssue

    wanted = set(lsoa_codes)
    items = []
    issues = (
        ForumIssue.objects.filter(meeting__forum__partnership=partnership, meeting__date__gte=since)
        .select_related("meeting", "meeting__forum__neighbourhood", "priority")
        .order_by("-meeting__date")
    )
    for issue in issues:
        if not wanted & set(issue.meeting.forum.neighbourhood.lsoa_codes):
            continue
        who = "1 resident" if issue.raised_by == 1 else f"{issue.raised_by:,} residents"
        said = (
            f"{issue.text}: raised by {who} at the forum meeting on {issue.meeting.date:%-d %B %Y}"
        )
        if issue.votes:
            said += f", {issue.votes:,} vote{'s' if issue.votes != 1 else ''} as a priority"
        did = issue.we_did
        if issue.priority_id and did:
            did += f" (part of our plan's priority: {issue.priority.title})"
        elif not did:
            did = issue.get_status_display() if issue.status != "open" else ""
        items.append(
            YouSaidItem(
                source="Neighbourhood forum",
                you_said=said + ".",
                we_did=did,
                when=issue.meeting.date,
                order=20,
            )  # fmt: skip
        )
    return items


def _retention(now: Any) -> int:
    from saferplaces.community.services import retention_apply

    return retention_apply(now)


def _export(email: str) -> Any:
    from saferplaces.community.services import subject_export

    return subject_export(email)


def _erase(email: str) -> int:
    from saferplaces.community.services import subject_erase

    return subject_erase(email)


def register_all() -> None:
    public_service_register(
        "community_you_said",
        PublicService(
            title="You said, we did: your neighbourhood",
            url_name="community_public:neighbourhoods",
            description="What residents raised in your neighbourhood, what we did about it, and "
            "how crime and anti-social behaviour have changed.",
            order=40,
        ),
    )
    public_service_register(
        "community_groups",
        PublicService(
            title="Neighbourhood watch and community groups",
            url_name="community_public:groups",
            description="Groups near you that work to keep the area safe, and how many members "
            "they have.",
            order=50,
        ),
    )
    resident_work_register("community", resident_work)
    you_said_register("community_forums", forum_you_said)
    privacy_purpose_register(
        PrivacyPurpose(
            key="community_network",
            title="Community champions, watch schemes and groups",
            what="The name, e-mail address and phone number of a group's coordinator, the date "
            "they agreed and the words they agreed to. We record only how many members a group "
            "has, never their names.",
            why="So partners can contact the group about community safety in its area. We rely "
            "on the coordinator's consent (UK GDPR Article 6(1)(a)); they can withdraw it at any "
            "time.",
            who="Partnership managers, and the staff of the organisation that looks after the "
            "contact. Every time someone opens the details it is recorded. They are never "
            "published.",
            retention="Until consent is withdrawn (removed at once), or 6 months after the "
            "review date if nobody has reviewed the contact.",
            order=60,
        )
    )
    retention_rule_register(
        RetentionRule(
            key="community_coordinators",
            description="Community groups: coordinators' details removed when consent is "
            "withdrawn, or 6 months after an unreviewed review date",
            apply=_retention,
        )
    )
    subject_data_register(
        SubjectData(
            key="community_coordinators",
            title="Community group coordinator",
            export=_export,
            erase=_erase,
        )
    )
