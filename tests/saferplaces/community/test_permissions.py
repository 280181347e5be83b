"""The community predicates: pure functions of roles and organisations."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from saferplaces.community import permissions as p

USER = SimpleNamespace(is_authenticated=True, is_active=True)
ANONYMOUS = SimpleNamespace(is_authenticated=False, is_active=False)
MINE, OTHER = "org-mine", "org-other"


@pytest.mark.parametrize(
    ("roles", "writers", "owner", "expected"),
    [
        ({"partnership_manager"}, [], OTHER, True),
        ({"analyst"}, [MINE], MINE, True),
        ({"partner_officer"}, [MINE], MINE, True),
        ({"analyst"}, [MINE], OTHER, False),
        ({"viewer"}, [], MINE, False),
        ({"board_member"}, [], MINE, False),
    ],
)
def test_personal_data_and_changes_are_for_managers_and_the_owning_organisation(
    roles: set[str], writers: list[str], owner: str, expected: bool
) -> None:
    kwargs = {"roles": roles, "writer_organisation_ids": writers, "owner_id": owner}
    assert p.can_see_personal_data(USER, **kwargs) is expected
    assert p.can_edit_group(USER, **kwargs) is expected
    assert p.can_see_personal_data(ANONYMOUS, **kwargs) is False


def test_forums_officers_only_their_own_organisations() -> None:
    def officer(owner: str) -> bool:
        return p.can_edit_forum(
            USER, roles={"partner_officer"}, officer_organisation_ids=[MINE], owner_id=owner
        )

    assert officer(MINE)
    assert not officer(OTHER)
    assert p.can_edit_forum(USER, roles={"analyst"}, officer_organisation_ids=[], owner_id=OTHER)
    assert not p.can_edit_forum(USER, roles={"viewer"}, officer_organisation_ids=[], owner_id=MINE)


def test_reading_and_publishing() -> None:
    assert p.can_view_network(USER, roles={"viewer"})
    assert not p.can_view_network(USER, roles=set())
    assert p.can_publish_page(USER, roles={"partnership_manager"})
    assert not p.can_publish_page(USER, roles={"analyst"})
