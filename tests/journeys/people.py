"""The people and partnership the journeys use, and the steps every staff journey shares."""

from __future__ import annotations

from dataclasses import dataclass

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
    MembershipFactory(user=manager, organisation=council, role=Role.PARTNERSHIP_MANAGER)
    return Cast(partnership=partnership, manager=manager)


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Fill in and send the sign-in form on the current page."""
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def expect_no_sideways_scroll(page: Page) -> None:
    """WCAG 1.4.10 Reflow: at 320 CSS px and up, nothing should need horizontal scrolling."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
