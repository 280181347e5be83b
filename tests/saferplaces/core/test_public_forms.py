"""The guards every public form shares: honeypot, idempotency key, per-address rate limit."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from saferplaces.accounts.models import User
from saferplaces.core import home_panels
from saferplaces.core.public_forms import PublicFormMixin, public_rate_limited, stored_once


class _Form(PublicFormMixin):
    pass


def test_a_new_form_carries_a_fresh_key_and_a_sent_one_keeps_it() -> None:
    first, second = _Form(), _Form()
    assert first.initial["submission_key"] != second.initial["submission_key"]
    key = uuid.uuid4()
    bound = _Form({"submission_key": str(key)})
    assert bound.is_valid()
    assert bound.key() == key


def test_the_honeypot_catches_a_filled_hidden_field() -> None:
    assert _Form({"website": "http://spam.example"}).honeypot_filled()
    assert not _Form({"website": "  "}).honeypot_filled()


@pytest.mark.django_db
def test_stored_once_makes_the_object_the_first_time_only() -> None:
    made: list[int] = []

    def create() -> User:
        made.append(1)
        return User.objects.create_user(email="once@example.org", password=None)

    first, created = stored_once(User, "once@example.org", create, field="email")
    again, created_again = stored_once(User, "once@example.org", create, field="email")
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert len(made) == 1
    assert User.objects.filter(email="once@example.org").count() == 1


def test_posts_over_the_rate_are_refused_and_reads_never(settings: Any) -> None:
    settings.SAFERPLACES_PUBLIC_FORM_RATE = "2/m"
    cache.clear()
    factory = RequestFactory()
    posts = [
        public_rate_limited(factory.post("/x", REMOTE_ADDR="192.0.2.7"), "test") for _ in range(3)
    ]
    assert posts == [False, False, True]
    assert not public_rate_limited(factory.get("/x", REMOTE_ADDR="192.0.2.7"), "test")
    # Another address has its own count.
    assert not public_rate_limited(factory.post("/x", REMOTE_ADDR="192.0.2.8"), "test")


@pytest.mark.django_db
def test_the_public_home_lists_what_residents_can_do(client: Any) -> None:
    service = home_panels.PublicService(
        title="Try the thing", url_name="core:accessibility", description="A test link."
    )
    home_panels.public_service_register("test-thing", service)
    try:
        html = client.get(reverse("core:home")).content.decode()
    finally:
        home_panels._public_services.pop("test-thing")
    assert "Try the thing" in html
    assert reverse("core:accessibility") in html


def test_free_text_keeps_what_was_typed_and_drops_markup() -> None:
    from saferplaces.core.public_forms import plain_text

    typed = "<script>alert(1)</script>Cars parked <b>on</b> the path, fewer than <5 spaces\r\n"
    assert plain_text(typed) == "Cars parked on the path, fewer than <5 spaces"
    assert plain_text("") == ""
