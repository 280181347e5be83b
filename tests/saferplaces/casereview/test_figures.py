from __future__ import annotations

from datetime import date

from django.urls import reverse

from saferplaces.accounts.models import Role
from saferplaces.casereview import services
from saferplaces.casereview.selectors import figures_by_year
from tests.saferplaces.casereview.factories import member, submitted
from tests.saferplaces.factories import OrganisationFactory

MANAGER = {Role.PARTNERSHIP_MANAGER}


def _reviewed(partnership, held_on, with_recommendation):
    case_review = submitted(partnership, today=date(2025, 5, 1))
    manager = member(partnership)
    lead = OrganisationFactory(partnership=partnership)
    services.case_review_decide_threshold(
        case_review=case_review, by=manager, roles=MANAGER, met=True, reason="Met",
        lead_organisation=lead, today=date(2025, 5, 2),
    )  # fmt: skip
    services.case_review_record_review(
        case_review=case_review, by=manager, roles=MANAGER, lead_organisation_ids=set(),
        held_on=held_on, agencies=[lead], other_agencies="", findings="f", decision="d",
        today=held_on,
    )  # fmt: skip
    if with_recommendation:
        services.recommendation_add(
            case_review=case_review, by=manager, roles=MANAGER, lead_organisation_ids=set(),
            text="Visit", owner_organisation=lead, due_date=date(2025, 7, 1),
        )  # fmt: skip
    return case_review


def _figures(partnership, site_reports):
    _reviewed(partnership, date(2025, 5, 20), with_recommendation=True)
    _reviewed(partnership, date(2025, 6, 1), with_recommendation=False)
    refused = submitted(partnership, today=date(2025, 9, 1))
    services.case_review_decide_threshold(
        case_review=refused, by=member(partnership), roles=MANAGER, met=False, reason="no",
        today=date(2025, 9, 3),
    )  # fmt: skip
    submitted(partnership, today=date(2025, 3, 31))  # the year before (2024-25)


def test_figures_counted_from_the_records(partnership, site_reports):
    _figures(partnership, site_reports)
    years = figures_by_year(partnership=partnership)
    assert [(y.label, y.applications, y.threshold_not_met, y.reviews,
             y.reviews_with_recommendations) for y in years] == [
        ("April 2025 to March 2026", 3, 1, 2, 1),
        ("April 2024 to March 2025", 1, 0, 0, 0),
    ]  # fmt: skip


def test_figures_page_and_csv(client, partnership, site_reports):
    _figures(partnership, site_reports)
    page = client.get(reverse("casereview_public:figures")).content.decode()
    assert "April 2025 to March 2026" in page
    assert "What each figure counts" in page
    assert "alex@example.org" not in page
    response = client.get(reverse("casereview_public:figures_csv"))
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "April 2025 to March 2026,3,1,2,1" in body
