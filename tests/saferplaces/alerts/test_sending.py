"""Sending an alert: who may, one e-mail per subscriber even when the task runs again, the
unsubscribe link and headers in every e-mail, and the send log."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from saferplaces.accounts.models import Role
from saferplaces.alerts import services
from saferplaces.alerts.models import Alert, Delivery
from saferplaces.alerts.tasks import alert_deliver
from saferplaces.audit.models import AuditEvent
from saferplaces.core.exceptions import ApplicationError
from tests.saferplaces.alerts.conftest import DISTRICT_A

MANAGER = {Role.PARTNERSHIP_MANAGER}


def _send(
    csp: Any, by: Any, roles: Any = MANAGER, key: uuid.UUID | None = None, **fields: Any
) -> Alert:
    values = {"title": "Community meeting", "body": "Thursday 7pm at the library.",
              "area": "all", "topic": "crime", **fields}  # fmt: skip
    return services.alert_send(
        partnership=csp, by=by, roles=roles, key=key or uuid.uuid4(), **values
    )


def test_an_alert_goes_once_to_each_confirmed_matching_subscriber(
    csp: Any, manager: Any, subscribe: Any
) -> None:
    first = subscribe("a@example.org")
    second = subscribe("b@example.org", areas=[f"district:{DISTRICT_A}"])
    subscribe("pending@example.org", confirm=False)
    subscribe("advice@example.org", topics=["advice"])
    mail.outbox.clear()

    alert = _send(csp, manager)

    alert.refresh_from_db()
    assert sorted(m.to[0] for m in mail.outbox) == [first.email, second.email]
    assert (alert.status, alert.recipients, alert.sent, alert.failed) == ("sent", 2, 2, 0)
    delivered = AuditEvent.objects.get(verb="alerts.alert_delivered")
    assert delivered.summary == {"recipients": 2, "sent": 2, "failed": 0}
    assert AuditEvent.objects.filter(verb="alerts.alert_sent", actor=manager).count() == 1


def test_running_the_task_again_emails_nobody_twice(csp: Any, manager: Any, subscribe: Any) -> None:
    subscribe("a@example.org")
    subscribe("b@example.org")
    mail.outbox.clear()
    alert = _send(csp, manager)
    assert len(mail.outbox) == 2

    alert_deliver.call(alert_id=str(alert.pk))  # a retry, as the worker would
    alert_deliver.call(alert_id=str(alert.pk))

    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(alert=alert).count() == 2
    # A subscriber who confirmed since gets it on the next run, once.
    subscribe("late@example.org")
    mail.outbox.clear()
    alert_deliver.call(alert_id=str(alert.pk))
    assert [m.to for m in mail.outbox] == [["late@example.org"]]


def test_a_failed_email_is_logged_and_tried_again_next_run(
    csp: Any, manager: Any, subscribe: Any, monkeypatch: Any
) -> None:
    subscribe("a@example.org")
    mail.outbox.clear()

    def broken(self: Any, fail_silently: bool = False) -> int:
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    alert = _send(csp, manager)
    alert.refresh_from_db()
    assert (alert.sent, alert.failed) == (0, 1)
    monkeypatch.undo()
    alert_deliver.call(alert_id=str(alert.pk))
    alert.refresh_from_db()
    assert (alert.sent, alert.failed, len(mail.outbox)) == (1, 0, 1)


def test_every_alert_email_has_a_working_unsubscribe_link_and_headers(
    csp: Any, manager: Any, subscribe: Any, client: Any
) -> None:
    subscription = subscribe("a@example.org")
    mail.outbox.clear()
    _send(csp, manager)
    message = mail.outbox[0]
    unsubscribe = f"http://testserver/alerts/unsubscribe/{subscription.token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    assert f"/alerts/manage/{subscription.token}/" in message.body
    # The mail program's one-click POST: no cookie, no CSRF token, no sign-in.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        unsubscribe.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == "unsubscribed"


def test_the_same_send_twice_makes_one_alert(csp: Any, manager: Any, subscribe: Any) -> None:
    subscribe("a@example.org")
    mail.outbox.clear()
    key = uuid.uuid4()
    _send(csp, manager, key=key)
    _send(csp, manager, key=key)
    assert Alert.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("role", [Role.VIEWER, Role.BOARD_MEMBER, Role.PARTNER_OFFICER])
def test_only_managers_and_analysts_send(csp: Any, person: Any, subscribe: Any, role: str) -> None:
    subscribe("a@example.org")
    mail.outbox.clear()
    with pytest.raises(PermissionDenied):
        _send(csp, person(role), roles={role})
    assert not Alert.objects.exists()
    assert not mail.outbox


def test_an_alert_needs_a_title_a_message_and_a_known_area(csp: Any, manager: Any) -> None:
    for fields in ({"title": " "}, {"body": ""}, {"area": "district:E07999999"}, {"topic": "x"}):
        with pytest.raises(ApplicationError):
            _send(csp, manager, **fields)
    assert not Alert.objects.exists()


def test_the_export_lists_the_alerts_sent_to_the_address(
    csp: Any, manager: Any, subscribe: Any
) -> None:
    subscribe("a@example.org")
    _send(csp, manager, title="Bike marking")
    exported = services.subscriptions_export("a@example.org")
    assert [line.split(" (")[0] for line in exported[0]["alerts_sent_to_you"]] == ["Bike marking"]
