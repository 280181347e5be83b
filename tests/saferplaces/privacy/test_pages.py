"""Privacy notices: the general page lists every registered purpose; a page for each."""

from __future__ import annotations

from typing import Any

from django.urls import reverse


def test_the_privacy_notice_lists_every_registered_purpose(
    client: Any, fake_registries: Any
) -> None:
    html = client.get(reverse("core:privacy")).content.decode()
    assert html.index("Case reviews") < html.index("Our newsletter")  # by order
    assert reverse("privacy:purpose", kwargs={"key": "newsletter"}) in html
    assert reverse("privacy:request") in html


def test_a_purpose_page_says_what_why_who_how_long_and_the_rights(
    client: Any, fake_registries: Any
) -> None:
    html = client.get(reverse("privacy:purpose", kwargs={"key": "casework"})).content.decode()
    expected = ("Case reviews", "Your reports.", "Article 10 for offences", "The review panel.",
                "6 years after the review.", "Your rights", "Information Commissioner")  # fmt: skip
    for text in expected:
        assert text in html
    assert client.get(reverse("privacy:purpose", kwargs={"key": "nope"})).status_code == 404


def test_the_real_alerts_purpose_is_registered(client: Any, db: Any) -> None:
    html = client.get(reverse("core:privacy")).content.decode()
    assert "E-mail alerts about your area" in html
    page = client.get(reverse("privacy:purpose", kwargs={"key": "alerts"}))
    assert "Article 6(1)(e)" in page.content.decode()
