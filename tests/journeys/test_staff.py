"""Partnership staff: sign in, manage members, read the audit log; also without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.journeys.conftest import DESKTOP, PHONE
from tests.journeys.people import blaby_partnership, sign_in, sign_out

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]


def test_manager_invites_a_member_fixing_a_mistake_then_reads_the_audit_log(open_journey):
    cast = blaby_partnership()
    journey = open_journey(viewport=DESKTOP)
    page = journey.page

    page.goto(journey.url("/"))
    page.get_by_role("link", name="Staff sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    journey.check("manager-sign-in")
    sign_in(page, cast.manager.email)

    # Staff home, with the manager's partnership and role.
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs your attention")
    expect(page.get_by_role("heading", name=cast.partnership.name)).to_be_visible()
    expect(page.get_by_text("Partnership manager, Blaby District Council")).to_be_visible()
    journey.check("manager-staff-home")

    page.get_by_role("navigation", name="Account").get_by_role("link", name="Partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cast.partnership.name)
    expect(page.get_by_role("cell", name="Leicestershire Police")).to_be_visible()
    journey.check("manager-partnership")

    # A mistake in the e-mail address: the error summary appears, takes focus, links to the field.
    page.get_by_role("button", name="Invite a member").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite a member")
    page.get_by_label("E-mail address").fill("jo.bloggs@leicestershire")
    page.get_by_label("Full name").fill("Jo Bloggs")
    page.get_by_label("Organisation").select_option(label="Leicestershire Police")
    page.get_by_label("Analyst").check()
    page.get_by_role("button", name="Send invitation").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary.get_by_role("link")).to_have_text(
        "Enter an e-mail address in the correct format, like name@example.org"
    )
    # The answers the person gave are kept.
    expect(page.get_by_label("Full name")).to_have_value("Jo Bloggs")
    expect(page.get_by_label("Analyst")).to_be_checked()
    journey.check("manager-invite-error")

    summary.get_by_role("link").click()
    expect(page.get_by_label("E-mail address")).to_be_focused()
    page.get_by_label("E-mail address").fill("jo.bloggs@leicestershire.example.org")
    page.get_by_role("button", name="Send invitation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(cast.partnership.name)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "jo.bloggs@leicestershire.example.org added and sent an e-mail."
    )
    expect(page.get_by_role("cell", name="Jo Bloggs")).to_be_visible()
    assert [message.to for message in mail.outbox] == [["jo.bloggs@leicestershire.example.org"]]
    journey.check("manager-invite-done")

    page.get_by_role("navigation", name="Account").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    events = page.get_by_role("table")
    expect(events.get_by_role("row").filter(has_text="Added a member")).to_have_count(1)
    expect(events.get_by_role("row").filter(has_text="Signed in with password")).to_have_count(1)
    journey.check("manager-audit-log")

    sign_out(page)
    journey.check("manager-signed-out")
    page.goto(journey.url("/staff/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_failed_sign_in_shows_errors_and_reaches_the_managers_audit_log(open_journey):
    cast = blaby_partnership()
    journey = open_journey(viewport=PHONE)
    page = journey.page

    page.goto(journey.url("/sign-in/"))
    sign_in(page, cast.manager.email, password="not the password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter a correct e-mail address and password")
    expect(page).to_have_title(re.compile(r"^Error: "))
    # The password is never sent back to the browser.
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    journey.check("failed-sign-in-phone")

    sign_in(page, cast.manager.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs your attention")
    # On a phone the service navigation folds into a "Menu" button (JavaScript on); the
    # account bar (partnership, audit log, your account, sign out) stays in view.
    page.get_by_role("button", name="Menu").click()
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Residents")
    ).to_be_visible()
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    journey.check("failed-sign-in-audit-log-phone")
    failures = page.get_by_role("row").filter(has_text="Failed sign-in")
    expect(failures).to_have_count(1)


def test_staff_member_signs_in_and_out_without_javascript(open_journey):
    cast = blaby_partnership()
    journey = open_journey(viewport=PHONE, javascript=False)
    page = journey.page

    page.goto(journey.url("/"))
    assert not page.evaluate("() => document.body.classList.contains('js-enabled')")
    page.get_by_role("link", name="Staff sign in").click()
    journey.check("no-js-sign-in")

    sign_in(page, cast.manager.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs your attention")
    # Without JavaScript the navigation is a plain list, not hidden behind a Menu button.
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Residents")).to_be_visible()
    journey.check("no-js-staff-home")

    page.get_by_role("link", name="Invite a member").click()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the person's e-mail address"
    )
    journey.check("no-js-invite-error")

    sign_out(page)
