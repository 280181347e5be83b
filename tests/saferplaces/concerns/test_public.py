"""The resident's pages: the flow, bad input, idempotency, honeypot, status, reopen."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from saferplaces.audit.models import AuditEvent
from saferplaces.concerns.models import Concern, Status
from saferplaces.concerns.photos import photo_path
from tests.saferplaces.concerns.helpers import (
    answer_all,
    jpeg_with_exif,
    nwl_partnership,
    png_bytes,
    send,
)
from tests.shared_data import require_shared_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _setup(settings: Any, tmp_path: Any) -> Any:
    require_shared_data("postcodes", "ons")
    settings.DATA_DIR = tmp_path
    settings.SAFERPLACES_PUBLIC_FORM_RATE = "1000/h"
    return nwl_partnership()


def _errors(response: Any) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    return html


def test_start_page_signposts_999_101_and_domestic_abuse(client: Any) -> None:
    html = client.get(reverse("concerns_public:start")).content.decode()
    assert "call 999" in html
    assert "101" in html
    assert "Domestic Abuse Helpline" in html


def test_public_home_offers_report_a_concern(client: Any) -> None:
    assert "Report a concern" in client.get(reverse("core:home")).content.decode()


def test_full_flow_stores_one_concern_and_confirms_with_reference(client: Any) -> None:
    answer_all(client)
    check = client.get(reverse("concerns_public:check"))
    assert "LE65 1AA" in check.content.decode()
    assert 'name="submission_key"' in check.content.decode()
    response = send(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("concerns_public:confirmation")
    concern = Concern.objects.get()
    assert concern.reference.startswith(f"C-{timezone.localdate().year}-")
    assert concern.lsoa_code == "E01025915"
    assert concern.anonymous
    assert concern.ongoing
    assert concern.status == Status.NEW
    page = client.get(reverse("concerns_public:confirmation")).content.decode()
    assert concern.reference in page
    assert reverse("concerns_public:status", args=[concern.token]) in page
    assert AuditEvent.objects.filter(verb="concerns.reported").count() == 1


def test_references_count_up(client: Any) -> None:
    for _ in range(2):
        answer_all(client)
        send(client)
    numbers = sorted(int(c.reference.rsplit("-", 1)[1]) for c in Concern.objects.all())
    assert numbers == [1, 2]


def test_same_key_twice_stores_one_concern_and_shows_the_same_confirmation(client: Any) -> None:
    answer_all(client)
    key = uuid.uuid4()
    send(client, key)
    first = client.get(reverse("concerns_public:confirmation")).content.decode()
    again = send(client, key)  # the double click: the session's answers are gone by now
    assert again.status_code == 302
    assert Concern.objects.count() == 1
    reference = Concern.objects.get().reference
    assert reference in first
    assert reference in client.get(reverse("concerns_public:confirmation")).content.decode()


def test_honeypot_shows_a_confirmation_and_stores_nothing(client: Any) -> None:
    answer_all(client)
    response = send(client, website="http://spam.example")
    assert response.status_code == 302
    assert "Concern sent" in client.get(reverse("concerns_public:confirmation")).content.decode()
    assert Concern.objects.count() == 0


def test_rate_limit_answers_429(client: Any, settings: Any) -> None:
    settings.SAFERPLACES_PUBLIC_FORM_RATE = "2/h"
    url = reverse("concerns_public:what")
    assert client.post(url, {"category": "litter"}).status_code == 302
    assert client.post(url, {"category": "litter"}).status_code == 302
    assert client.post(url, {"category": "litter"}).status_code == 429


def test_skipping_ahead_sends_back_to_the_first_question(client: Any) -> None:
    response = client.get(reverse("concerns_public:check"))
    assert response["Location"] == reverse("concerns_public:what")
    assert client.post(reverse("concerns_public:when"), {})["Location"] == reverse(
        "concerns_public:what"
    )


def test_no_category_chosen(client: Any) -> None:
    html = _errors(client.post(reverse("concerns_public:what"), {"category": "burglary"}))
    assert "Select what the concern is about" in html
    assert 'href="#id_category"' in html


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("XYZ", "Enter a real postcode"),
        ("EH1 1YZ", "is in Scotland"),
        ("CF10 1AA", "is in Wales"),
        ("DE11 8EU", "no longer in use"),
        ("LE67 1AB", "That postcode is in Hinckley and Bosworth, not North West Leicestershire"),
        ("", "Enter a postcode"),
    ],
)
def test_bad_postcodes_show_the_error_summary_and_store_nothing(
    client: Any, postcode: str, message: str
) -> None:
    client.post(reverse("concerns_public:what"), {"category": "litter"})
    html = _errors(
        client.post(reverse("concerns_public:where"), {"method": "postcode", "postcode": postcode})
    )
    assert message in html
    assert 'href="#id_postcode"' in html
    assert "location_method" not in client.session["concerns.answers"]
    assert Concern.objects.count() == 0


def test_pin_outside_the_partnership(client: Any, monkeypatch: Any) -> None:
    from saferplaces.concerns import public_views

    monkeypatch.setattr(public_views, "pin_place", lambda lat, lon, lads: None)
    client.post(reverse("concerns_public:what"), {"category": "litter"})
    html = _errors(
        client.post(
            reverse("concerns_public:where"),
            {"method": "pin", "latitude": "51.5", "longitude": "-0.12"},
        )
    )
    assert "That pin is outside North West Leicestershire" in html


def test_pin_with_no_boundaries_loaded_says_to_use_a_postcode(client: Any) -> None:
    client.post(reverse("concerns_public:what"), {"category": "litter"})
    html = _errors(
        client.post(
            reverse("concerns_public:where"),
            {"method": "pin", "latitude": "52.72", "longitude": "-1.37"},
        )
    )
    assert "Enter a postcode or describe the place" in html


def test_pin_inside_finds_the_small_area(client: Any, monkeypatch: Any) -> None:
    from saferplaces.concerns import public_views
    from saferplaces.concerns.locate import PinPlace

    monkeypatch.setattr(
        public_views,
        "pin_place",
        lambda lat, lon, lads: PinPlace("E01025915", "North West Leicestershire 003A", "E07000134"),
    )
    answer_all(client, where={"method": "pin", "latitude": "52.7219", "longitude": "-1.3719"})
    send(client)
    concern = Concern.objects.get()
    assert concern.lsoa_code == "E01025915"
    assert str(concern.latitude) == "52.721900"


def test_description_only(client: Any) -> None:
    answer_all(
        client, where={"method": "description", "place_description": "Behind the <b>library</b>"}
    )
    send(client)
    concern = Concern.objects.get()
    assert concern.place_description == "Behind the library"
    assert concern.lsoa_code == ""


def test_future_date_and_half_date_are_refused(client: Any) -> None:
    client.post(reverse("concerns_public:what"), {"category": "litter"})
    client.post(reverse("concerns_public:where"), {"method": "postcode", "postcode": "LE65 1AA"})
    url = reverse("concerns_public:when")
    future = timezone.localdate() + timedelta(days=3)
    html = _errors(
        client.post(
            url,
            {
                "when": "date",
                "when_day": future.day,
                "when_month": future.month,
                "when_year": future.year,
                "time_of_day": "night",
            },
        )
    )
    assert "today or in the past" in html
    html = _errors(
        client.post(
            url,
            {
                "when": "date",
                "when_day": "31",
                "when_month": "2",
                "when_year": "2026",
                "time_of_day": "night",
            },
        )
    )
    assert "Enter a real date" in html


def test_script_in_text_is_removed(client: Any) -> None:
    answer_all(
        client,
        description={
            "description": "<script>alert('x')</script>Bikes <img src=x onerror=alert(1)>at night"
        },
    )
    send(client)
    concern = Concern.objects.get()
    assert concern.description == "Bikes at night"
    assert "<script" not in concern.description


def test_text_that_is_only_script_is_refused(client: Any) -> None:
    answer_all(client)
    html = _errors(
        client.post(
            reverse("concerns_public:description"), {"description": "<script>alert(1)</script>"}
        )
    )
    assert "Describe the problem in words" in html


def test_too_long_description(client: Any) -> None:
    answer_all(client)
    html = _errors(client.post(reverse("concerns_public:description"), {"description": "x" * 2001}))
    assert "2000 characters or fewer" in html


def test_photo_is_reencoded_without_metadata(client: Any) -> None:
    answer_all(client)
    upload = SimpleUploadedFile("p.jpg", jpeg_with_exif(), content_type="image/jpeg")
    assert client.post(reverse("concerns_public:photo"), {"photo": upload}).status_code == 302
    send(client)
    concern = Concern.objects.get()
    path = photo_path(concern.photo_name)
    assert path is not None
    with Image.open(path) as image:
        assert image.format == "JPEG"
        assert not image.getexif()


def test_png_photo_becomes_jpeg(client: Any) -> None:
    answer_all(client)
    upload = SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")
    assert client.post(reverse("concerns_public:photo"), {"photo": upload}).status_code == 302


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<?php evil(); ?>" * 10, "fake.jpg", "must be a JPG or PNG"),
        (b"GIF89a" + b"\x00" * 100, "a.gif", "must be a JPG or PNG"),
        (b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024 + 10), "big.jpg", "smaller than 5 MB"),
    ],
)
def test_fake_or_oversized_photos_are_refused(
    client: Any, content: bytes, name: str, message: str
) -> None:
    answer_all(client)
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    html = _errors(client.post(reverse("concerns_public:photo"), {"photo": upload}))
    assert message in html
    assert "photo_name" not in client.session["concerns.answers"]


def test_gif_that_is_a_real_image_is_refused(client: Any) -> None:
    import io

    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    answer_all(client)
    upload = SimpleUploadedFile("a.gif", out.getvalue(), content_type="image/gif")
    assert "must be a JPG or PNG" in _errors(
        client.post(reverse("concerns_public:photo"), {"photo": upload})
    )


def test_contact_details_need_consent_and_a_way_to_reach_them(client: Any) -> None:
    answer_all(client)
    url = reverse("concerns_public:contact")
    html = _errors(client.post(url, {"anonymous": "no", "name": "Sam"}))
    assert "Enter an email address or a phone number" in html
    assert "Confirm that you agree" in html
    html = _errors(
        client.post(
            url, {"anonymous": "no", "name": "Sam", "email": "not-an-email", "consent": "yes"}
        )
    )
    assert "correct format" in html


def test_with_contact_details_the_resident_gets_an_email_with_the_status_link(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    answer_all(
        client,
        contact={
            "anonymous": "no",
            "name": "Sam Resident",
            "email": "sam@example.org",
            "consent": "yes",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        send(client)
    concern = Concern.objects.get()
    assert concern.contact_email == "sam@example.org"
    assert concern.consented_at
    assert len(mail.outbox) == 1
    assert concern.reference in mail.outbox[0].subject
    assert f"/concerns/status/{concern.token}/" in mail.outbox[0].body


def test_status_page_needs_the_real_token(client: Any) -> None:
    answer_all(client)
    send(client)
    concern = Concern.objects.get()
    page = client.get(reverse("concerns_public:status", args=[concern.token]))
    assert page.status_code == 200
    assert "Received" in page.content.decode()
    assert client.get(reverse("concerns_public:status", args=["x" * 43])).status_code == 404
    # The free text is not on the public page (anyone with the link can read it).
    assert "bus shelter" not in page.content.decode()


def _closed(days_ago: int) -> Concern:
    concern = Concern.objects.get()
    concern.status, concern.outcome = Status.CLOSED, "action_taken"
    concern.public_outcome = "We moved the group on and fitted a new light."
    concern.closed_at = timezone.now() - timedelta(days=days_ago)
    concern.save()
    return concern


def test_reopen_within_28_days_needs_a_reason(client: Any) -> None:
    answer_all(client)
    send(client)
    concern = _closed(3)
    status = client.get(reverse("concerns_public:status", args=[concern.token])).content.decode()
    assert "We moved the group on" in status
    assert "Reopen this concern" in status
    url = reverse("concerns_public:reopen", args=[concern.token])
    assert "Tell us why" in _errors(client.post(url, {"reason": "  "}))
    response = client.post(url, {"reason": "It started again on Friday."})
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == Status.NEW
    assert concern.closed_at is None
    status = client.get(reverse("concerns_public:status", args=[concern.token])).content.decode()
    assert "Reopened by the resident" in status


def test_after_28_days_the_page_says_what_to_do_instead(client: Any) -> None:
    answer_all(client)
    send(client)
    concern = _closed(30)
    status = client.get(reverse("concerns_public:status", args=[concern.token])).content.decode()
    assert "Reopen this concern" not in status
    assert "cannot be reopened" in status
    assert "Report a new concern" in status
    client.post(reverse("concerns_public:reopen", args=[concern.token]), {"reason": "Again"})
    concern.refresh_from_db()
    assert concern.status == Status.CLOSED


def test_only_the_where_page_may_ask_for_the_location(client: Any) -> None:
    client.post(reverse("concerns_public:what"), {"category": "litter"})
    where = client.get(reverse("concerns_public:where"))
    assert "geolocation=(self)" in where["Permissions-Policy"]
    assert "camera=()" in where["Permissions-Policy"]
    assert "geolocation=()" in client.get(reverse("concerns_public:start"))["Permissions-Policy"]


def test_find_emails_the_link_only_when_reference_and_email_match(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    answer_all(
        client,
        contact={"anonymous": "no", "name": "Sam", "email": "sam@example.org", "consent": "yes"},
    )
    send(client)
    concern = Concern.objects.get()
    mail.outbox.clear()
    url = reverse("concerns_public:find")
    with django_capture_on_commit_callbacks(execute=True):
        wrong = client.post(url, {"reference": concern.reference, "email": "other@example.org"})
    assert "Check your e-mail" in wrong.content.decode()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reference": concern.reference.lower(), "email": "SAM@example.org"})
    assert len(mail.outbox) == 1
    assert concern.token in mail.outbox[0].body
    assert "Enter the reference number" in _errors(client.post(url, {"email": "a@b.org"}))


def test_pin_coordinates_that_are_not_numbers(client: Any) -> None:
    client.post(reverse("concerns_public:what"), {"category": "litter"})
    html = _errors(
        client.post(
            reverse("concerns_public:where"),
            {"method": "pin", "latitude": "north", "longitude": "-200"},
        )
    )
    assert "Enter the latitude as a number" in html
    assert "Enter a longitude between -180 and 180" in html
