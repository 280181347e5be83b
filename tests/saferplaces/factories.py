"""Factories that build the smallest valid objects."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from saferplaces.accounts.models import (
    Membership,
    Organisation,
    OrganisationType,
    Partnership,
    Role,
    StatutoryStatus,
    User,
)

TEST_PASSWORD = "correct horse battery staple"  # noqa: S105 - test-only


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.django.Password(TEST_PASSWORD)


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n} Community Safety Partnership")
    gss_code = factory.Sequence(lambda n: f"E22{n + 100000:06d}")
    lad_codes = factory.Sequence(lambda n: [f"E07{n + 100000:06d}"])
    police_force = "leicestershire"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = OrganisationType.COUNCIL
    statutory_status = StatutoryStatus.RESPONSIBLE_AUTHORITY


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.VIEWER
