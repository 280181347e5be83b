"""Every write about alerts: sign-up (double opt-in), confirmation, changes, unsubscribing,
sending an alert, and the privacy registries' retention and erasure.

A resident's sign-up never tells the page whether the address was known: the page is the same,
and what differs goes only to the address itself, by e-mail. Audit events name the subscription
by its id, never by its address.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from saferplaces.accounts.models import Partnership
from saferplaces.alerts import areas as area_rules
from saferplaces.alerts.models import Alert, Delivery, Subscription, Topic, new_token
from saferplaces.alerts.permissions import NOT_ALLOWED_SEND, can_send_alerts
from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError
from saferplaces.core.public_forms import stored_once

CONFIRM_SALT = "saferplaces.alerts.confirm"
CONFIRM_MAX_AGE = timedelta(days=3)
UNCONFIRMED_KEPT = timedelta(days=7)
UNSUBSCRIBED_KEPT = timedelta(days=30)

CONSENT_TEXT = (
    "I agree that the Community Safety Partnership may e-mail me alerts about the areas and "
    "topics I chose, until I unsubscribe. I can unsubscribe at any time with the link in "
    "every alert."
)

LINK_NOT_VALID = (
    "This confirmation link has expired or has been replaced by a newer one. Sign up again "
    "and use the link in the newest e-mail."
)
AREA_NEEDED = "Choose the area you want alerts about"
TOPIC_NEEDED = "Choose at least one topic"
TITLE_NEEDED = "Enter a title for the alert"
BODY_NEEDED = "Enter the message"
UNKNOWN_AREA = "Choose an area from the list"


def _base_url() -> str:
    return str(getattr(settings, "SAFERPLACES_BASE_URL", "") or "").rstrip("/")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def link(name: str, **kwargs: Any) -> str:
    return _base_url() + reverse(name, kwargs=kwargs)


def confirm_link(subscription: Subscription) -> str:
    signed = signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscription.token)
    return link("alerts_public:confirm", signed=signed)


def _topic_names(topics: Iterable[str]) -> str:
    labels = dict(Topic.choices)
    return "; ".join(labels.get(topic, topic) for topic in topics)


def _area_names(partnership: Partnership, keys: Iterable[str]) -> str:
    names = {area.key: area.name for area in area_rules.area_choices(partnership)}
    return "; ".join(names.get(key, key) for key in keys)


def _check_choices(
    partnership: Partnership, areas: Collection[str], topics: Collection[str]
) -> None:
    if not areas:
        raise ApplicationError(AREA_NEEDED, extra={"field": "areas"})
    allowed = {area.key for area in area_rules.area_choices(partnership)}
    if not set(areas) <= allowed:
        raise ApplicationError(UNKNOWN_AREA, extra={"field": "areas"})
    if not topics or not set(topics) <= set(Topic.values):
        raise ApplicationError(TOPIC_NEEDED, extra={"field": "topics"})


# --- residents -------------------------------------------------------------------------------


def subscription_request(
    *,
    partnership: Partnership,
    email: str,
    areas: Collection[str],
    topics: Collection[str],
    key: uuid.UUID,
) -> None:
    """A resident asks for alerts. Returns nothing: the caller shows one page whatever happened.

    New or still-pending address: the choices are saved (one row per address, updated, never
    duplicated) and a confirmation link is e-mailed. Confirmed address: nothing changes (anyone
    could type it in), and the address is sent its "manage your alerts" link instead. The same
    form sent twice (same key) does all this once.
    """
    email = normalise_email(email)
    _check_choices(partnership, areas, topics)

    def create() -> Subscription:
        now = timezone.now()
        subscription = (
            Subscription.objects.select_for_update()
            .filter(partnership=partnership, email=email)
            .first()
        )
        if subscription is not None and subscription.status == Subscription.Status.CONFIRMED:
            subscription.submission_key = key
            subscription.save(update_fields=["submission_key", "updated_at"])
            _send_already_subscribed(subscription)
            audit_record(
                actor=None,
                verb="alerts.signup_requested",
                target=subscription,
                partnership=partnership,
                summary={"already_confirmed": True},
            )
            return subscription
        subscription = subscription or Subscription(partnership=partnership, email=email)
        subscription.areas = sorted(set(areas))
        subscription.topics = [topic for topic in Topic.values if topic in set(topics)]
        subscription.status = Subscription.Status.PENDING
        subscription.consent_text = CONSENT_TEXT
        subscription.consented_at = now
        subscription.confirmed_at = None
        subscription.unsubscribed_at = None
        subscription.token = new_token()  # earlier confirmation links stop working
        subscription.submission_key = key
        subscription.full_clean(exclude=["submission_key", "token"])
        subscription.save()
        _send_confirmation(subscription)
        audit_record(
            actor=None,
            verb="alerts.signup_requested",
            target=subscription,
            partnership=partnership,
            summary={"areas": len(subscription.areas), "topics": subscription.topics},
        )
        return subscription

    stored_once(Subscription, key, create)


def _send_confirmation(subscription: Subscription) -> None:
    partnership = subscription.partnership
    body = (
        f"Someone, we hope you, asked for e-mail alerts from {partnership.name}.\n\n"
        f"Areas: {_area_names(partnership, subscription.areas)}\n"
        f"Topics: {_topic_names(subscription.topics)}\n\n"
        "To start getting alerts, confirm your e-mail address by opening this link within "
        f"3 days:\n{confirm_link(subscription)}\n\n"
        "If you did not ask for alerts, ignore this e-mail: we will not send you anything and "
        "we will delete your address within 7 days."
    )
    EmailMessage("Confirm your e-mail address for alerts", body, None, [subscription.email]).send()


def _send_already_subscribed(subscription: Subscription) -> None:
    partnership = subscription.partnership
    body = (
        f"Someone, we hope you, asked for e-mail alerts from {partnership.name} for this "
        "address. You already get alerts, so nothing has changed.\n\n"
        "To change the areas or topics, or to stop the alerts, use this link:\n"
        f"{link('alerts_public:manage', token=subscription.token)}\n\n"
        "If you did not ask, you can ignore this e-mail."
    )
    EmailMessage("You already get alerts", body, None, [subscription.email]).send()


def subscription_get_by_confirm_link(signed: str) -> Subscription:
    """The subscription a confirmation link names, while the link is valid; else refused."""
    try:
        token = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(signed, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        raise ApplicationError(LINK_NOT_VALID) from None
    subscription = Subscription.objects.select_related("partnership").filter(token=token).first()
    if subscription is None or subscription.status == Subscription.Status.UNSUBSCRIBED:
        raise ApplicationError(LINK_NOT_VALID)
    return subscription


@transaction.atomic
def subscription_confirm(*, signed: str) -> Subscription:
    subscription = subscription_get_by_confirm_link(signed)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status == Subscription.Status.PENDING:
        subscription.status = Subscription.Status.CONFIRMED
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["status", "confirmed_at", "updated_at"])
        audit_record(
            actor=None,
            verb="alerts.subscription_confirmed",
            target=subscription,
            partnership=subscription.partnership,
        )
    return subscription


@transaction.atomic
def subscription_change(
    *, subscription: Subscription, areas: Collection[str], topics: Collection[str]
) -> Subscription:
    if subscription.status == Subscription.Status.UNSUBSCRIBED:
        raise ApplicationError("You have unsubscribed. Sign up again to get alerts.")
    _check_choices(subscription.partnership, areas, topics)
    subscription.areas = sorted(set(areas))
    subscription.topics = [topic for topic in Topic.values if topic in set(topics)]
    subscription.save(update_fields=["areas", "topics", "updated_at"])
    audit_record(
        actor=None,
        verb="alerts.subscription_changed",
        target=subscription,
        partnership=subscription.partnership,
        summary={"areas": len(subscription.areas), "topics": subscription.topics},
    )
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, subscription: Subscription) -> Subscription:
    """Stop every alert to the address; harmless when already done (a second click)."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status != Subscription.Status.UNSUBSCRIBED:
        subscription.status = Subscription.Status.UNSUBSCRIBED
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["status", "unsubscribed_at", "updated_at"])
        audit_record(
            actor=None,
            verb="alerts.unsubscribed",
            target=subscription,
            partnership=subscription.partnership,
        )
    return subscription


