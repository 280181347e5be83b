"""The staff pages: personal data seen only by the right people, and every view audited;
forms with error summaries that store nothing half-way."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from saferplaces.audit.models import AuditEvent
from saferplaces.community.models import CommunityGroup, ForumIssue
from tests.conftest import mark_second_factor_verified
from tests.saferplaces.community.conftest import GREENHILL

pytestmark = pytest.mark.django_db

VIEWED = "community.personal_data_viewed"


def _sign_in(client: Any, user: Any) -> None:
    client.force_login(user)
    mark_second_factor_verified(client, user)


@pytest.mark.parametrize(
    ("who", "sees"),
    [("manager", True), ("analyst", True), ("officer", True), ("police_officer", False),
     ("viewer", False)],
)  # fmt: skip
def test_personal_data_only_for_managers_and_the_owning_organisation_and_audited(
    client: Any, request: Any, watch: Any, who: str, sees: bool
):
    user = request.getfixturevalue(who)
    _sign_in(client, user)
    before = AuditEvent.objects.filter(verb=VIEWED).count()

    response = client.get(reverse("community:group", kwargs={"group_id": watch.pk}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Greenhill Road Neighbourhood Watch" in page
    assert ("pat@example.org" in page) is sees
    assert ("01530 000000" in page) is sees
    viewed = AuditEvent.objects.filter(verb=VIEWED)
    assert viewed.count() == before + (1 if sees else 0)
    if sees:
        event = viewed.latest("sequence")
        assert event.actor == user
        assert event.object_id == str(watch.pk)


def test_the_edit_form_showing_the_details_is_audited_too(client: Any, watch: Any, manager: Any):
    _sign_in(client, manager)
    response = client.get(reverse("community:group_edit", kwargs={"group_id": watch.pk}))
    assert response.status_code == 200
    assert "pat@example.org" in response.content.decode()
    assert AuditEvent.objects.filter(verb=VIEWED).count() == 1


def test_the_register_lists_groups_without_personal_data(client: Any, watch: Any, viewer: Any):
    _sign_in(client, viewer)
    page = client.get(reverse("community:register")).content.decode()
    assert "Greenhill Road Neighbourhood Watch" in page
    assert "Recorded with consent" in page
    assert "Pat Example" not in page
    assert "pat@example.org" not in page
    assert not AuditEvent.objects.filter(verb=VIEWED).exists()


def test_recording_a_group_through_the_form(
    client: Any, analyst: Any, council: Any, known_lsoas: Any
):
    _sign_in(client, analyst)
    data = {
        "kind": "watch", "name": "Agar Nook Watch", "owner_organisation": str(council.pk),
        "lsoa_codes": GREENHILL[2:4], "members_count": "14", "listed_publicly": "yes",
        "coordinator_name": "Sam Example", "coordinator_email": "sam@example.org",
        "coordinator_phone": "", "consent_given_on": "02/02/2026",
        "consent_wording": "I agree.", "review_date": "01/02/2027",
    }  # fmt: skip
    response = client.post(reverse("community:group_new"), data)
    group = CommunityGroup.objects.get()
    assert response.status_code == 302
    assert group.lsoa_codes == GREENHILL[2:4]
    assert group.consent_recorded_by == analyst


def test_a_coordinator_without_consent_shows_an_error_summary_and_stores_nothing(
    client: Any, analyst: Any, council: Any, known_lsoas: Any
):
    _sign_in(client, analyst)
    data = {
        "kind": "watch", "name": "Agar Nook Watch", "owner_organisation": str(council.pk),
        "lsoa_codes": GREENHILL[:1], "listed_publicly": "no", "coordinator_name": "Sam Example",
        "consent_given_on": "", "review_date": "01/02/2027",
    }  # fmt: skip
    response = client.post(reverse("community:group_new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "consent" in page
    assert not CommunityGroup.objects.exists()


def test_withdrawal_page_removes_the_details(client: Any, watch: Any, officer: Any):
    _sign_in(client, officer)
    url = reverse("community:group_withdraw", kwargs={"group_id": watch.pk})
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    watch.refresh_from_db()
    assert not watch.has_personal_data


def test_another_organisations_officer_may_not_change_a_group(
    client: Any, watch: Any, police_officer: Any
):
    _sign_in(client, police_officer)
    url = reverse("community:group_edit", kwargs={"group_id": watch.pk})
    assert client.get(url).status_code == 403


def test_forum_meeting_and_issue_through_the_pages(
    client: Any, analyst: Any, council: Any, neighbourhood: Any
):
    _sign_in(client, analyst)
    response = client.post(
        reverse("community:forum_new"),
        {"neighbourhood": str(neighbourhood.pk), "owner_organisation": str(council.pk)},
    )
    assert response.status_code == 302
    forum_url = response["Location"]
    forum_id = forum_url.rstrip("/").rsplit("/", 1)[-1]
    key = "2b5a4f6c-2a6e-4f0e-9f51-1f1d6a1f0c11"
    meeting = {"date": "04/03/2026", "place": "Greenhill Centre", "attendance": "23",
               "submission_key": key}  # fmt: skip
    url = reverse("community:meeting_new", kwargs={"forum_id": forum_id})
    first, second = client.post(url, meeting), client.post(url, meeting)
    assert first["Location"] == second["Location"]  # a double click saves one meeting
    meeting_id = first["Location"].rstrip("/").rsplit("/", 1)[-1]
    issue_url = reverse("community:issue_new", kwargs={"meeting_id": meeting_id})
    empty = client.post(issue_url, {"text": "", "raised_by": "1", "status": "open"})
    assert "govuk-error-summary" in empty.content.decode()
    assert not ForumIssue.objects.exists()
    client.post(issue_url, {"text": "Off-road bikes", "raised_by": "9", "status": "open"})
    assert ForumIssue.objects.get().text == "Off-road bikes"


def test_capacity_page_without_crime_data_still_lists_the_groups(
    client: Any, watch: Any, viewer: Any, neighbourhood: Any, empty_store: Any
):
    _sign_in(client, viewer)
    response = client.get(reverse("community:capacity"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Greenhill and Agar Nook" in page
    assert "not available" in page


def test_meeting_notes_only_for_managers_and_the_forums_organisation_and_audited(
    client: Any, analyst: Any, viewer: Any, manager: Any, neighbourhood: Any, council: Any
):
    from datetime import date

    from saferplaces.accounts.permissions import roles_in_partnership
    from saferplaces.community import services

    roles = roles_in_partnership(analyst, council.partnership)
    forum = services.forum_create(
        partnership=council.partnership, by=analyst, roles=roles, neighbourhood=neighbourhood,
        owner_organisation=council,
    )  # fmt: skip
    meeting = services.meeting_record(
        forum=forum, by=analyst, roles=roles, date=date(2026, 3, 4), place="Hall",
        attendance=4, notes="Mr Example spoke about number 12.",
    )  # fmt: skip
    url = reverse("community:meeting", kwargs={"meeting_id": meeting.pk})
    for user, sees in ((viewer, False), (manager, True)):
        _sign_in(client, user)
        page = client.get(url).content.decode()
        assert ("Mr Example" in page) is sees
    assert AuditEvent.objects.filter(verb=VIEWED, object_id=str(meeting.pk)).count() == 1
