"""What gets written to the audit log, and who may read it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from saferplaces.audit.models import AuditEvent
from saferplaces.audit.services import audit_record
from tests.saferplaces.factories import TEST_PASSWORD, UserFactory


def verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("occurred_at").values_list("verb", flat=True))


def test_sign_in_success_is_audited(client: Any, db: Any) -> None:
    user = UserFactory()
    client.post(reverse("accounts:sign_in"), {"email": user.email, "password": TEST_PASSWORD})
    event = AuditEvent.objects.get(verb="auth.signed_in")
    assert event.actor == user
    assert event.action == "sign_in"
    assert event.ip_address == "127.0.0.1"


def test_sign_in_failure_is_audited_without_the_typed_email(client: Any, db: Any) -> None:
    user = UserFactory()
    client.post(reverse("accounts:sign_in"), {"email": user.email, "password": "wrong password"})
    event = AuditEvent.objects.get(verb="auth.sign_in_failed")
    assert event.actor is None
    assert event.object_id == str(user.pk)
    assert user.email not in str(event.summary)


def test_sign_out_is_audited(client: Any, sign_in_as: Any) -> None:
    user = sign_in_as(client, "viewer")
    client.post(reverse("accounts:sign_out"))
    assert AuditEvent.objects.get(verb="auth.signed_out").actor == user


def test_login_required_redirect_is_audited(client: Any, db: Any) -> None:
    response = client.get(reverse("accounts:staff_home"))
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="access.sign_in_required")
    assert event.action == "access_denied"
    assert event.object_id == reverse("accounts:staff_home")


def test_forbidden_is_audited(client: Any, sign_in_as: Any) -> None:
    user = sign_in_as(client, "viewer")
    assert client.get(reverse("accounts:partnership_add")).status_code == 403
    event = AuditEvent.objects.get(verb="access.forbidden")
    assert event.actor == user


def test_hidden_object_is_audited_as_a_404(client: Any, sign_in_as: Any, partnership: Any) -> None:
    user = sign_in_as(client, "outsider")
    url = reverse("accounts:partnership_detail", kwargs={"partnership_id": partnership.pk})
    assert client.get(url).status_code == 404
    event = AuditEvent.objects.get(verb="access.hidden_object")
    assert event.actor == user
    assert event.partnership == partnership
    assert event.object_id == str(partnership.pk)


def test_unknown_object_is_a_404_without_an_event(client: Any, sign_in_as: Any) -> None:
    sign_in_as(client, "viewer")
    url = reverse(
        "accounts:partnership_detail",
        kwargs={"partnership_id": "00000000-0000-0000-0000-000000000000"},
    )
    assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(verb="access.hidden_object").exists()


def test_audit_page_lists_only_the_managers_partnership(
    client: Any, sign_in_as: Any, partnership: Any
) -> None:
    from tests.saferplaces.factories import PartnershipFactory

    other = PartnershipFactory()
    audit_record(actor=None, verb="organisation.created", partnership=partnership)
    audit_record(actor=None, verb="organisation.created", partnership=other)
    sign_in_as(client, "partnership_manager", partnership=partnership)

    response = client.get(reverse("audit:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert partnership.name in html
    assert other.name not in html


def test_audit_page_filters_and_paginates(client: Any, sign_in_as: Any, partnership: Any) -> None:
    for _ in range(55):
        audit_record(actor=None, verb="organisation.created", partnership=partnership)
    sign_in_as(client, "system_admin")

    first = client.get(reverse("audit:list"), {"verb": "organisation.created"})
    second = client.get(reverse("audit:list"), {"verb": "organisation.created", "page": 2})

    assert "55 in all" in first.content.decode()
    assert "govuk-pagination" in first.content.decode()
    assert second.status_code == 200


def test_audit_filter_errors_show_the_error_summary(client: Any, sign_in_as: Any) -> None:
    sign_in_as(client, "system_admin")
    response = client.get(
        reverse("audit:list"),
        {
            "date_from-day": "1",
            "date_from-month": "5",
            "date_from-year": "2025",
            "date_to-day": "1",
            "date_to-month": "4",
            "date_to-year": "2025",
        },
    )
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "To date must be the same as or after the from date" in html


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_audit_page_refuses_writes(client: Any, sign_in_as: Any, method: str) -> None:
    sign_in_as(client, "system_admin")
    response = getattr(client, method)(reverse("audit:list"))
    assert response.status_code == 405


def test_audit_admin_is_read_only(client: Any, sign_in_as: Any) -> None:
    sign_in_as(client, "system_admin")
    event = audit_record(actor=None, verb="access.sign_in_required")
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(change, {"verb": "x"}).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403


def test_manager_sees_sign_ins_of_members_but_not_of_others(
    client: Any, sign_in_as: Any, partnership: Any
) -> None:
    from tests.saferplaces.factories import MembershipFactory, OrganisationFactory

    member = MembershipFactory(organisation=OrganisationFactory(partnership=partnership)).user
    stranger = UserFactory()
    audit_record(actor=member, verb="auth.signed_in", target=member)
    audit_record(actor=None, verb="auth.sign_in_failed", target=member)
    audit_record(actor=stranger, verb="auth.signed_in", target=stranger)
    sign_in_as(client, "partnership_manager", partnership=partnership)

    html = client.get(reverse("audit:list"), {"action": "sign_in_failed"}).content.decode()
    assert "Failed sign-in" in html
    html = client.get(reverse("audit:list")).content.decode()
    assert member.email in html
    assert stranger.email not in html
