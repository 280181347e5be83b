"""The ASB case review (Community Trigger) in a browser, from request to published figures.

A resident on a phone (375 px) reads what a case review is, tries to send a request with no
reports (refused on the page), adds three reports to other agencies, checks the answers and
gets a reference number. The partnership manager decides the threshold is met with Blaby
District Council leading, records the multi-agency review with a recommendation and sends the
outcome. The public figures page then counts one application, one review and one review with
recommendations. Every page is checked with axe.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from saferplaces.casereview.models import CaseReview, Status
from tests.journeys.conftest import DESKTOP
from tests.journeys.people import blaby_partnership, expect_no_sideways_scroll, sign_in

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

PHONE_375 = {"width": 375, "height": 812}


def _add_report(page: Any, agency: str, day: Any, reference: str = "") -> None:
    page.get_by_label("Who did you report it to?").fill(agency)
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Their reference number (optional)").fill(reference)
    page.get_by_role("button", name="Add this report").click()


def test_resident_requests_a_case_review_and_staff_review_it(open_journey: Any) -> None:
    cast = blaby_partnership()
    today = timezone.localdate()
    journey = open_journey(viewport=PHONE_375)
    page = journey.page

    page.goto(journey.url("/"))
    page.get_by_role("link", name="Ask for an ASB case review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ask for an anti-social behaviour case review"
    )
    expect(page.get_by_text("3 times or more in the last 6 months")).to_be_visible()
    expect_no_sideways_scroll(page)
    journey.check("casereview-start-375")
    page.get_by_role("button", name="Start now").click()

    page.get_by_label("I am the victim").check()
    journey.check("casereview-who-375")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What is the problem?").fill(
        "Loud music and shouting from the house next door most nights after midnight."
    )
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Where is it happening?").fill("Church Street, Narborough")
    page.get_by_label("Postcode (optional)").fill("LE19 2AB")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Have you reported it on this website?"
    )
    journey.check("casereview-site-reports-375")
    # They have not reported it on this site, so nothing is looked up by e-mail address.
    page.get_by_label("Also count reports I made on this website").uncheck()
    page.get_by_role("button", name="Continue").click()

    # No reports at all: refused on the page, with the error summary.
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("at least one report")
    journey.check("casereview-no-reports-375")
    _add_report(page, "Leicestershire Police (101)", today - timedelta(days=60), "LP-2291")
    _add_report(page, "Blaby District Council", today - timedelta(days=30))
    _add_report(page, "Housing association", today - timedelta(days=10), "H-7")
    expect(page.get_by_text("Reports you have added")).to_be_visible()
    journey.check("casereview-other-reports-375")
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Your full name").fill("Jo Resident")
    page.get_by_label("Your e-mail address").fill("jo@example.org")
    page.get_by_label("I agree that the partnership may use these details").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your request"
    )
    expect_no_sideways_scroll(page)
    journey.check("casereview-check-375")
    page.get_by_role("button", name="Accept and send").click()

    case_review = CaseReview.objects.get()
    expect(page.locator(".govuk-panel")).to_contain_text(case_review.reference)
    assert case_review.reports_counted == 3
    journey.check("casereview-sent-375")
    assert case_review.reference in mail.outbox[0].subject

    # The partnership manager decides, records the review and sends the outcome.
    staff = open_journey(viewport=DESKTOP)
    page = staff.page
    page.goto(staff.url("/sign-in/"))
    sign_in(page, cast.manager.email)
    page.goto(staff.url("/staff/residents/"))
    expect(page.get_by_text("1 case review waiting for a decision")).to_be_visible()
    page.get_by_role("link", name="ASB case reviews").click()
    expect(page.get_by_text("working days left")).to_be_visible()
    staff.check("casereview-staff-list")
    page.get_by_role("link", name=case_review.reference).click()
    expect(page.get_by_text("Loud music and shouting")).to_be_visible()
    staff.check("casereview-staff-detail")
    page.get_by_role("button", name="Decide the threshold").click()
    page.get_by_label("Yes: hold a case review").check()
    page.get_by_label("Organisation leading the review").select_option(
        label="Blaby District Council"
    )
    page.get_by_label("Reason").fill("Three reports about the same noise in two months.")
    staff.check("casereview-staff-threshold")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Decision saved")).to_be_visible()

    page.get_by_role("button", name="Record the review").click()
    page.get_by_label("Date the review was held").fill(today.isoformat())
    page.get_by_label("Blaby District Council").check()
    page.get_by_label("Leicestershire Police").check()
    page.get_by_label("Findings").fill("The reports were handled separately; nobody visited.")
    page.get_by_label("Decision of the review").fill("A joint visit and noise monitoring.")
    staff.check("casereview-staff-review")
    page.get_by_role("button", name="Save the review").click()
    page.get_by_role("button", name="Add a recommendation").click()
    page.get_by_label("Recommendation").fill("Install noise monitoring for four weeks")
    page.get_by_label("Organisation responsible").select_option(label="Blaby District Council")
    page.get_by_label("Due date").fill((today + timedelta(days=28)).isoformat())
    page.get_by_role("button", name="Add the recommendation").click()
    expect(page.get_by_text("Install noise monitoring for four weeks")).to_be_visible()
    page.get_by_role("button", name="Send the outcome").click()
    page.get_by_role("button", name="Send the outcome").click()
    expect(page.get_by_text("Outcome sent to the applicant by e-mail")).to_be_visible()
    staff.check("casereview-staff-outcome-sent")
    assert CaseReview.objects.get().status == Status.OUTCOME_SENT
    assert "Install noise monitoring" in mail.outbox[-1].body

    # The published figures count it.
    page.goto(staff.url("/case-reviews/figures/"))
    row = page.locator("tbody tr").first
    expect(row.locator("td")).to_have_text(["1", "0", "1", "1"])
    staff.check("casereview-figures")


def test_resident_without_javascript_requests_a_case_review(open_journey: Any) -> None:
    blaby_partnership()
    today = timezone.localdate()
    journey = open_journey(viewport=PHONE_375, javascript=False)
    page = journey.page
    page.goto(journey.url("/case-reviews/"))
    page.get_by_role("button", name="Start now").click()
    # Asking for someone else without their name or consent: both refused on the page.
    page.get_by_label("I am asking for someone else, with their consent").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the person")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm they have agreed")
    journey.check("casereview-who-error-nojs")
    page.get_by_label("If you are asking for someone else: their name").fill("Pat Neighbour")
    page.get_by_label("They have agreed to me asking").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What is the problem?").fill("Drug dealing outside the house every day.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Where is it happening?").fill("Enderby Road")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()
    _add_report(page, "Police", today - timedelta(days=5))
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your full name").fill("Sam Helper")
    page.get_by_label("Your e-mail address").fill("sam@example.org")
    page.get_by_label("I agree that the partnership may use these details").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("for Pat Neighbour")).to_be_visible()
    page.get_by_role("button", name="Accept and send").click()
    case_review = CaseReview.objects.get()
    expect(page.locator(".govuk-panel")).to_contain_text(case_review.reference)
    assert case_review.victim_name == "Pat Neighbour"
    assert not case_review.meets_threshold_on_count
    journey.check("casereview-sent-nojs")
