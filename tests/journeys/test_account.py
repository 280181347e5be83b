"""A member's first sign-in sets up two-factor; they manage backup codes, sessions, invitations."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from saferplaces.accounts.models import MembershipInvitation, Role
from tests.journeys.conftest import DESKTOP, PHONE
from tests.journeys.people import (
    PASSWORD,
    blaby_partnership,
    expect_no_sideways_scroll,
    give_authenticator,
    sign_in,
)
from tests.saferplaces.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]


def test_new_member_sets_up_two_factor_then_manages_codes_and_sessions(open_journey):
    cast = blaby_partnership()
    officer = UserFactory(email="alex.khan@leics.police.example.org", full_name="Alex Khan")
    MembershipFactory(
        user=officer,
        organisation=cast.partnership.organisations.get(name="Leicestershire Police"),
        role=Role.PARTNER_OFFICER,
    )
    journey = open_journey(viewport=PHONE)
    page = journey.page

    page.goto(journey.url("/sign-in/"))
    sign_in(page, officer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_text("you must set it up before you can continue")).to_be_visible()
    journey.check("member-set-up-two-factor")

    secret = page.locator(".app-secret").inner_text().replace(" ", "")
    page.get_by_label("Enter the 6-digit code the app shows").fill(
        f"{totp(base64.b32decode(secret)):06d}"
    )
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    codes = page.get_by_role("list", name="Backup codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    expect_no_sideways_scroll(page)
    journey.check("member-backup-codes")
    page.get_by_role("button", name="I have saved my backup codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs your attention")

    # New backup codes need the password again; a wrong one shows the error summary.
    page.goto(journey.url("/account/"))
    expect(page.get_by_text("10 unused")).to_be_visible()
    journey.check("member-account")
    page.get_by_role("link", name="Get new codes").click()
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Get new backup codes").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The password is not correct")
    journey.check("member-reauthenticate-error")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Get new backup codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")

    page.goto(journey.url("/account/sessions/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Where you are signed in")
    expect(page.get_by_role("heading", name="This browser")).to_be_visible()
    expect_no_sideways_scroll(page)
    journey.check("member-sessions")


def test_existing_account_accepts_an_invitation(open_journey):
    cast = blaby_partnership()
    person = UserFactory(email="chris.lee@nwleics.example.org", full_name="Chris Lee")
    give_authenticator(person)
    MembershipFactory(user=person, organisation=OrganisationFactory(), role=Role.ANALYST)
    MembershipInvitation.objects.create(
        user=person,
        organisation=cast.partnership.organisations.get(name="Blaby District Council"),
        role=Role.VIEWER,
        invited_by=cast.manager,
    )
    journey = open_journey(viewport=DESKTOP)
    page = journey.page

    page.goto(journey.url("/sign-in/"))
    sign_in(page, person.email)
    page.get_by_role("link", name=re.compile(r"^Join Blaby Community Safety Partnership")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Join Blaby Community Safety Partnership?"
    )
    journey.check("invitation")
    page.get_by_role("button", name="Accept and join").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You have joined Blaby Community Safety Partnership."
    )
    expect(page.get_by_text("Read-only viewer, Blaby District Council")).to_be_visible()
