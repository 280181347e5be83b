"""Permission predicates answer from roles already loaded, without querying (issue #12)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from saferplaces.accounts import permissions
from saferplaces.accounts.models import Role
from saferplaces.analytics.permissions import can_view_crime_data
from tests.saferplaces.factories import MembershipFactory, OrganisationFactory, UserFactory

PREDICATES = [
    permissions.can_manage_partnership,
    permissions.can_manage_members,
    permissions.can_view_analytics,
    permissions.can_import_data,
    can_view_crime_data,
]


@pytest.mark.parametrize("role", [choice for choice, _ in Role.choices])
def test_given_the_roles_no_query_and_the_same_answer(
    db: Any, django_assert_num_queries: Any, partnership: Any, role: str
) -> None:
    user = UserFactory()
    MembershipFactory(
        user=user, organisation=OrganisationFactory(partnership=partnership), role=role
    )
    roles = permissions.roles_in_partnership(user, partnership)  # the selector's one query
    assert roles == {role}
    expected = [predicate(user, partnership) for predicate in PREDICATES]
    with django_assert_num_queries(0):
        answers = [predicate(user, partnership, roles=roles) for predicate in PREDICATES]
    assert answers == expected


def test_pure_role_predicates() -> None:
    assert permissions.roles_can_manage({Role.PARTNERSHIP_MANAGER})
    assert not permissions.roles_can_manage({Role.ANALYST, Role.VIEWER})
    assert permissions.roles_can_view_analytics({Role.BOARD_MEMBER})
    assert not permissions.roles_can_view_analytics(set())
    assert permissions.roles_can_import_data({Role.ANALYST})
    assert not permissions.roles_can_import_data({Role.BOARD_MEMBER, Role.PARTNER_OFFICER})


def test_roles_given_for_an_anonymous_user_grant_nothing(db: Any, partnership: Any) -> None:
    everything = {choice for choice, _ in Role.choices}
    for predicate in PREDICATES:
        assert not predicate(AnonymousUser(), partnership, roles=everything)
