"""A board member and a manager on a 320 px phone: no page scrolls sideways (WCAG 1.4.10).

Members with long e-mail addresses make the widest content the pages have: the members table
(which scrolls inside its own labelled region) and headings that name an e-mail address (which
wrap). ``Journey.check`` measures every page at 320 px (``expect_reflow`` in conftest.py).
"""

from __future__ import annotations

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from saferplaces.accounts.models import Role, User
from tests.journeys.conftest import NARROW
from tests.journeys.people import PASSWORD, blaby_partnership
from tests.saferplaces.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

LONG_EMAIL = "firstname.middlename.lastname.community-safety@northwestleicestershire.example.gov.uk"


def _sign_in_with_authenticator(page: Page, user: User) -> None:
    """Sign in with the password and, when asked, the code of the person's authenticator app."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/sign-in/two-factor/" in page.url:
        device.refresh_from_db()
        app = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        if app.t() <= device.last_t:  # a code is accepted once: use the next step's
            app.drift += device.last_t + 1 - app.t()
        page.get_by_label("Security code").fill(f"{app.token():06d}")
        page.get_by_role("button", name="Continue").click()


def test_board_member_and_manager_pages_fit_320_px(open_journey):
    cast = blaby_partnership()
    council = cast.manager.memberships.first().organisation
    board = UserFactory(email=LONG_EMAIL, full_name="Alexandra Montgomery-Fotheringham")
    member = MembershipFactory(user=board, organisation=council, role=Role.BOARD_MEMBER)

    journey = open_journey(viewport=NARROW)
    page = journey.page
    page.goto(journey.url("/sign-in/"))
    _sign_in_with_authenticator(page, board)
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs your attention")
    journey.check("board-staff-home")
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cast.partnership.name)
    members = page.get_by_role("region", name="Members (scrolls sideways)")
    expect(members.get_by_role("cell", name=LONG_EMAIL)).to_have_count(1)
    journey.check("board-partnership")
    page.goto(journey.url("/account/"))
    journey.check("board-account")

    manager = open_journey(viewport=NARROW)
    page = manager.page
    page.goto(manager.url("/sign-in/"))
    _sign_in_with_authenticator(page, cast.manager)
    base = f"/staff/partnerships/{cast.partnership.pk}/members/{member.pk}"
    page.goto(manager.url(f"{base}/remove/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(LONG_EMAIL)
    manager.check("manager-member-remove")
    page.goto(manager.url(f"{base}/role/"))
    manager.check("manager-member-change")
