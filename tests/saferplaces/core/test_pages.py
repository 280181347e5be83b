"""Public pages, the page layout, security headers and error pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from saferplaces.audit.models import AuditEvent
from saferplaces.core import views
from saferplaces.core.jinja2 import INLINE_SCRIPT
from tests.saferplaces.factories import OrganisationFactory

PUBLIC = ["core:home", "core:accessibility", "core:privacy", "accounts:sign_in"]


@pytest.mark.parametrize("url_name", PUBLIC)
def test_public_page_uses_the_layout(client: Any, db: Any, url_name: str) -> None:
    html = client.get(reverse(url_name)).content.decode()
    assert 'class="govuk-skip-link"' in html
    assert "govuk-generic-header" in html
    assert "govuk-service-navigation" in html
    assert "govuk-phase-banner" in html
    assert 'href="/static/app/app.css"' in html
    assert '<script type="module" src="/static/govuk/govuk-frontend.min.js">' in html
    assert '<script type="module" src="/static/app/init.js">' in html
    assert reverse("core:accessibility") in html
    assert reverse("core:privacy") in html


@pytest.mark.parametrize("url_name", PUBLIC)
def test_no_gov_uk_branding_and_no_inline_script(client: Any, db: Any, url_name: str) -> None:
    html = client.get(reverse(url_name)).content.decode()
    assert "govuk-header__logotype" not in html
    assert "govuk-logo" not in html
    assert "Crown copyright" not in html
    assert "GOV.UK -" not in html  # the package template's default title
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts
    assert all("src=" in tag for tag in scripts), scripts
    assert "style=" not in html  # CSP: style-src 'self' refuses inline styles


def test_the_package_template_still_has_the_script_we_remove() -> None:
    from importlib.resources import files

    source = files("govuk_frontend_jinja").joinpath("templates/template.html").read_text()
    assert len(INLINE_SCRIPT.findall(source)) == 1


def test_home_describes_the_partnership(client: Any, partnership: Any) -> None:
    OrganisationFactory(partnership=partnership, name="Leicestershire Police")
    html = client.get(reverse("core:home")).content.decode()
    assert partnership.name in html
    assert "Leicestershire Police" in html


def test_security_headers(client: Any, db: Any) -> None:
    response = client.get(reverse("core:home"))
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


STATIC_FILES = ["/static/app/app.css", "/static/app/init.js", "/static/app/images/favicon.svg"]


@pytest.mark.parametrize("path", STATIC_FILES)
def test_static_files_carry_the_page_security_headers(client: Any, db: Any, path: str) -> None:
    page = client.get(reverse("core:home"))
    response = client.get(path)
    assert response.status_code == 200, "front-end assets not built: run `make assets`"
    for header in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
        "Cross-Origin-Opener-Policy",
        "Permissions-Policy",
    ):
        assert response.get(header), header
        assert response[header] == page[header], header
    assert "base-uri 'none'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    # Static files stay cacheable even for a signed-in browser (no "no-store").
    assert "no-store" not in response.get("Cache-Control", "")


def test_static_files_get_hsts_over_https(client: Any, db: Any, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/static/app/app.css", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_staff_pages_are_not_cached(client: Any, sign_in_as: Any) -> None:
    sign_in_as(client, "viewer")
    assert "no-store" in client.get(reverse("accounts:staff_home"))["Cache-Control"]


def test_session_cookie_flags(client: Any, sign_in_as: Any, settings: Any) -> None:
    from tests.saferplaces.factories import TEST_PASSWORD, UserFactory

    user = UserFactory()
    response = client.post(
        reverse("accounts:sign_in"), {"email": user.email, "password": TEST_PASSWORD}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_404_in_the_design(client: Any, db: Any, settings: Any) -> None:
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert "govuk-generic-header" in html


def test_500_in_the_design_without_touching_the_database(rf: Any) -> None:
    response = views.server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "govuk-generic-header" in html


def test_400_in_the_design(rf: Any, db: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = {}
    response = views.bad_request(request)
    assert response.status_code == 400
    assert "govuk-footer" in response.content.decode()


def test_csrf_failure_in_the_design_and_audited(db: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:sign_in"), {"email": "a@b.c", "password": "x"})
    assert response.status_code == 403
    assert "the form could not be sent" in response.content.decode()
    assert AuditEvent.objects.filter(verb="access.csrf_failed").exists()


def test_upload_limit_is_set(settings: Any) -> None:
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024


@pytest.mark.parametrize("url_name", PUBLIC)
def test_head_is_answered_like_get(client: Any, db: Any, url_name: str) -> None:
    # Uptime monitors and link checkers send HEAD; a 405 would look like an outage.
    response = client.head(reverse(url_name))
    assert response.status_code == 200
    assert response.content == b""


def _heading_levels(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])\b", html)]


@pytest.mark.parametrize("partnerships", [0, 1, 2])
def test_headings_never_skip_a_level(client: Any, db: Any, partnerships: int) -> None:
    from tests.saferplaces.factories import PartnershipFactory

    for _ in range(partnerships):
        OrganisationFactory(partnership=PartnershipFactory())
    for name in PUBLIC:
        levels = _heading_levels(client.get(reverse(name)).content.decode())
        assert levels.count(1) == 1, (name, levels)
        # Each heading is at most one level deeper than the one before it.
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), (name, levels)


def test_feedback_goes_to_the_partnerships_contact(client: Any, db: Any, settings: Any) -> None:
    settings.SAFERPLACES_FEEDBACK_EMAIL = "community.safety@nwleics.example.gov.uk"
    settings.SAFERPLACES_FEEDBACK_URL = ""
    mailto = 'href="mailto:community.safety@nwleics.example.gov.uk"'
    home = client.get(reverse("core:home")).content.decode()
    banner = home.split('class="govuk-phase-banner', 1)[1].split("</div>", 2)[0]
    assert mailto in banner  # "Tell us what you think"
    footer = home.split('<footer class="govuk-footer', 1)[1]
    assert mailto in footer
    statement = client.get(reverse("core:accessibility")).content.decode()
    assert mailto in statement.split('id="feedback"', 1)[1]

    settings.SAFERPLACES_FEEDBACK_URL = "https://nwleics.example.gov.uk/feedback"
    statement = client.get(reverse("core:accessibility")).content.decode()
    assert 'href="https://nwleics.example.gov.uk/feedback"' in statement
    assert mailto in statement


def test_without_a_contact_feedback_links_to_the_statement_which_says_so(
    client: Any, db: Any, settings: Any
) -> None:
    settings.SAFERPLACES_FEEDBACK_EMAIL = ""
    settings.SAFERPLACES_FEEDBACK_URL = ""
    home = client.get(reverse("core:home")).content.decode()
    assert 'href="/accessibility/#feedback">Tell us what you think' in home
    statement = client.get(reverse("core:accessibility")).content.decode()
    assert "has not yet given a contact address" in statement


def test_the_500_page_still_has_a_feedback_link(rf: Any) -> None:
    html = views.server_error(rf.get("/")).content.decode()
    assert 'href="/accessibility/#feedback">Tell us what you think' in html
