"""The residents' pages (no account) and the staff pages (counts only)."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.urls import reverse

from saferplaces.alerts.models import Alert, Subscription
from tests.saferplaces.alerts.conftest import DISTRICT_A, link_in

SIGNUP = reverse("alerts_public:signup")
TOPICS = reverse("alerts_public:signup_topics")
EMAIL_PAGE = reverse("alerts_public:signup_email")


def _email_form(**fields: Any) -> dict[str, Any]:
    return {"email": "resident@example.org", "consent": "on", "submission_key": "",
            "website": "", **fields}  # fmt: skip


def _sign_up(client: Any, csp: Any, area: str = "all", **fields: Any) -> Any:
    """The three pages: area, topics, then the address and agreement."""
    assert client.post(SIGNUP, {"area": f"{csp.pk}|{area}"})["Location"] == TOPICS
    assert client.post(TOPICS, {"topics": ["crime"]})["Location"] == EMAIL_PAGE
    return client.post(EMAIL_PAGE, _email_form(**fields))


def test_the_first_page_explains_asks_the_area_and_links_to_the_notice(
    client: Any, csp: Any
) -> None:
    html = client.get(SIGNUP).content.decode()
    assert "Get alerts for your area" in html
    assert reverse("privacy:purpose", kwargs={"key": "alerts"}) in html
    assert f"Anywhere in {csp.name}" in html
    email_page = client.get(EMAIL_PAGE).content.decode()
    assert 'name="submission_key"' in email_page
    assert 'name="website"' in email_page
    assert reverse("privacy:purpose", kwargs={"key": "alerts"}) in email_page


def test_with_one_area_the_first_page_asks_nothing(client: Any, db: Any) -> None:
    from tests.saferplaces.factories import PartnershipFactory

    PartnershipFactory(name="Blaby Community Safety Partnership")
    html = client.get(SIGNUP).content.decode()
    assert "Alerts cover the area of Blaby Community Safety Partnership" in html
    assert client.post(SIGNUP, {})["Location"] == TOPICS


def test_each_page_shows_its_errors_and_nothing_is_stored(client: Any, csp: Any) -> None:
    assert "Choose the area you want alerts about" in client.post(SIGNUP, {}).content.decode()
    client.post(SIGNUP, {"area": f"{csp.pk}|all"})
    assert "Choose at least one topic" in client.post(TOPICS, {}).content.decode()
    client.post(TOPICS, {"topics": ["crime"]})
    response = client.post(EMAIL_PAGE, _email_form(email="not-an-address", consent=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter an e-mail address in the correct format" in html
    assert "Confirm that you agree" in html
    assert not Subscription.objects.exists()
    assert not mail.outbox


def test_the_last_page_without_the_earlier_answers_goes_back_to_the_start(
    client: Any, csp: Any
) -> None:
    assert client.post(EMAIL_PAGE, _email_form())["Location"] == SIGNUP
    assert not Subscription.objects.exists()


def test_sign_up_stores_the_answers_and_shows_the_same_page_for_a_known_address(
    client: Any, csp: Any, subscribe: Any
) -> None:
    subscribe("known@example.org")
    new = _sign_up(client, csp, area=f"district:{DISTRICT_A}")
    known = _sign_up(client, csp, email="known@example.org")
    assert new["Location"] == known["Location"] == reverse("alerts_public:check_email")
    stored = Subscription.objects.get(email="resident@example.org")
    assert (stored.areas, stored.topics, stored.status) == (
        [f"district:{DISTRICT_A}"],
        ["crime"],
        "pending",
    )
    assert client.get(new["Location"]).content == client.get(known["Location"]).content


def test_the_honeypot_shows_the_same_page_and_stores_nothing(client: Any, csp: Any) -> None:
    response = _sign_up(client, csp, website="http://spam.example")
    assert response["Location"] == reverse("alerts_public:check_email")
    assert not Subscription.objects.exists()
    assert not mail.outbox


def test_too_many_sign_ups_from_one_address_are_refused(
    client: Any, csp: Any, settings: Any
) -> None:
    settings.SAFERPLACES_PUBLIC_FORM_RATE = "2/m"
    codes = [_sign_up(client, csp, email=f"r{n}@example.org").status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert Subscription.objects.count() == 2


def test_opening_the_confirmation_link_asks_then_confirms(client: Any, csp: Any) -> None:
    _sign_up(client, csp)
    path = link_in(mail.outbox[0], "/alerts/confirm/")
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm and start my alerts" in page.content.decode()
    assert Subscription.objects.get().status == "pending"  # a mail scanner's GET confirms nothing
    done = client.post(path)
    assert "You will get alerts" in done.content.decode()
    assert Subscription.objects.get().status == "confirmed"


def test_a_bad_confirmation_link_says_so(client: Any, csp: Any) -> None:
    response = client.get(reverse("alerts_public:confirm", kwargs={"signed": "abc:def:ghi"}))
    assert response.status_code == 400
    assert "Sign up again" in response.content.decode()


def test_manage_changes_the_choices_without_signing_in(client: Any, subscribe: Any) -> None:
    subscription = subscribe("resident@example.org")
    url = reverse("alerts_public:manage", kwargs={"token": subscription.token})
    assert client.get(url).status_code == 200
    response = client.post(url, {"areas": ["all"], "topics": ["advice", "meetings"]})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.topics == ["meetings", "advice"]
    bad = client.post(url, {"areas": ["all"], "topics": []})
    assert "Choose at least one topic" in bad.content.decode()


def test_an_unknown_token_is_not_found(client: Any, db: Any) -> None:
    for name in ("alerts_public:manage", "alerts_public:unsubscribe"):
        assert client.get(reverse(name, kwargs={"token": "nope"})).status_code == 404


def test_unsubscribe_asks_on_get_and_unsubscribes_on_post(client: Any, subscribe: Any) -> None:
    subscription = subscribe("resident@example.org")
    url = reverse("alerts_public:unsubscribe", kwargs={"token": subscription.token})
    assert "Unsubscribe from alerts" in client.get(url).content.decode()
    subscription.refresh_from_db()
    assert subscription.status == "confirmed"
    assert "You have unsubscribed" in client.post(url).content.decode()
    subscription.refresh_from_db()
    assert subscription.status == "unsubscribed"


# --- staff -----------------------------------------------------------------------------------


def test_staff_see_counts_and_never_addresses(
    client: Any, viewer: Any, subscribe: Any, manager: Any
) -> None:
    subscribe("first.person@example.org")
    subscribe("second.person@example.org", topics=["crime", "advice"])
    subscribe("pending.person@example.org", confirm=False)
    client.force_login(viewer)
    from tests.conftest import mark_second_factor_verified

    mark_second_factor_verified(client, viewer)
    html = client.get(reverse("alerts:list")).content.decode()
    assert (
        "2 people have confirmed their address. 1 more has not confirmed yet and gets nothing"
        in html
    )
    assert "example.org" not in html
    assert "Write an alert" not in html  # a viewer reads counts only
    assert client.get(reverse("alerts:new")).status_code == 403


def test_compose_preview_then_send(client: Any, manager: Any, subscribe: Any, csp: Any) -> None:
    subscribe("a@example.org")
    subscribe("b@example.org", topics=["advice"])
    mail.outbox.clear()
    from tests.conftest import mark_second_factor_verified

    client.force_login(manager)
    mark_second_factor_verified(client, manager)
    url = reverse("alerts:new")
    page = client.get(url).content.decode()
    key = page.split('name="submission_key" value="')[1].split('"')[0]
    fields = {"title": "Burglary advice", "body": "Lock your shed.\nMark your tools.",
              "area": "all", "topic": "crime", "submission_key": key}  # fmt: skip

    preview = client.post(url, {**fields, "step": "preview"}).content.decode()
    assert "This alert will go to 1 person" in preview
    assert "a@example.org" not in preview
    assert not mail.outbox
    assert not Alert.objects.exists()

    sent = client.post(url, {**fields, "step": "send"})
    again = client.post(url, {**fields, "step": "send"})  # a double click
    assert sent.status_code == again.status_code == 302
    assert Alert.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    listing = client.get(reverse("alerts:list")).content.decode()
    assert "Burglary advice" in listing
    assert "1 of 1" in listing


def test_a_bad_alert_shows_the_errors(client: Any, manager: Any, csp: Any) -> None:
    from tests.conftest import mark_second_factor_verified

    client.force_login(manager)
    mark_second_factor_verified(client, manager)
    response = client.post(reverse("alerts:new"), {"step": "preview", "area": "all"})
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a title for the alert" in html
    assert "Enter the message" in html
    assert not Alert.objects.exists()


def test_the_home_page_and_the_staff_residents_page_offer_alerts(
    client: Any, viewer: Any, subscribe: Any
) -> None:
    from tests.conftest import mark_second_factor_verified

    assert "Get alerts for your area" in client.get(reverse("core:home")).content.decode()
    subscribe("a@example.org")
    client.force_login(viewer)
    mark_second_factor_verified(client, viewer)
    html = client.get(reverse("core:residents")).content.decode()
    assert "Alerts to residents" in html
    assert "1 person gets alerts" in html
