"""The audit page: GOV.UK date input, records named and linked, table in a scroll region."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from saferplaces.audit.services import audit_record
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)


def _page(client: Any, **params: str) -> str:
    response = client.get(reverse("audit:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def _dates(prefix: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{prefix}-day": day, f"{prefix}-month": month, f"{prefix}-year": year}


def test_filter_uses_the_gov_uk_date_input(client: Any, sign_in_as: Any) -> None:
    sign_in_as(client, "system_admin")
    html = _page(client)
    assert 'type="date"' not in html
    assert "2025-04-01" not in html
    for part in ("day", "month", "year"):
        assert f'name="date_from-{part}"' in html
        assert f'name="date_to-{part}"' in html
    assert "govuk-date-input" in html
    assert "For example, 1 4 2025" in html


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "at_fault"),
    [
        ("31", "2", "2025", "From date must be a real date", {"day", "month", "year"}),
        ("1", "", "2025", "From date must include a month", {"month"}),
        ("", "", "2025", "From date must include a day and month", {"day", "month"}),
        ("1", "4", "25", "Year must include 4 numbers", {"year"}),
        ("1", "April", "2025", "From date must be a real date", {"day", "month", "year"}),
    ],
)
def test_invalid_dates_get_gov_uk_messages(
    client: Any, sign_in_as: Any, day: str, month: str, year: str, message: str, at_fault: set[str]
) -> None:
    sign_in_as(client, "system_admin")
    html = _page(client, **_dates("date_from", day, month, year))
    assert "govuk-error-summary" in html
    assert html.count(message) == 2  # in the summary and above the field
    tags = re.finditer(r'<input[^>]*id="id_date_from-(day|month|year)"[^>]*>', html)
    inputs = {tag.group(1): tag.group(0) for tag in tags}
    assert {part for part, tag in inputs.items() if "govuk-input--error" in tag} == at_fault
    first = min(at_fault, key=["day", "month", "year"].index)
    assert f'href="#id_date_from-{first}"' in html
    assert f'value="{year}"' in inputs["year"]


def test_date_filter_keeps_only_events_in_range(client: Any, sign_in_as: Any) -> None:
    sign_in_as(client, "system_admin")
    audit_record(actor=None, verb="organisation.created")
    html = _page(
        client, **_dates("date_from", "1", "1", "2020"), **_dates("date_to", "2", "1", "2020")
    )
    assert "No events match" in html


def test_record_column_names_the_record_and_links_where_allowed(
    client: Any, sign_in_as: Any
) -> None:
    mine = PartnershipFactory(name="North West Leicestershire CSP")
    manager = sign_in_as(client, "partnership_manager", partnership=mine)
    member = MembershipFactory(organisation=OrganisationFactory(partnership=mine))
    audit_record(actor=manager, verb="partnership.created", target=mine, partnership=mine)
    audit_record(actor=manager, verb="membership.added", target=member, partnership=mine)
    audit_record(actor=None, verb="auth.sign_in_failed", target=member.user)

    html = _page(client)

    detail = reverse("accounts:partnership_detail", kwargs={"partnership_id": mine.pk})
    assert (
        f'<a class="govuk-link" href="{detail}">Partnership: North West Leicestershire CSP</a>'
        in html
    )
    assert f"Membership: {member.user.email}, {member.organisation.name}" in html
    assert f"User: {member.user.email}" in html
    table = html[html.index("<table") : html.index("</table>")]
    assert "accounts.partnership" not in table
    assert str(mine.pk) not in table.replace(detail, "")


def test_record_is_linked_only_where_the_reader_may_open_it(
    client: Any, sign_in_as: Any, partnership: Any
) -> None:
    sign_in_as(client, "partnership_manager", partnership=partnership)
    other = PartnershipFactory(name="Elsewhere CSP")
    # An event of the reader's partnership about a partnership the reader cannot open.
    audit_record(actor=None, verb="access.hidden_object", target=other, partnership=partnership)
    html = _page(client)
    assert "Partnership: Elsewhere CSP" in html
    assert reverse("accounts:partnership_detail", kwargs={"partnership_id": other.pk}) not in html


def test_removed_record_and_pages_are_described(client: Any, sign_in_as: Any) -> None:
    sign_in_as(client, "system_admin")
    audit_record(
        actor=None,
        verb="membership.removed",
        object_type="accounts.membership",
        object_id="7a1b2c3d-0000-4000-8000-000000000000",
    )
    audit_record(actor=UserFactory(), verb="access.forbidden", object_type="url", object_id="/x/")
    html = _page(client)
    assert "Membership: removed" in html
    assert "Page: /x/" in html


def test_table_sits_in_its_own_labelled_scroll_region(client: Any, sign_in_as: Any) -> None:
    sign_in_as(client, "system_admin")
    audit_record(actor=None, verb="organisation.created")
    html = _page(client)
    region = re.search(r"<div ([^>]*app-table-scroll[^>]*)>\s*<table", html)
    assert region is not None, "the table must be wrapped in the scroll region"
    attributes = region.group(1)
    assert 'role="region"' in attributes
    assert 'aria-label="Audit events"' in attributes
    assert 'tabindex="0"' in attributes
