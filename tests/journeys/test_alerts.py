"""A resident on a phone signs up for alerts, confirms from the e-mail, gets an alert and
unsubscribes with the link in it; then asks for their data and deletes it."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail
from playwright.sync_api import expect

from saferplaces.accounts.models import Role
from saferplaces.alerts import services
from saferplaces.alerts.models import Subscription
from tests.journeys.conftest import DESKTOP
from tests.journeys.people import blaby_partnership, expect_no_sideways_scroll, sign_in

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

PHONE_375 = {"width": 375, "height": 812}
EMAIL = "jo.resident@example.org"


def _path(body: str, prefix: str) -> str:
    found = re.search(r"https?://[^/\s]+(" + re.escape(prefix) + r"\S+)", body)
    assert found, body
    return found.group(1)


def test_resident_signs_up_confirms_gets_an_alert_and_unsubscribes(open_journey) -> None:
    cast = blaby_partnership()
    mail.outbox.clear()
    journey = open_journey(viewport=PHONE_375)
    page = journey.page

    page.goto(journey.url("/"))
    page.get_by_role("link", name="Get alerts for your area").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get alerts for your area")
    journey.check("alerts-phone-signup")

    # One area in this partnership: nothing to choose, the start page goes on.
    expect(page.get_by_text("Alerts cover the area of " + cast.partnership.name)).to_be_visible()
    page.get_by_role("button", name="Start now").click()

    # One question per page; an empty answer shows the GOV.UK error summary.
    expect(page.get_by_role("heading", level=1)).to_have_text("What do you want alerts about?")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one topic")
    journey.check("alerts-phone-topics-error")
    page.get_by_label("Community meetings and forums").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What is your e-mail address?")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your e-mail address")
    journey.check("alerts-phone-email-errors")
    page.get_by_label("What is your e-mail address?").fill(EMAIL)
    page.get_by_label("I agree to get alerts by e-mail").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    expect_no_sideways_scroll(page)
    journey.check("alerts-phone-check-email")
    assert Subscription.objects.get().status == "pending"

    # The confirmation link from the e-mail (the locmem outbox).
    confirmation = next(m for m in mail.outbox if m.to == [EMAIL])
    page.goto(journey.url(_path(confirmation.body, "/alerts/confirm/")))
    journey.check("alerts-phone-confirm")
    page.get_by_role("button", name="Confirm and start my alerts").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("You will get alerts")
    journey.check("alerts-phone-confirmed")

    # Staff send an alert (the task runs at once in tests).
    services.alert_send(
        partnership=cast.partnership, by=cast.manager, roles={Role.PARTNERSHIP_MANAGER},
        title="Residents' meeting on Thursday", body="7pm at the library. All welcome.",
        area="all", topic="meetings", key=uuid.uuid4(),
    )  # fmt: skip
    alert = next(m for m in mail.outbox if m.subject == "Residents' meeting on Thursday")
    assert alert.to == [EMAIL]
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    page.goto(journey.url(_path(alert.body, "/alerts/unsubscribe/")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe from alerts")
    journey.check("alerts-phone-unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("You have unsubscribed")
    expect_no_sideways_scroll(page)
    journey.check("alerts-phone-unsubscribed")
    assert Subscription.objects.get().status == "unsubscribed"

    # Then the resident deletes what is left, from the link the privacy page e-mails.
    page.get_by_role("link", name="ask for your data to be deleted").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Get a copy of your data or delete it"
    )
    journey.check("privacy-phone-request")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    access = next(m for m in mail.outbox if m.subject == "Your data: your link")
    page.goto(journey.url(_path(access.body, "/your-data/")))
    expect(page.get_by_role("heading", level=2, name="E-mail alerts")).to_be_visible()
    journey.check("privacy-phone-your-data")
    page.get_by_role("button", name="Delete my data").click()
    journey.check("privacy-phone-delete-confirm")
    page.get_by_role("button", name="Yes, delete my data").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your data has been deleted")
    journey.check("privacy-phone-deleted")
    assert not Subscription.objects.exists()


def test_manager_writes_previews_and_sends_an_alert_seeing_counts_only(open_journey) -> None:
    cast = blaby_partnership()
    for n in range(3):
        services.subscription_request(
            partnership=cast.partnership, email=f"person{n}@example.org", areas=["all"],
            topics=["crime"], key=uuid.uuid4(),
        )  # fmt: skip
    Subscription.objects.exclude(email="person2@example.org").update(status="confirmed")
    mail.outbox.clear()
    journey = open_journey(viewport=DESKTOP)
    page = journey.page
    page.goto(journey.url("/sign-in/"))
    sign_in(page, cast.manager.email)

    page.goto(journey.url("/staff/residents/"))
    page.get_by_role("link", name="Alerts to residents").click()
    expect(page.get_by_text("2 people have confirmed their address")).to_be_visible()
    assert "example.org" not in page.content()
    journey.check("alerts-staff-list")

    page.get_by_role("button", name="Write an alert").click()
    page.get_by_role("button", name="Preview the alert").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a title for the alert")
    journey.check("alerts-staff-new-errors")
    page.get_by_label("Title").fill("Bike marking at the leisure centre")
    page.get_by_label("Message").fill("Saturday 10am to 2pm.\nBring your bike and proof of ID.")
    page.get_by_label("Crime and antisocial behaviour updates").check()
    page.get_by_role("button", name="Preview the alert").click()
    expect(page.get_by_text("This alert will go to 2 people")).to_be_visible()
    assert "example.org" not in page.content()
    journey.check("alerts-staff-preview")
    page.get_by_role("button", name="Send the alert").click()
    expect(page.get_by_role("cell", name="2 of 2")).to_be_visible()
    journey.check("alerts-staff-sent")
    assert sorted(m.to[0] for m in mail.outbox) == ["person0@example.org", "person1@example.org"]
