"""Sign-up with double opt-in, confirmation, changes, unsubscribing; the privacy registries."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail, signing
from django.utils import timezone

from saferplaces.alerts import services
from saferplaces.alerts.models import Subscription
from saferplaces.audit.models import AuditEvent
from saferplaces.core.exceptions import ApplicationError
from tests.saferplaces.alerts.conftest import DISTRICT_A, DISTRICT_B, link_in


def _request(csp: Any, email: str, key: uuid.UUID | None = None, **choices: Any) -> None:
    services.subscription_request(
        partnership=csp,
        email=email,
        areas=choices.get("areas", ["all"]),
        topics=choices.get("topics", ["crime"]),
        key=key or uuid.uuid4(),
    )


def _signed(message: Any) -> str:
    return link_in(message, "/alerts/confirm/").split("/alerts/confirm/")[1].rstrip("/")


def test_sign_up_sends_only_a_confirmation_and_stays_pending(csp: Any) -> None:
    _request(csp, " Resident@Example.org ")
    subscription = Subscription.objects.get()
    assert subscription.email == "resident@example.org"
    assert subscription.status == Subscription.Status.PENDING
    assert subscription.consent_text == services.CONSENT_TEXT
    assert [m.subject for m in mail.outbox] == ["Confirm your e-mail address for alerts"]
    assert mail.outbox[0].to == ["resident@example.org"]
    # Nothing is sent to an unconfirmed address.
    assert services.alert_recipients(partnership=csp, area="all", topic="crime") == []
    event = AuditEvent.objects.get(verb="alerts.signup_requested")
    assert "resident@example.org" not in str(event.summary) + event.object_id


def test_the_confirmation_link_confirms_once(csp: Any) -> None:
    _request(csp, "resident@example.org")
    subscription = services.subscription_confirm(signed=_signed(mail.outbox[0]))
    assert subscription.status == Subscription.Status.CONFIRMED
    assert subscription.confirmed_at is not None
    services.subscription_confirm(signed=_signed(mail.outbox[0]))  # a second click: harmless
    assert AuditEvent.objects.filter(verb="alerts.subscription_confirmed").count() == 1
    assert services.alert_recipients(partnership=csp, area="all", topic="crime") == [subscription]


def test_an_expired_confirmation_link_is_refused(csp: Any, monkeypatch: Any) -> None:
    four_days_ago = signing.b62_encode(int(time.time()) - 4 * 24 * 3600)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: four_days_ago)
    _request(csp, "resident@example.org")
    monkeypatch.undo()
    with pytest.raises(ApplicationError):
        services.subscription_confirm(signed=_signed(mail.outbox[0]))
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_a_tampered_link_is_refused(csp: Any) -> None:
    _request(csp, "resident@example.org")
    with pytest.raises(ApplicationError):
        services.subscription_confirm(signed=_signed(mail.outbox[0])[:-2] + "xx")


def test_signing_up_again_updates_the_pending_subscription(csp: Any) -> None:
    _request(csp, "resident@example.org", topics=["crime"])
    _request(csp, "RESIDENT@example.org", areas=[f"district:{DISTRICT_A}"], topics=["advice"])
    subscription = Subscription.objects.get()
    assert subscription.areas == [f"district:{DISTRICT_A}"]
    assert subscription.topics == ["advice"]
    assert len(mail.outbox) == 2
    # The newest link confirms; the first one was replaced.
    with pytest.raises(ApplicationError):
        services.subscription_confirm(signed=_signed(mail.outbox[0]))
    assert services.subscription_confirm(signed=_signed(mail.outbox[1])).status == "confirmed"


def test_signing_up_again_when_confirmed_changes_nothing_and_mails_the_manage_link(
    csp: Any, subscribe: Any
) -> None:
    subscription = subscribe("resident@example.org", topics=["crime"])
    mail.outbox.clear()
    _request(csp, "resident@example.org", topics=["advice"])
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED
    assert subscription.topics == ["crime"]
    assert [m.subject for m in mail.outbox] == ["You already get alerts"]
    assert f"/alerts/manage/{subscription.token}/" in mail.outbox[0].body


def test_the_same_form_sent_twice_is_stored_and_mailed_once(csp: Any) -> None:
    key = uuid.uuid4()
    _request(csp, "resident@example.org", key=key)
    _request(csp, "resident@example.org", key=key)
    assert Subscription.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("choices", "field"),
    [
        ({"areas": []}, "areas"),
        ({"areas": ["district:E07999999"]}, "areas"),
        ({"topics": []}, "topics"),
        ({"topics": ["gossip"]}, "topics"),
    ],
)
def test_bad_choices_store_nothing(csp: Any, choices: dict[str, Any], field: str) -> None:
    with pytest.raises(ApplicationError) as refused:
        _request(csp, "resident@example.org", **choices)
    assert refused.value.extra["field"] == field
    assert not Subscription.objects.exists()
    assert not mail.outbox


def test_change_and_unsubscribe(csp: Any, subscribe: Any) -> None:
    subscription = subscribe("resident@example.org")
    services.subscription_change(
        subscription=subscription, areas=[f"district:{DISTRICT_B}"], topics=["meetings", "crime"]
    )
    subscription.refresh_from_db()
    assert subscription.topics == ["crime", "meetings"]  # in the list's order
    services.subscription_unsubscribe(subscription=subscription)
    services.subscription_unsubscribe(subscription=subscription)  # second click: harmless
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
    assert AuditEvent.objects.filter(verb="alerts.unsubscribed").count() == 1
    with pytest.raises(ApplicationError):
        services.subscription_change(subscription=subscription, areas=["all"], topics=["crime"])


def test_an_alert_reaches_its_area_and_the_whole_partnership(csp: Any, subscribe: Any) -> None:
    everywhere = subscribe("a@example.org", areas=["all"])
    district_a = subscribe("b@example.org", areas=[f"district:{DISTRICT_A}"])
    district_b = subscribe("c@example.org", areas=[f"district:{DISTRICT_B}"])
    other_topic = subscribe("d@example.org", topics=["advice"])

    def reached(area: str) -> set[str]:
        found = services.alert_recipients(partnership=csp, area=area, topic="crime")
        return {s.email for s in found}

    assert reached(f"district:{DISTRICT_A}") == {everywhere.email, district_a.email}
    assert reached("all") == {everywhere.email, district_a.email, district_b.email}
    assert other_topic.email not in reached("all")


def test_retention_deletes_old_unconfirmed_and_unsubscribed(csp: Any, subscribe: Any) -> None:
    now = timezone.now()
    old_pending = subscribe("old@example.org", confirm=False)
    new_pending = subscribe("new@example.org", confirm=False)
    gone = subscribe("gone@example.org")
    recent = subscribe("recent@example.org")
    kept = subscribe("kept@example.org")
    Subscription.objects.filter(pk=old_pending.pk).update(consented_at=now - timedelta(days=8))
    for subscription, days in ((gone, 31), (recent, 29)):
        Subscription.objects.filter(pk=subscription.pk).update(
            status="unsubscribed", unsubscribed_at=now - timedelta(days=days)
        )

    assert services.subscriptions_retention_apply(now) == 2

    left = set(Subscription.objects.values_list("email", flat=True))
    assert left == {new_pending.email, recent.email, kept.email}


def test_export_and_erase_by_address(csp: Any, subscribe: Any) -> None:
    subscribe("resident@example.org", topics=["crime", "advice"])
    subscribe("other@example.org")
    exported = services.subscriptions_export("RESIDENT@example.org")
    assert len(exported) == 1
    assert exported[0]["e-mail_address"] == "resident@example.org"
    assert exported[0]["status"] == "Confirmed"
    assert services.subscriptions_erase("resident@example.org") == 1
    assert services.subscriptions_export("resident@example.org") == []
    assert Subscription.objects.count() == 1


def test_a_published_neighbourhood_can_be_chosen_and_an_alert_for_it_reaches_its_subscribers(
    csp: Any, council: Any, subscribe: Any
) -> None:
    from datetime import date

    from saferplaces.alerts.areas import area_choices
    from saferplaces.community.models import PublishedPage
    from saferplaces.neighbourhoods.models import Neighbourhood

    def neighbourhood(name: str) -> Neighbourhood:
        return Neighbourhood.objects.create(
            partnership=csp, owner_organisation=council, name=name, lsoa_codes=["E01025932"],
            baseline_month=date(2024, 1, 1), sharing="partnership",
        )  # fmt: skip

    estate, unpublished = neighbourhood("Greenhill estate"), neighbourhood("Staff only")
    PublishedPage.objects.create(partnership=csp, neighbourhood=estate)
    names = [area.name for area in area_choices(csp)]
    assert "Greenhill estate" in names
    assert "Staff only" not in names

    key = f"neighbourhood:{estate.pk}"
    resident = subscribe("estate@example.org", areas=[key])
    subscribe("district@example.org", areas=[f"district:{DISTRICT_A}"])
    reached = services.alert_recipients(partnership=csp, area=key, topic="crime")
    assert reached == [resident]
    with pytest.raises(ApplicationError):  # not published: not a choice
        _request(csp, "x@example.org", areas=[f"neighbourhood:{unpublished.pk}"])
    # Made private again: the page drops off the public site, and out of the choices.
    Neighbourhood.objects.filter(pk=estate.pk).update(sharing="organisation")
    assert key not in {area.key for area in area_choices(csp)}
