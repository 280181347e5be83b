"""The people and partnership the journeys use, and the steps every staff journey shares."""

from __future__ import annotations

from dataclasses import dataclass

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from saferplaces.accounts.models import OrganisationType, Partnership, Role, User
from tests.saferplaces.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

PASSWORD = TEST_PASSWORD


@dataclass
class Cast:
    partnership: Partnership
    manager: User


def blaby_partnership() -> Cast:
    """One partnership with two organisations and a manager (a realistic small CSP)."""
    partnership = PartnershipFactory(
        name="Blaby Community Safety Partnership",
        gss_code="E22000130",
        lad_codes=["E07000129"],
        police_force="leicestershire",
        public_summary="Blaby District Council, Leicestershire Police and partners working "
        "together to reduce crime and antisocial behaviour.",
    )
    council = OrganisationFactory(partnership=partnership, name="Blaby District Council")
    OrganisationFactory(
        partnership=partnership, name="Leicestershire Police", type=OrganisationType.POLICE
    )
    manager = UserFactory(email="sam.patel@blaby.example.org", full_name="Sam Patel")
    give_authenticator(manager)
    MembershipFactory(user=manager, organisation=council, role=Role.PARTNERSHIP_MANAGER)
    return Cast(partnership=partnership, manager=manager)


def give_authenticator(user: User) -> TOTPDevice:
    """A confirmed authenticator app, as a member who finished the first sign-in has."""
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def authenticator_code(email: str) -> str:
    """The code the person's authenticator app shows now (django-otp refuses a code twice, so
    a second sign-in within the same 30 seconds gets the next step's code, within tolerance)."""
    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    app = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if app.t() <= device.last_t:
        app.drift += device.last_t + 1 - app.t()
    return f"{app.token():06d}"


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Fill in and send the sign-in form; enter the authenticator code if one is asked for."""
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/sign-in/two-factor/" in page.url:
        page.get_by_label("Security code").fill(authenticator_code(email))
        page.get_by_role("button", name="Continue").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def expect_no_sideways_scroll(page: Page) -> None:
    """WCAG 1.4.10 Reflow: at 320 CSS px and up, nothing should need horizontal scrolling."""
    # A heading can be on screen before the stylesheets have loaded (a first, uncached visit):
    # measure the laid-out page, not the unstyled one.
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        # Name the widest elements that stick out, so a failure says what to fix.
        culprits = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth
                             && !(e.parentElement && e.parentElement.closest('.app-table-scroll')))
                .slice(-5)
                .map(e => e.tagName + '.' + e.className + ' "' + (e.textContent || '').trim()
                          .slice(0, 60) + '"')"""
        )
        raise AssertionError(f"{page.url} scrolls sideways by {overflow}px: {culprits}")