# --- staff -----------------------------------------------------------------------------------


def alert_recipients(*, partnership: Partnership, area: str, topic: str) -> list[Subscription]:
    """Confirmed subscribers whom an alert for this area and topic reaches."""
    confirmed = Subscription.objects.filter(
        partnership=partnership, status=Subscription.Status.CONFIRMED
    ).order_by("created_at")
    return [
        subscription
        for subscription in confirmed
        if topic in (subscription.topics or []) and area_rules.reaches(subscription.areas, area)
    ]


def alert_validate(
    *, partnership: Partnership, title: str, body: str, area: str, topic: str
) -> None:
    if not title.strip():
        raise ApplicationError(TITLE_NEEDED, extra={"field": "title"})
    if not body.strip():
        raise ApplicationError(BODY_NEEDED, extra={"field": "body"})
    if area not in {choice.key for choice in area_rules.area_choices(partnership)}:
        raise ApplicationError(UNKNOWN_AREA, extra={"field": "area"})
    if topic not in Topic.values:
        raise ApplicationError(TOPIC_NEEDED, extra={"field": "topic"})


@transaction.atomic
def alert_send(
    *,
    partnership: Partnership,
    by: Any,
    roles: Collection[str],
    title: str,
    body: str,
    area: str,
    topic: str,
    key: uuid.UUID,
    is_generated: bool = False,
) -> Alert:
    """Save the alert and hand it to the task worker, which e-mails each subscriber once.

    The same form sent twice (same key) makes one alert and one task.
    """
    from saferplaces.alerts.tasks import alert_deliver

    if not can_send_alerts(by, roles=roles):
        raise PermissionDenied(NOT_ALLOWED_SEND)
    alert_validate(partnership=partnership, title=title, body=body, area=area, topic=topic)

    def create() -> Alert:
        alert = Alert.objects.create(
            partnership=partnership,
            title=title.strip(),
            body=body.strip(),
            area=area,
            area_name=area_rules.area_name(partnership, area),
            topic=topic,
            created_by=by,
            submission_key=key,
            is_generated=is_generated,
        )
        audit_record(
            actor=by,
            verb="alerts.alert_sent",
            target=alert,
            partnership=partnership,
            summary={"title": alert.title, "area": alert.area_name, "topic": topic},
        )
        # Enqueued inside the transaction: the database task backend stores the task with the
        # alert (both or neither); the immediate backend runs it here, on the same connection.
        alert_deliver.enqueue(alert_id=str(alert.pk))
        return alert

    alert, _ = stored_once(Alert, key, create)
    return alert


