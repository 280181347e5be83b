from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from saferplaces.casereview.models import CaseReview
from saferplaces.core.home_panels import public_services

STEP = "casereview_public:step"
RECENT = timezone.localdate() - timedelta(days=20)


def _step(name: str) -> str:
    return reverse(STEP, kwargs={"step": name})


def _fill_to_reports(client, problem="Loud music every night") -> None:
    client.get(reverse("casereview_public:start"))
    assert client.post(_step("who"), {"applicant_kind": "victim"}).status_code == 302
    assert client.post(_step("problem"), {"problem": problem}).status_code == 302
    assert (
        client.post(_step("where"), {"place": "Mill Lane", "postcode": "le19 2ab"}).status_code
        == 302
    )
    assert client.post(_step("site-reports"), {"search_by_email": "on"}).status_code == 302


def _add_report(client, agency="Police", day=str(RECENT.day), month=str(RECENT.month),
                year=str(RECENT.year), ref="LP-1"):  # fmt: skip
    return client.post(
        _step("other-reports"),
        {"agency": agency, "day": day, "month": month, "year": year, "reference": ref, "add": "1"},
    )


def _contact(client):
    return client.post(
        _step("contact"),
        {"applicant_name": "Alex", "email": "alex@example.org", "consent": "on"},
    )


def _key(client) -> str:
    page = client.get(reverse("casereview_public:check")).content.decode()
    return re.search(r'name="submission_key" value="([^"]+)"', page).group(1)


def test_start_page_explains_threshold(client, partnership) -> None:
    page = client.get(reverse("casereview_public:start")).content.decode()
    assert "3 times or more in the last 6 months" in page
    assert "10 working days" in page


def test_home_page_offers_the_case_review(client, partnership) -> None:
    assert any(s.url_name == "casereview_public:start" for s in public_services())
    assert "Ask for an ASB case review" in client.get("/").content.decode()


def test_whole_request_is_stored_once(client, partnership, site_reports) -> None:
    site_reports.add("alex@example.org", "C-2026-00001", RECENT - timedelta(days=5))
    _fill_to_reports(client)
    assert _add_report(client).status_code == 302
    page = client.get(_step("other-reports")).content.decode()
    # What an e-mail address finds is never shown on the page: anyone can type any address.
    assert "We found" not in page
    assert "with your e-mail address" in page
    assert client.post(_step("other-reports"), {"continue": "1"}).status_code == 302
    assert _contact(client).status_code == 302
    key = _key(client)
    check = client.get(reverse("casereview_public:check")).content.decode()
    assert "Check your answers" in check
    assert "LE19 2AB" in check
    first = client.post(reverse("casereview_public:check"), {"submission_key": key})
    second = client.post(reverse("casereview_public:check"), {"submission_key": key})
    assert first.status_code == second.status_code == 302
    assert CaseReview.objects.count() == 1
    case_review = CaseReview.objects.get()
    assert case_review.reports_counted == 2
    sent = client.get(reverse("casereview_public:sent")).content.decode()
    assert case_review.reference in sent
    assert "We will tell you by" in sent
    assert len(mail.outbox) == 1


def test_no_reports_shows_error_and_stores_nothing(client, partnership, site_reports) -> None:
    _fill_to_reports(client)
    client.post(_step("site-reports"), {})
    response = client.post(_step("other-reports"), {"continue": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "at least one report" in page
    assert not CaseReview.objects.exists()


def test_bad_date_for_a_declared_report(client, partnership, site_reports) -> None:
    _fill_to_reports(client)
    response = _add_report(client, day="31", month="2")
    assert response.status_code == 400
    assert "Enter a real date" in response.content.decode()
    future = _add_report(client, year="2099")
    assert "today or in the past" in future.content.decode()


def test_script_in_problem_is_stripped_and_escaped(client, partnership, site_reports) -> None:
    _fill_to_reports(client, problem="<script>alert('x')</script>Shouting <b>at night</b>")
    _add_report(client)
    _contact(client)
    page = client.get(reverse("casereview_public:check")).content.decode()
    assert "<script>alert" not in page
    client.post(reverse("casereview_public:check"), {"submission_key": _key(client)})
    assert CaseReview.objects.get().problem == "Shouting at night"


def test_required_questions_show_error_summary(client, partnership) -> None:
    response = client.post(_step("who"), {"applicant_kind": "on_behalf"})
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter the name of the person" in page
    assert "Confirm they have agreed" in page
    contact = client.post(_step("contact"), {"email": "not-an-address"})
    assert "Enter your name" in contact.content.decode()


def test_honeypot_shows_confirmation_and_stores_nothing(client, partnership, site_reports) -> None:
    _fill_to_reports(client)
    _add_report(client)
    _contact(client)
    response = client.post(
        reverse("casereview_public:check"), {"submission_key": _key(client), "website": "spam"}
    )
    assert response.status_code == 302
    assert "Request sent" in client.get(reverse("casereview_public:sent")).content.decode()
    assert not CaseReview.objects.exists()
    assert not mail.outbox


def test_check_page_sends_an_unfinished_request_back(client, partnership) -> None:
    response = client.get(reverse("casereview_public:check"))
    assert response["Location"] == _step("who")


@override_settings(SAFERPLACES_PUBLIC_FORM_RATE="2/h")
def test_rate_limit(client, partnership) -> None:
    from django.core.cache import cache

    cache.clear()
    for _ in range(2):
        client.post(_step("problem"), {"problem": "x"})
    assert client.post(_step("problem"), {"problem": "x"}).status_code == 429


def test_several_partnerships_ask_for_the_area_first(client, partnership) -> None:
    from tests.saferplaces.factories import PartnershipFactory

    PartnershipFactory()
    response = client.get(_step("who"))
    assert response["Location"] == _step("area")


@pytest.mark.parametrize("url_name", ["casereview_public:figures", "casereview_public:start"])
def test_public_pages_open_without_sign_in(client, partnership, url_name) -> None:
    assert client.get(reverse(url_name)).status_code == 200


def test_reference_numbers_are_found_on_the_page(client, partnership, site_reports) -> None:
    site_reports.add("someone@example.org", "C-2026-00001", RECENT)
    _fill_to_reports(client)
    client.post(_step("site-reports"), {"site_references": "c-2026-00001"})
    page = client.get(_step("other-reports")).content.decode()
    assert "We found 1 report on this website from the reference numbers" in page
    assert client.post(_step("other-reports"), {"continue": "1"}).status_code == 302


def test_email_only_request_with_nothing_found_is_refused_at_the_end(
    client, partnership, site_reports
) -> None:
    _fill_to_reports(client)  # asks to search by e-mail, declares nothing
    assert client.post(_step("other-reports"), {"continue": "1"}).status_code == 302
    _contact(client)
    response = client.post(reverse("casereview_public:check"), {"submission_key": _key(client)})
    assert response.status_code == 400
    assert "at least one report" in response.content.decode()
    assert not CaseReview.objects.exists()


def test_a_declared_report_can_be_removed(client, partnership, site_reports) -> None:
    _fill_to_reports(client)
    _add_report(client, agency="Police")
    _add_report(client, agency="Council")
    assert client.post(_step("other-reports"), {"remove": "0"}).status_code == 302
    page = client.get(_step("other-reports")).content.decode()
    assert "Council" in page
    assert "Reference LP-1" in page
    assert page.count('name="remove"') == 1


def test_change_link_returns_to_check(client, partnership, site_reports) -> None:
    response = client.post(_step("problem") + "?change=1", {"problem": "Graffiti"})
    assert response["Location"] == reverse("casereview_public:check")
