"""What every public form (no account needed) shares: a honeypot, an idempotency key, a rate limit.

Residents report concerns, ask for a case review, answer surveys and sign up for alerts without
signing in, so these forms are the open door to the database. Three guards, the same on each:

- **Honeypot**: a text field people never see (hidden by CSS and from screen readers, skipped by
  the keyboard). A bot that fills every field fills it; the view then shows the usual
  confirmation and stores nothing, so the bot learns nothing.
- **Idempotency key**: a random key put in the form when it is first shown. The service stores
  the submission with its key under a unique constraint, so a double click, a resubmitted page
  or a retried request stores it exactly once (:func:`stored_once`).
- **Rate limit per IP address** (django-ratelimit, counted in the shared cache): more than
  ``SAFERPLACES_PUBLIC_FORM_RATE`` posts from one address answer 429 with a plain message.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import nh3
from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

HONEYPOT_FIELD = "website"
KEY_FIELD = "submission_key"
TOO_MANY = (
    "You have sent a lot of forms from this connection in a short time. "
    "Wait an hour and try again, or call 101 if it is urgent."
)

ModelT = TypeVar("ModelT", bound=models.Model)


class PublicFormMixin(forms.Form):
    """Add to a public form: the honeypot and the idempotency key, both hidden.

    Render them with the ``public_form_guards(form)`` macro in ``core/_public_form.html``.
    """

    website = forms.CharField(required=False, label="Leave this field empty", max_length=200)
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(KEY_FIELD, uuid.uuid4())

    def honeypot_filled(self) -> bool:
        """True when the hidden field has text: a bot, not a person."""
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def key(self) -> uuid.UUID:
        """The form's idempotency key; a form sent without one gets a fresh key (stored once)."""
        value = self.cleaned_data.get(KEY_FIELD) if hasattr(self, "cleaned_data") else None
        return value or uuid.uuid4()


def plain_text(value: str) -> str:
    """A resident's free text as plain text, whatever markup was typed or pasted.

    nh3 strips every tag (and the content of script and style) and escapes what it keeps
    (``<`` → ``&lt;``); unescaping gives back what the resident typed, and templates escape it
    again on output, so a "<" in "fewer than <5 cars" survives and no markup ever does.
    """
    cleaned = nh3.clean(value or "", tags=set(), attributes={})
    return html.unescape(cleaned).replace("\r\n", "\n").strip()


def stored_once(
    model: type[ModelT], key: object, create: Callable[[], ModelT], *, field: str = KEY_FIELD
) -> tuple[ModelT, bool]:
    """The object stored under ``key``: made by ``create()`` the first time, found after.

    ``model.<field>`` must be unique. Two requests racing with one key both reach the insert;
    the database refuses the second, which then returns the first's object. Returns
    ``(object, created)``.
    """
    existing = model._default_manager.filter(**{field: key}).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = model._default_manager.filter(**{field: key}).first()
        if existing is None:  # the constraint that failed was not the key's
            raise
        return existing, False


def _client_address(group: str, request: HttpRequest) -> str:
    # The address django-axes counts sign-in failures by (SAFERPLACES_PROXY_COUNT decides
    # whether X-Forwarded-For is trusted), so both limits agree on who the client is.
    return get_client_ip_address(request) or "unknown"


def public_rate_limited(request: HttpRequest, group: str) -> bool:
    """Count this POST against the address's limit for ``group``; True when over it."""
    if request.method != "POST":
        return False
    return bool(
        is_ratelimited(
            request,
            group=f"saferplaces.public.{group}",
            key=_client_address,
            rate=settings.SAFERPLACES_PUBLIC_FORM_RATE,
            method="POST",
            increment=True,
        )
    )


def too_many_response(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {"title": "Too many forms sent", "body": TOO_MANY, "status": 429},
        status=429,
    )


ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponse])


def public_form_rate_limit(group: str) -> Callable[[ViewT], ViewT]:
    """Decorate a public form view: POSTs over the per-address limit answer 429, unsaved."""

    def decorate(view: ViewT) -> ViewT:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if public_rate_limited(request, group):
                return too_many_response(request)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate
