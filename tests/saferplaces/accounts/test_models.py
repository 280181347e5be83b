from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from saferplaces.accounts.models import Partnership, User
from saferplaces.accounts.validators import validate_csp_code, validate_lad_code
from tests.saferplaces.factories import MembershipFactory, PartnershipFactory, UserFactory


def test_user_has_uuid_key_and_logs_in_by_email(db: Any) -> None:
    user = User.objects.create_user("Person@Example.org", "a long enough password")
    assert isinstance(user.pk, uuid.UUID)
    assert user.email == "person@example.org"
    assert User.objects.get_by_natural_key("PERSON@example.org") == user
    assert User.USERNAME_FIELD == "email"


def test_user_without_password_cannot_sign_in(db: Any) -> None:
    assert not User.objects.create_user("x@example.org").has_usable_password()


def test_only_system_admins_are_staff(db: Any) -> None:
    assert not UserFactory().is_staff
    assert User.objects.create_superuser("a@example.org", "pw is long enough 1").is_staff


@pytest.mark.parametrize("code", ["E22000170", "E22000001"])
def test_csp_code_valid(code: str) -> None:
    validate_csp_code(code)


@pytest.mark.parametrize("code", ["", "E07000134", "E2200017", "e22000170", "E22000170X"])
def test_csp_code_invalid(code: str) -> None:
    with pytest.raises(ValidationError):
        validate_csp_code(code)


@pytest.mark.parametrize("code", ["E07000134", "E06000016", "E08000001", "E09000001", "W06000015"])
def test_lad_code_valid(code: str) -> None:
    validate_lad_code(code)


def test_database_refuses_a_non_csp_gss_code(db: Any) -> None:
    with pytest.raises(IntegrityError):
        Partnership.objects.create(
            name="Bad", gss_code="E07000134", lad_codes=["E07000134"], police_force="x-y"
        )


def test_one_membership_per_user_and_organisation(db: Any) -> None:
    membership = MembershipFactory()
    with pytest.raises(IntegrityError):
        MembershipFactory(user=membership.user, organisation=membership.organisation)


def test_a_user_may_belong_to_several_partnerships(db: Any) -> None:
    user = UserFactory()
    MembershipFactory(user=user)
    MembershipFactory(user=user)
    assert user.memberships.count() == 2
    assert len({m.partnership for m in user.memberships.all()}) == 2


def test_factories_build_valid_objects(db: Any) -> None:
    PartnershipFactory().full_clean()
    MembershipFactory().full_clean()
