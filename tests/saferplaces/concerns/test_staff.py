"""Staff triage: who sees what, each service and refusal, audit, duplicates, counts, registries."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from saferplaces.accounts.models import Role
from saferplaces.audit.models import AuditEvent
from saferplaces.concerns import permissions as perms
from saferplaces.concerns import services
from saferplaces.concerns.models import Concern, ConcernEvent, Outcome, Status
from saferplaces.concerns.selectors import concern_counts, staff_access
from saferplaces.core.exceptions import ApplicationError
from tests.saferplaces.concerns.helpers import member, nwl_partnership, sign_in
from tests.saferplaces.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def make_concern(partnership: Any, **fields: Any) -> Concern:
    answers = {
        "category": "street_drinking",
        "location_method": "postcode",
        "postcode": "LE65 1AA",
        "lsoa_code": "E01025915",
        "lsoa_name": "North West Leicestershire 003A",
        "ongoing": True,
        "time_of_day": "evening",
        "description": "Drinking by the shelter",
        "anonymous": False,
        "name": "Sam Resident",
        "email": "sam@example.org",
    }
    answers.update(fields)
    concern, _ = services.concern_submit(partnership=partnership, answers=answers, key=uuid.uuid4())
    return concern


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    partnership = nwl_partnership()
    council = OrganisationFactory(partnership=partnership, name="NWL District Council")
    police = OrganisationFactory(partnership=partnership, name="Leicestershire Police")
    return {
        "partnership": partnership,
        "council": council,
        "police": police,
        "manager": member(partnership, Role.PARTNERSHIP_MANAGER),
        "officer": member(partnership, Role.PARTNER_OFFICER, council),
        "viewer": member(partnership, Role.VIEWER, council),
        "police_officer": member(partnership, Role.PARTNER_OFFICER, police),
        "concern": make_concern(partnership),
    }


def access(user: Any, world: dict[str, Any]) -> Any:
    return staff_access(user=user, partnership=world["partnership"])


# --- permissions (pure) ---------------------------------------------------------------------


def test_permission_predicates() -> None:
    class C:
        assigned_organisation_id = 1

    assert perms.can_see_personal_data(
        C(), roles={Role.PARTNERSHIP_MANAGER}, organisation_ids=set()
    )
    assert perms.can_see_personal_data(C(), roles={Role.VIEWER}, organisation_ids={1})
    assert not perms.can_see_personal_data(C(), roles={Role.ANALYST}, organisation_ids={2})
    assert perms.can_act_on_concern(C(), roles={Role.PARTNER_OFFICER}, acting_organisation_ids={1})
    assert not perms.can_act_on_concern(C(), roles={Role.VIEWER}, acting_organisation_ids=set())
    C.assigned_organisation_id = None
    assert not perms.can_see_personal_data(C(), roles={Role.ANALYST}, organisation_ids={1})


# --- services -------------------------------------------------------------------------------


def test_assign_then_officer_closes_with_outcome_and_resident_is_emailed(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    concern, manager, officer = world["concern"], world["manager"], world["officer"]
    services.concern_assign(
        concern=concern,
        by=manager,
        access=access(manager, world),
        organisation=world["council"],
        officer=officer,
    )
    assert concern.status == Status.ASSIGNED
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_note(
            concern=concern,
            by=officer,
            access=access(officer, world),
            text="Visited on Tuesday.",
            public=True,
        )
        services.concern_note(
            concern=concern,
            by=officer,
            access=access(officer, world),
            text="Known group; liaise with PCSO.",
            public=False,
        )
        services.concern_close(
            concern=concern,
            by=officer,
            access=access(officer, world),
            outcome=Outcome.ACTION_TAKEN,
            public_outcome="We fitted a brighter light.",
        )
    concern.refresh_from_db()
    assert concern.status == Status.CLOSED
    assert concern.outcome == Outcome.ACTION_TAKEN
    subjects = [m.subject for m in mail.outbox]
    assert any("update" in s for s in subjects)
    assert any("closed" in s for s in subjects)
    assert not any("liaise" in m.body for m in mail.outbox)  # internal notes stay internal
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"concerns.assigned", "concerns.updated", "concerns.noted", "concerns.closed"} <= verbs


def test_anonymous_resident_gets_no_email(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    concern = make_concern(world["partnership"], anonymous=True, name="", email="")
    manager = world["manager"]
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_note(
            concern=concern,
            by=manager,
            access=access(manager, world),
            text="Looking into it.",
            public=True,
        )
    assert mail.outbox == []


def test_refusals(world: dict[str, Any]) -> None:
    concern, officer, viewer = world["concern"], world["officer"], world["viewer"]
    # Not assigned to the officer's organisation yet: only the manager may act.
    with pytest.raises(PermissionDenied):
        services.concern_note(
            concern=concern, by=officer, access=access(officer, world), text="x", public=False
        )
    services.concern_assign(
        concern=concern,
        by=world["manager"],
        access=access(world["manager"], world),
        organisation=world["council"],
    )
    # A viewer of the assigned organisation reads but does not act.
    with pytest.raises(PermissionDenied):
        services.concern_close(
            concern=concern,
            by=viewer,
            access=access(viewer, world),
            outcome=Outcome.ACTION_TAKEN,
            public_outcome="x",
        )
    # The police officer's organisation is not the assigned one.
    with pytest.raises(PermissionDenied):
        services.concern_assign(
            concern=concern,
            by=world["police_officer"],
            access=access(world["police_officer"], world),
            organisation=world["police"],
        )
    with pytest.raises(ApplicationError, match="Say what was done"):
        services.concern_close(
            concern=concern,
            by=officer,
            access=access(officer, world),
            outcome=Outcome.ACTION_TAKEN,
            public_outcome=" ",
        )
    with pytest.raises(ApplicationError, match="Choose the outcome"):
        services.concern_close(
            concern=concern,
            by=officer,
            access=access(officer, world),
            outcome="made_up",
            public_outcome="x",
        )
    with pytest.raises(ApplicationError, match="not a member"):
        services.concern_assign(
            concern=concern,
            by=officer,
            access=access(officer, world),
            organisation=world["council"],
            officer=world["police_officer"],
        )
    elsewhere = OrganisationFactory()
    with pytest.raises(ApplicationError, match="organisation of this partnership"):
        services.concern_assign(
            concern=concern, by=officer, access=access(officer, world), organisation=elsewhere
        )


def test_duplicates_are_suggested_and_updates_reach_both(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    original = world["concern"]
    second = make_concern(world["partnership"], email="alex@example.org")
    other_category = make_concern(world["partnership"], category="litter")
    elsewhere = make_concern(world["partnership"], postcode="LE67 3AA", lsoa_code="E01025929")
    assert services.duplicate_candidates(second) == [original]
    assert other_category not in services.duplicate_candidates(second)
    assert elsewhere not in services.duplicate_candidates(second)
    manager = world["manager"]
    services.concern_mark_duplicate(
        concern=second, by=manager, access=access(manager, world), original=original
    )
    second.refresh_from_db()
    assert second.status == Status.CLOSED
    assert second.outcome == Outcome.DUPLICATE
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_close(
            concern=original,
            by=manager,
            access=access(manager, world),
            outcome=Outcome.PASSED_ON,
            public_outcome="Passed to the police.",
        )
    assert ConcernEvent.objects.filter(
        concern=second, text__contains="Passed to the police"
    ).exists()
    assert {m.to[0] for m in mail.outbox} == {"sam@example.org", "alex@example.org"}
    # Duplicates count once.
    assert concern_counts(partnership=world["partnership"]).total == 3


def test_reference_numbers_do_not_repeat(world: dict[str, Any]) -> None:
    references = [make_concern(world["partnership"]).reference for _ in range(3)]
    assert len(set(references + [world["concern"].reference])) == 4


# --- views, personal data and audit ---------------------------------------------------------


def test_queue_shows_each_organisation_its_own(client: Any, world: dict[str, Any]) -> None:
    concern = world["concern"]
    sign_in(client, world["officer"])
    assert concern.reference not in client.get(reverse("concerns:list")).content.decode()
    assert client.get(reverse("concerns:detail", args=[concern.pk])).status_code == 404
    services.concern_assign(
        concern=concern,
        by=world["manager"],
        access=access(world["manager"], world),
        organisation=world["council"],
    )
    assert concern.reference in client.get(reverse("concerns:list")).content.decode()
    sign_in(client, world["police_officer"])
    assert client.get(reverse("concerns:detail", args=[concern.pk])).status_code == 404


def test_personal_data_is_shown_only_to_the_assigned_organisation_and_audited(
    client: Any, world: dict[str, Any]
) -> None:
    concern = world["concern"]
    services.concern_assign(
        concern=concern,
        by=world["manager"],
        access=access(world["manager"], world),
        organisation=world["council"],
    )
    sign_in(client, world["officer"])
    html = client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert "sam@example.org" in html
    assert "Drinking by the shelter" in html
    viewed = AuditEvent.objects.filter(verb="concerns.personal_data_viewed")
    assert viewed.count() == 1
    assert viewed.get().actor == world["officer"]
    # A manager sees everything, audited too.
    sign_in(client, world["manager"])
    client.get(reverse("concerns:detail", args=[concern.pk]))
    assert viewed.count() == 2


def test_staff_without_the_concern_never_see_personal_data(
    client: Any, world: dict[str, Any]
) -> None:
    # An analyst of another organisation: the community intelligence, but no concern.
    analyst = member(world["partnership"], Role.ANALYST)
    sign_in(client, analyst)
    html = client.get(reverse("concerns:intelligence")).content.decode()
    assert "North West Leicestershire 003A" in html
    assert "Street drinking" in html
    assert "sam@example.org" not in html
    assert "Drinking by the shelter" not in html
    csv = client.get(reverse("concerns:intelligence_csv")).content.decode("utf-8-sig")
    assert "North West Leicestershire 003A,E01025915,Street drinking,1" in csv
    assert "sam@" not in csv
    assert client.get(reverse("concerns:detail", args=[world["concern"].pk])).status_code == 404


def test_close_view_bad_input_shows_error_summary(client: Any, world: dict[str, Any]) -> None:
    concern = world["concern"]
    sign_in(client, world["manager"])
    response = client.post(
        reverse("concerns:close", args=[concern.pk]), {"outcome": "action_taken"}
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Say what was done" in html
    concern.refresh_from_db()
    assert concern.status == Status.NEW


def test_staff_journey_through_the_views(client: Any, world: dict[str, Any]) -> None:
    concern = world["concern"]
    sign_in(client, world["manager"])
    response = client.post(
        reverse("concerns:assign", args=[concern.pk]),
        {"organisation": str(world["council"].pk), "officer": ""},
    )
    assert response.status_code == 302
    sign_in(client, world["officer"])
    client.post(
        reverse("concerns:note", args=[concern.pk]), {"kind": "update", "text": "We have visited."}
    )
    client.post(
        reverse("concerns:close", args=[concern.pk]),
        {"outcome": "no_further_action", "public_outcome": "No one was there."},
    )
    concern.refresh_from_db()
    assert concern.status == Status.CLOSED
    assert concern.outcome == "no_further_action"
    status = client.get(reverse("concerns_public:status", args=[concern.token])).content.decode()
    assert "We have visited." in status
    assert "No one was there." in status


def test_photo_view_is_audited_and_limited(
    client: Any, world: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    from saferplaces.concerns.photos import photo_clean, photo_store
    from tests.saferplaces.concerns.helpers import png_bytes

    settings.DATA_DIR = tmp_path
    concern = world["concern"]
    concern.photo_name = photo_store(photo_clean(png_bytes()))
    concern.save()
    sign_in(client, world["manager"])
    response = client.get(reverse("concerns:photo", args=[concern.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert AuditEvent.objects.filter(
        verb="concerns.personal_data_viewed", summary__what="photo"
    ).exists()
    sign_in(client, world["officer"])
    assert client.get(reverse("concerns:photo", args=[concern.pk])).status_code == 404


# --- registries: you said, the case review, retention, subject data --------------------------


def test_you_said_suppresses_small_counts_and_leaves_out_sensitive_categories(
    world: dict[str, Any],
) -> None:
    from saferplaces.concerns.registrations import you_said

    partnership = world["partnership"]
    for _ in range(5):
        make_concern(partnership, category="fly_tipping")
    make_concern(partnership, category="drugs")
    closed = make_concern(partnership, category="fly_tipping")
    manager = world["manager"]
    services.concern_close(
        concern=closed,
        by=manager,
        access=access(manager, world),
        outcome=Outcome.ACTION_TAKEN,
        public_outcome="We cleared the lane.",
    )
    items = you_said(partnership, ["E01025915"], timezone.localdate() - timedelta(days=30))
    text = " | ".join(i.you_said for i in items)
    assert "Fly-tipping: 6 reports" in text
    assert "Street drinking: fewer than 5 reports" in text
    assert "Drug" not in text
    assert any(i.we_did == "We cleared the lane." for i in items)
    assert you_said(partnership, ["E01025929"], timezone.localdate()) == []


def test_resident_reports_for_the_case_review(world: dict[str, Any]) -> None:
    from saferplaces.core.resident_voice import resident_reports_find

    anonymous = make_concern(world["partnership"], anonymous=True, name="", email="")
    found = resident_reports_find(
        partnership=world["partnership"],
        email="SAM@example.org",
        references=[anonymous.reference.lower()],
        since=timezone.localdate() - timedelta(days=180),
    )
    assert [r.reference for r in found] == [world["concern"].reference, anonymous.reference]
    assert found[0].category == "Street drinking"
    assert found[0].status.startswith("Received")


def test_retention_removes_personal_data_after_the_period(
    world: dict[str, Any], settings: Any
) -> None:
    settings.SAFERPLACES_CONCERN_RETENTION_DAYS = 10
    concern = world["concern"]
    manager = world["manager"]
    services.concern_close(
        concern=concern,
        by=manager,
        access=access(manager, world),
        outcome=Outcome.ACTION_TAKEN,
        public_outcome="Done.",
    )
    assert services.concerns_retention_apply(timezone.now()) == 0
    assert services.concerns_retention_apply(timezone.now() + timedelta(days=11)) == 1
    concern.refresh_from_db()
    assert concern.contact_email == ""
    assert concern.contact_name == ""
    assert "Drinking" not in concern.description
    assert concern.category == "street_drinking"
    assert concern.lsoa_code == "E01025915"
    assert services.concerns_retention_apply(timezone.now() + timedelta(days=12)) == 0


def test_subject_access_export_and_erasure(world: dict[str, Any]) -> None:
    from saferplaces.core.privacy import privacy_purposes, retention_rules, subject_data_sources

    source = next(s for s in subject_data_sources() if s.key == "concerns")
    exported = source.export("Sam@Example.org")
    assert exported[0]["reference"] == world["concern"].reference
    assert exported[0]["description"] == "Drinking by the shelter"
    assert source.erase("sam@example.org") == 1
    assert source.export("sam@example.org") == []
    assert AuditEvent.objects.filter(verb="concerns.personal_data_removed").exists()
    assert any(p.key == "concerns" for p in privacy_purposes())
    assert any(r.key == "concerns" for r in retention_rules())


def test_residents_page_and_home_panel(client: Any, world: dict[str, Any]) -> None:
    sign_in(client, world["manager"])
    assert "1 new concern to triage" in client.get(reverse("core:residents")).content.decode()
    assert "Residents’ concerns" in client.get(reverse("accounts:staff_home")).content.decode()


def test_retention_deletes_photos_of_reports_never_sent(
    world: dict[str, Any], settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import os

    from saferplaces.concerns.photos import photo_clean, photo_folder, photo_store
    from tests.saferplaces.concerns.helpers import png_bytes

    settings.DATA_DIR = tmp_path
    kept = photo_store(photo_clean(png_bytes()))
    orphan = photo_store(photo_clean(png_bytes()))
    concern = world["concern"]
    concern.photo_name = kept
    concern.save()
    old = (timezone.now() - timedelta(days=2)).timestamp()
    for name in (kept, orphan):
        os.utime(photo_folder() / name, (old, old))
    # A dry run (the privacy app rolls the transaction back) deletes nothing.
    from django.db import transaction

    with transaction.atomic():
        assert services.concerns_retention_apply(timezone.now()) == 1
        transaction.set_rollback(True)
    assert (photo_folder() / orphan).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.concerns_retention_apply(timezone.now()) == 1
    assert (photo_folder() / kept).exists()
    assert not (photo_folder() / orphan).exists()


def test_detail_offers_to_mark_as_duplicate_of_an_earlier_report(
    client: Any, world: dict[str, Any]
) -> None:
    second = make_concern(world["partnership"])
    sign_in(client, world["manager"])
    html = client.get(reverse("concerns:detail", args=[second.pk])).content.decode()
    assert f"Mark {second.reference} as a duplicate of {world['concern'].reference}" in html
    response = client.post(
        reverse("concerns:duplicate", args=[second.pk]), {"original": world["concern"].reference}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.duplicate_of == world["concern"]
    missing = client.post(reverse("concerns:duplicate", args=[world["concern"].pk]),
                          {"original": "C-1999-00001"})  # fmt: skip
    assert "There is no concern C-1999-00001" in missing.content.decode()


def test_queue_flags_reopened_concerns(client: Any, world: dict[str, Any]) -> None:
    concern, manager = world["concern"], world["manager"]
    services.concern_close(concern=concern, by=manager, access=access(manager, world),
                           outcome=Outcome.ACTION_TAKEN, public_outcome="Done.")  # fmt: skip
    services.concern_reopen(concern=concern, reason="Back again.")
    sign_in(client, manager)
    html = client.get(reverse("concerns:list") + "?status=open").content.decode()
    assert concern.reference in html
    assert "Reopened" in html


def test_the_officer_is_emailed_on_assignment_and_reopening_without_personal_data(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    concern, manager, officer = world["concern"], world["manager"], world["officer"]
    with django_capture_on_commit_callbacks(execute=True):
        services.concern_assign(concern=concern, by=manager, access=access(manager, world),
                                organisation=world["council"], officer=officer)  # fmt: skip
        services.concern_close(concern=concern, by=officer, access=access(officer, world),
                               outcome=Outcome.ACTION_TAKEN, public_outcome="Done.")  # fmt: skip
        services.concern_reopen(concern=concern, reason="Back again.")
    to_officer = [m for m in mail.outbox if m.to == [officer.email]]
    assert [m.subject.split(" (")[0] for m in to_officer] == [
        "A concern was passed to you", "A resident reopened a concern"]  # fmt: skip
    assert all("sam@example.org" not in m.body and "shelter" not in m.body for m in to_officer)
    assert f"/staff/concerns/{concern.pk}/" in to_officer[0].body
