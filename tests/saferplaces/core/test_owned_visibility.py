"""The generic visibility rule for records that inherit core.OwnedModel."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, models

from saferplaces.accounts import permissions
from saferplaces.accounts.models import Role
from saferplaces.core.models import OwnedModel, SharingLevel
from saferplaces.core.selectors import owned_list_visible
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)


class Note(OwnedModel):
    """A throwaway concrete model, created only for these tests."""

    title = models.CharField(max_length=50)

    class Meta:
        app_label = "core"
        db_table = "test_core_note"
        managed = False  # never created by migrate; the fixture below makes the table


@pytest.fixture(scope="module")
def _note_table(django_db_setup: Any, django_db_blocker: Any) -> Any:
    # Created outside any test transaction: SQLite's schema editor refuses to run inside one.
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Note)
        yield
        with connection.schema_editor() as editor:
            editor.delete_model(Note)


@pytest.fixture
def note_table(_note_table: Any, db: Any) -> None:
    return None


@pytest.fixture
def world(note_table: Any) -> dict[str, Any]:
    partnership, other = PartnershipFactory(), PartnershipFactory()
    council = OrganisationFactory(partnership=partnership)
    police = OrganisationFactory(partnership=partnership)
    elsewhere = OrganisationFactory(partnership=other)

    def note(title: str, organisation: Any, sharing: str) -> Note:
        return Note.objects.create(
            title=title,
            partnership=organisation.partnership,
            owner_organisation=organisation,
            sharing=sharing,
        )

    return {
        "partnership": partnership,
        "council": council,
        "police": police,
        "council_private": note("council private", council, SharingLevel.ORGANISATION),
        "police_private": note("police private", police, SharingLevel.ORGANISATION),
        "police_shared": note("police shared", police, SharingLevel.PARTNERSHIP),
        "elsewhere_shared": note("elsewhere shared", elsewhere, SharingLevel.PARTNERSHIP),
        "elsewhere_public": note("elsewhere public", elsewhere, SharingLevel.PUBLIC),
    }


def titles(user: Any) -> set[str]:
    return set(owned_list_visible(Note.objects.all(), user=user).values_list("title", flat=True))


def test_council_member_sees_own_partnership_shared_and_public(world: dict[str, Any]) -> None:
    user = MembershipFactory(organisation=world["council"], role=Role.VIEWER).user
    assert titles(user) == {"council private", "police shared", "elsewhere public"}


def test_member_of_two_organisations_sees_both(world: dict[str, Any]) -> None:
    user = MembershipFactory(organisation=world["council"]).user
    MembershipFactory(user=user, organisation=world["police"])
    assert titles(user) == {
        "council private",
        "police private",
        "police shared",
        "elsewhere public",
    }


def test_anonymous_and_outsiders_see_only_public(world: dict[str, Any]) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert titles(AnonymousUser()) == {"elsewhere public"}
    assert titles(UserFactory()) == {"elsewhere public"}


def test_system_admin_sees_no_case_data_by_default(world: dict[str, Any]) -> None:
    admin = UserFactory(is_system_admin=True)
    assert titles(admin) == {"elsewhere public"}
    assert not permissions.can_view_owned_record(admin, world["police_private"])


def test_predicates_agree_with_the_selector(world: dict[str, Any]) -> None:
    user = MembershipFactory(organisation=world["council"], role=Role.PARTNER_OFFICER).user
    for note in Note.objects.all():
        assert permissions.can_view_owned_record(user, note) == (note.title in titles(user))


def test_edit_rights(world: dict[str, Any]) -> None:
    officer = MembershipFactory(organisation=world["council"], role=Role.PARTNER_OFFICER).user
    board = MembershipFactory(organisation=world["council"], role=Role.BOARD_MEMBER).user
    manager = MembershipFactory(organisation=world["police"], role=Role.PARTNERSHIP_MANAGER).user
    assert permissions.can_edit_owned_record(officer, world["council_private"])
    assert not permissions.can_edit_owned_record(officer, world["police_shared"])
    assert not permissions.can_edit_owned_record(board, world["council_private"])
    assert permissions.can_edit_owned_record(manager, world["council_private"])
    assert not permissions.can_edit_owned_record(manager, world["elsewhere_shared"])


def test_owner_must_be_in_the_partnership(world: dict[str, Any]) -> None:
    from django.core.exceptions import ValidationError

    stray = Note(
        title="x",
        partnership=world["partnership"],
        owner_organisation=OrganisationFactory(),
        sharing=SharingLevel.PUBLIC,
    )
    with pytest.raises(ValidationError):
        stray.full_clean()
