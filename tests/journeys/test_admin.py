"""A system administrator must set up two-factor authentication before anything else."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.journeys.conftest import DESKTOP
from tests.journeys.people import sign_in
from tests.saferplaces.factories import UserFactory

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]


def test_system_administrator_is_sent_to_set_up_two_factor_first(open_journey):
    admin = UserFactory(email="it.admin@blaby.example.org", is_system_admin=True)
    journey = open_journey(viewport=DESKTOP)
    page = journey.page

    page.goto(journey.url("/sign-in/"))
    sign_in(page, admin.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_text("you must set up two-factor authentication")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    journey.check("admin-set-up-two-factor")

    # Nothing else opens until two-factor is set up; afterwards the last page asked for opens.
    for path in ("/admin/", "/staff/audit/", "/staff/"):
        page.goto(journey.url(path))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Set up two-factor authentication"
        )

    # A wrong code is refused with an error summary.
    page.get_by_label("Enter the 6-digit code the app shows").fill("000000")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    journey.check("admin-set-up-two-factor-error")

    # The person types the key into their authenticator app; we play the app.
    secret = page.locator(".app-secret").inner_text().replace(" ", "")
    code = f"{totp(base64.b32decode(secret)):06d}"
    page.get_by_label("Enter the 6-digit code the app shows").fill(code)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_text("Two-factor authentication is set up.")).to_be_visible()
    # Ten backup codes, shown once, then on to the page first asked for.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    expect(page.get_by_role("list", name="Backup codes").get_by_role("listitem")).to_have_count(10)
    journey.check("admin-backup-codes")
    page.get_by_role("button", name="I have saved my backup codes").click()
    expect(page.get_by_role("link", name="Add a partnership")).to_be_visible()
    journey.check("admin-staff-home")