def _alert_message(alert: Alert, subscription: Subscription) -> EmailMessage:
    unsubscribe = link("alerts_public:unsubscribe", token=subscription.token)
    manage = link("alerts_public:manage", token=subscription.token)
    generated = (
        "\n\n(This alert was generated for the demonstration.)" if alert.is_generated else ""
    )
    body = (
        f"{alert.title}\n\n{alert.body}{generated}\n\n"
        f"Area: {alert.area_name}\nTopic: {alert.get_topic_display()}\n\n"
        f"You get this e-mail because you asked {alert.partnership.name} for alerts.\n"
        f"Change your areas or topics: {manage}\n"
        f"Unsubscribe: {unsubscribe}\n\n"
        "In an emergency call 999. To report a crime that is not an emergency, call 101."
    )
    return EmailMessage(
        alert.title,
        body,
        None,
        [subscription.email],
        headers={
            # RFC 2369 and RFC 8058: mail programs show their own "Unsubscribe" button, which
            # POSTs "List-Unsubscribe=One-Click" to the link.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _claim(alert: Alert, subscription: Subscription) -> Delivery | None:
    """This run's right to e-mail the subscriber, or None when another run has it or did it.

    A failed delivery may be tried again (the e-mail did not go); one being sent or sent is
    never touched again, so a run that stopped half-way cannot e-mail anyone twice.
    """
    delivery, created = Delivery.objects.get_or_create(alert=alert, subscription=subscription)
    if created:
        return delivery
    claimed = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.SENDING
    )
    return delivery if claimed else None


def alert_deliver_run(*, alert_id: str) -> dict[str, int]:
    """The task body: one e-mail per matching confirmed subscriber, then the send log."""
    alert = Alert.objects.select_related("partnership").filter(pk=alert_id).first()
    if alert is None:
        return {}
    for subscription in alert_recipients(
        partnership=alert.partnership, area=alert.area, topic=alert.topic
    ):
        with transaction.atomic():
            delivery = _claim(alert, subscription)
        if delivery is None:
            continue
        try:
            _alert_message(alert, subscription).send()
        except Exception:  # noqa: BLE001 - one bad address must not stop the others
            delivery.status = Delivery.Status.FAILED
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
        delivery.save(update_fields=["status", "sent_at", "updated_at"])
    return _alert_log(alert)


@transaction.atomic
def _alert_log(alert: Alert) -> dict[str, int]:
    deliveries = Delivery.objects.filter(alert=alert)
    alert.recipients = deliveries.count()
    alert.sent = deliveries.filter(status=Delivery.Status.SENT).count()
    alert.failed = deliveries.filter(status=Delivery.Status.FAILED).count()
    alert.status = Alert.Status.SENT
    alert.finished_at = timezone.now()
    alert.save(
        update_fields=["recipients", "sent", "failed", "status", "finished_at", "updated_at"]
    )
    counts = {"recipients": alert.recipients, "sent": alert.sent, "failed": alert.failed}
    audit_record(
        actor=None,
        verb="alerts.alert_delivered",
        target=alert,
        partnership=alert.partnership,
        summary=counts,
    )
    return counts


# --- the privacy registries (saferplaces.core.privacy) ----------------------------------------


def subscriptions_retention_apply(now: datetime) -> int:
    """Unconfirmed sign-ups go after 7 days; unsubscribed addresses after 30 days."""
    unconfirmed = Subscription.objects.filter(
        status=Subscription.Status.PENDING, consented_at__lt=now - UNCONFIRMED_KEPT
    )
    unsubscribed = Subscription.objects.filter(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at__lt=now - UNSUBSCRIBED_KEPT
    )
    with transaction.atomic():
        removed = unconfirmed.delete()[1].get("alerts.Subscription", 0)
        removed += unsubscribed.delete()[1].get("alerts.Subscription", 0)
    return removed


def _when(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).strftime("%-d %B %Y at %H:%M")


def subscriptions_export(email: str) -> list[dict[str, Any]]:
    rows = Subscription.objects.filter(email=normalise_email(email)).select_related("partnership")
    return [
        {
            "partnership": row.partnership.name,
            "e-mail_address": row.email,
            "areas": _area_names(row.partnership, row.areas),
            "topics": _topic_names(row.topics),
            "status": row.get_status_display(),
            "what_you_agreed_to": row.consent_text,
            "agreed_on": _when(row.consented_at),
            "confirmed_on": _when(row.confirmed_at),
            "unsubscribed_on": _when(row.unsubscribed_at),
            "alerts_sent_to_you": [
                f"{delivery.alert.title} ({_when(delivery.sent_at)})"
                for delivery in row.deliveries.filter(status=Delivery.Status.SENT)
                .select_related("alert")
                .order_by("sent_at")
            ],
        }
        for row in rows
    ]


def subscriptions_erase(email: str) -> int:
    """Delete the address's subscriptions; the alerts' counts keep the deliveries, unnamed."""
    return (
        Subscription.objects.filter(email=normalise_email(email))
        .delete()[1]
        .get("alerts.Subscription", 0)
    )
