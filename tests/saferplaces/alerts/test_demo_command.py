"""The demo command: generated subscribers and one sent alert, safe to run twice."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from saferplaces.accounts.models import Role
from saferplaces.alerts.models import Alert, Subscription
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)


def test_the_demo_is_labelled_generated_and_made_once(db: Any) -> None:
    partnership = PartnershipFactory(gss_code="E22000170")
    MembershipFactory(
        user=UserFactory(email="manager@demo.saferplaces.test"),
        organisation=OrganisationFactory(partnership=partnership),
        role=Role.PARTNERSHIP_MANAGER,
    )
    call_command("saferplaces_demo_alerts", stdout=StringIO())
    call_command("saferplaces_demo_alerts", stdout=StringIO())

    assert Subscription.objects.filter(status="confirmed").count() == 4
    assert all(s.email.startswith("generated-") for s in Subscription.objects.all())
    alert = Alert.objects.get()
    assert alert.is_generated
    assert (alert.recipients, alert.sent) == (3, 3)  # those who chose community meetings
    assert len(mail.outbox) == 3
    assert "generated for the demonstration" in mail.outbox[0].body


def test_without_the_demo_partnership_it_says_what_to_run(db: Any) -> None:
    with pytest.raises(CommandError, match="saferplaces_setup_demo"):
        call_command("saferplaces_demo_alerts", stdout=StringIO())


def test_without_a_worker_the_demo_alert_is_still_sent(db: Any, settings: Any) -> None:
    # A task backend that only queues (as the database backend does without a worker).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    partnership = PartnershipFactory(gss_code="E22000170")
    MembershipFactory(
        user=UserFactory(email="manager@demo.saferplaces.test"),
        organisation=OrganisationFactory(partnership=partnership),
        role=Role.PARTNERSHIP_MANAGER,
    )
    call_command("saferplaces_demo_alerts", stdout=StringIO())
    alert = Alert.objects.get()
    assert (alert.status, alert.sent) == ("sent", 3)
