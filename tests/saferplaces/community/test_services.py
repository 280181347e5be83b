"""The community services: consent, withdrawal, retention, forums, publishing; and refusals."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from saferplaces.accounts.permissions import roles_in_partnership
from saferplaces.audit.models import AuditEvent
from saferplaces.community import services
from saferplaces.community.models import CommunityGroup, ForumIssue, ForumMeeting
from saferplaces.core.exceptions import ApplicationError
from tests.saferplaces.community.conftest import GREENHILL, group_fields

pytestmark = pytest.mark.django_db


def _roles(user: Any, partnership: Any) -> set[str]:
    return roles_in_partnership(user, partnership)


def test_group_recorded_with_consent_is_audited_without_personal_data(watch: Any, analyst: Any):
    assert watch.coordinator_email == "pat@example.org"
    assert watch.consent_recorded_by == analyst
    assert watch.lsoa_codes == GREENHILL[:2]
    event = AuditEvent.objects.get(verb="community.group_created")
    assert "pat" not in str(event.summary).lower()


def test_coordinator_without_consent_is_refused_and_nothing_stored(
    nwl: Any, council: Any, analyst: Any, known_lsoas: Any
):
    with pytest.raises(ApplicationError, match="consent"):
        services.group_create(
            partnership=nwl, by=analyst, roles=_roles(analyst, nwl), owner_organisation=council,
            lsoa_codes=GREENHILL, **group_fields(consent_given_on=None),
        )  # fmt: skip
    assert not CommunityGroup.objects.exists()


def test_consent_in_the_future_is_refused(nwl: Any, council: Any, analyst: Any, known_lsoas: Any):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ApplicationError, match="future"):
        services.group_create(
            partnership=nwl, by=analyst, roles=_roles(analyst, nwl), owner_organisation=council,
            lsoa_codes=GREENHILL, **group_fields(consent_given_on=tomorrow),
        )  # fmt: skip


def test_group_without_a_coordinator_needs_no_consent(
    nwl: Any, council: Any, analyst: Any, known_lsoas: Any
):
    group = services.group_create(
        partnership=nwl, by=analyst, roles=_roles(analyst, nwl), owner_organisation=council,
        lsoa_codes=GREENHILL, **group_fields(coordinator_name="", coordinator_email="",
                                             coordinator_phone="", consent_given_on=None),
    )  # fmt: skip
    assert not group.has_personal_data


def test_area_outside_the_partnership_is_refused(
    nwl: Any, council: Any, analyst: Any, known_lsoas: Any
):
    with pytest.raises(ApplicationError, match="E01013600"):
        services.group_create(
            partnership=nwl, by=analyst, roles=_roles(analyst, nwl), owner_organisation=council,
            lsoa_codes=["E01013600"], **group_fields(),
        )  # fmt: skip


def test_neighbourhood_gives_the_area(
    nwl: Any, council: Any, analyst: Any, neighbourhood: Any, known_lsoas: Any
):
    group = services.group_create(
        partnership=nwl, by=analyst, roles=_roles(analyst, nwl), owner_organisation=council,
        neighbourhood=neighbourhood, **group_fields(),
    )  # fmt: skip
    assert group.lsoa_codes == GREENHILL


def test_viewer_and_other_organisations_officer_may_not_record(
    nwl: Any, council: Any, viewer: Any, police_officer: Any, known_lsoas: Any
):
    for user in (viewer, police_officer):
        with pytest.raises(PermissionDenied):
            services.group_create(
                partnership=nwl, by=user, roles=_roles(user, nwl), owner_organisation=council,
                lsoa_codes=GREENHILL, **group_fields(),
            )  # fmt: skip


def test_withdrawal_removes_personal_data_at_once_and_keeps_the_record(
    watch: Any, officer: Any, nwl: Any
):
    services.group_withdraw_consent(group=watch, by=officer, roles=_roles(officer, nwl))
    watch.refresh_from_db()
    assert (watch.coordinator_name, watch.coordinator_email, watch.coordinator_phone) == (
        "",
        "",
        "",
    )
    assert watch.consent_wording == ""
    assert watch.consent_given_on is None
    assert watch.consent_withdrawn_at is not None
    assert not watch.listed_publicly
    assert watch.name == "Greenhill Road Neighbourhood Watch"
    assert watch.members_count == 25
    assert AuditEvent.objects.filter(verb="community.consent_withdrawn").count() == 1
    with pytest.raises(ApplicationError):
        services.group_withdraw_consent(group=watch, by=officer, roles=_roles(officer, nwl))


def test_withdrawal_refused_to_another_organisation(watch: Any, police_officer: Any, nwl: Any):
    with pytest.raises(PermissionDenied):
        services.group_withdraw_consent(
            group=watch, by=police_officer, roles=_roles(police_officer, nwl)
        )
    watch.refresh_from_db()
    assert watch.coordinator_email


def test_retention_anonymises_past_review_dates_only(watch: Any, nwl: Any, council: Any, analyst):
    fresh = services.group_create(
        partnership=nwl, by=analyst, roles=_roles(analyst, nwl), owner_organisation=council,
        lsoa_codes=GREENHILL,
        **group_fields(name="Fresh scheme", coordinator_email="f@example.org"),
    )  # fmt: skip
    now = timezone.now()
    today = timezone.localdate()
    CommunityGroup.objects.filter(pk=watch.pk).update(review_date=today - timedelta(days=7 * 31))
    CommunityGroup.objects.filter(pk=fresh.pk).update(review_date=today - timedelta(days=5 * 30))

    assert services.retention_apply(now) == 1
    watch.refresh_from_db()
    fresh.refresh_from_db()
    assert not watch.has_personal_data
    assert "Review date" in watch.anonymised_reason
    assert fresh.has_personal_data
    assert services.retention_apply(now) == 0  # nothing left to do: idempotent


def test_retention_rule_and_subject_data_are_registered(watch: Any):
    from saferplaces.core.privacy import privacy_purposes, retention_rules, subject_data_sources

    assert "community_network" in {p.key for p in privacy_purposes()}
    rule = next(r for r in retention_rules() if r.key == "community_coordinators")
    source = next(s for s in subject_data_sources() if s.key == "community_coordinators")
    exported = source.export("PAT@example.org")
    assert exported[0]["coordinator_name"] == "Pat Example"
    assert source.erase("pat@example.org") == 1
    watch.refresh_from_db()
    assert not watch.has_personal_data
    assert source.export("pat@example.org") == []
    assert rule.apply(timezone.now()) == 0


# --- forums -----------------------------------------------------------------------------------


@pytest.fixture
def forum(nwl: Any, council: Any, analyst: Any, neighbourhood: Any) -> Any:
    return services.forum_create(
        partnership=nwl, by=analyst, roles=_roles(analyst, nwl), neighbourhood=neighbourhood,
        owner_organisation=council,
    )  # fmt: skip


def _priority(partnership: Any, title: str = "Anti-social behaviour") -> Any:
    from saferplaces.plans.models import Plan, Priority

    plan = Plan.objects.create(
        partnership=partnership, title="Community Safety Plan", start_year=2026, end_year=2029
    )
    return Priority.objects.create(plan=plan, title=title, order=1)


def test_forum_meeting_and_issue_linked_to_a_priority(forum: Any, officer: Any, nwl: Any):
    assert forum.name == "Greenhill and Agar Nook neighbourhood forum"
    key = uuid.uuid4()
    meeting = services.meeting_record(
        forum=forum, by=officer, roles=_roles(officer, nwl), date=date(2026, 3, 4),
        place="Greenhill Centre", attendance=23, submission_key=key,
    )  # fmt: skip
    again = services.meeting_record(
        forum=forum, by=officer, roles=_roles(officer, nwl), date=date(2026, 3, 4),
        place="Greenhill Centre", attendance=23, submission_key=key,
    )  # fmt: skip
    assert again.pk == meeting.pk
    assert ForumMeeting.objects.count() == 1
    priority = _priority(nwl)
    issue = services.issue_record(
        meeting=meeting, by=officer, roles=_roles(officer, nwl), text="Off-road bikes",
        raised_by=9, votes=17, priority=priority, status="done",
        we_did="Police patrols and two bikes seized.",
    )  # fmt: skip
    assert issue.priority == priority
    assert AuditEvent.objects.filter(verb="community.issue_recorded").count() == 1


def test_issue_refusals(forum: Any, analyst: Any, police_officer: Any, nwl: Any):
    from tests.saferplaces.factories import PartnershipFactory

    meeting = services.meeting_record(
        forum=forum, by=analyst, roles=_roles(analyst, nwl), date=date(2026, 3, 4),
        place="Greenhill Centre", attendance=3,
    )  # fmt: skip
    with pytest.raises(ApplicationError, match="priority"):
        services.issue_record(
            meeting=meeting, by=analyst, roles=_roles(analyst, nwl), text="Litter",
            priority=_priority(PartnershipFactory()), status="open",
        )  # fmt: skip
    with pytest.raises(ApplicationError, match="what the partnership did"):
        services.issue_record(
            meeting=meeting, by=analyst, roles=_roles(analyst, nwl), text="Litter",
            status="done", we_did="",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):  # the police's officer: the council runs this forum
        services.issue_record(
            meeting=meeting, by=police_officer, roles=_roles(police_officer, nwl), text="Litter",
            status="open",
        )  # fmt: skip
    assert not ForumIssue.objects.exists()


def test_meeting_in_the_future_is_refused(forum: Any, analyst: Any, nwl: Any):
    with pytest.raises(ApplicationError, match="future"):
        services.meeting_record(
            forum=forum, by=analyst, roles=_roles(analyst, nwl),
            date=timezone.localdate() + timedelta(days=3), place="Hall", attendance=1,
        )  # fmt: skip


def test_a_neighbourhood_has_one_forum(forum: Any, analyst: Any, nwl: Any, council: Any):
    with pytest.raises(ApplicationError, match="already has a forum"):
        services.forum_create(
            partnership=nwl, by=analyst, roles=_roles(analyst, nwl),
            neighbourhood=forum.neighbourhood, owner_organisation=council,
        )  # fmt: skip


def test_only_a_manager_publishes_and_only_a_shared_neighbourhood(
    neighbourhood: Any, manager: Any, analyst: Any, nwl: Any
):
    with pytest.raises(PermissionDenied):
        services.page_publish(
            partnership=nwl, neighbourhood=neighbourhood, by=analyst, roles=_roles(analyst, nwl)
        )
    neighbourhood.sharing = "organisation"
    neighbourhood.save()
    with pytest.raises(ApplicationError, match="shared"):
        services.page_publish(
            partnership=nwl, neighbourhood=neighbourhood, by=manager, roles=_roles(manager, nwl)
        )
    neighbourhood.sharing = "partnership"
    neighbourhood.save()
    services.page_publish(
        partnership=nwl, neighbourhood=neighbourhood, by=manager, roles=_roles(manager, nwl)
    )
    services.page_publish(
        partnership=nwl, neighbourhood=neighbourhood, by=manager, roles=_roles(manager, nwl)
    )
    assert AuditEvent.objects.filter(verb="community.page_published").count() == 1
    services.page_withdraw(
        partnership=nwl, neighbourhood=neighbourhood, by=manager, roles=_roles(manager, nwl)
    )
    assert AuditEvent.objects.filter(verb="community.page_withdrawn").count() == 1


def test_a_manager_hands_the_contact_to_another_organisation_an_analyst_cannot(
    watch: Any, manager: Any, analyst: Any, police: Any, nwl: Any
):
    with pytest.raises(ApplicationError, match="organisation"):
        services.group_update(
            group=watch, by=analyst, roles=_roles(analyst, nwl), owner_organisation=police,
            lsoa_codes=watch.lsoa_codes, **group_fields(),
        )  # fmt: skip
    services.group_update(
        group=watch, by=manager, roles=_roles(manager, nwl), owner_organisation=police,
        lsoa_codes=watch.lsoa_codes, **group_fields(members_count=30),
    )  # fmt: skip
    watch.refresh_from_db()
    assert watch.owner_organisation == police
    assert watch.members_count == 30
    event = AuditEvent.objects.filter(verb="community.group_changed").latest("sequence")
    assert set(event.summary["changed"]) == {"members_count", "owner_organisation"}
