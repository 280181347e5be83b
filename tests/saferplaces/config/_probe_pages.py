"""Run in a separate process with real settings; prints what some pages answered, as JSON.

``python _probe_pages.py`` with DJANGO_SETTINGS_MODULE (or SAFERPLACES_ENV) set and the database
migrated. Used by test_production.py so that the settings modules are imported exactly as a
deployment imports them (no pytest-django test settings, no overrides).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE",
    f"saferplaces.config.settings.{os.environ.get('SAFERPLACES_ENV', 'production')}",
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from saferplaces.accounts.models import Role  # noqa: E402
from tests.saferplaces.factories import (  # noqa: E402
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Strict-Transport-Security",
    "Permissions-Policy",
)


CYCLE_PAGES = (
    "/staff/crime/",
    "/staff/crime/map/",
    "/staff/crime/profile/",
    "/staff/neighbourhoods/",
    "/staff/neighbourhoods/new/",
    "/staff/assessments/",
    "/staff/assessments/new/",
    "/staff/plans/",
    "/staff/plans/new/",
    "/staff/indicators/",
    "/staff/calendar/",
    "/staff/calendar/list/",
    "/staff/calendar/new/",
    # The work that comes from residents (issue 15).
    "/staff/residents/",
    "/staff/concerns/",
    "/staff/concerns/intelligence/",
    "/staff/case-reviews/",
    "/staff/case-reviews/settings/",
    "/staff/surveys/",
    "/staff/surveys/new/",
    "/staff/community/",
    "/staff/community/capacity/",
    "/staff/alerts/",
    "/staff/alerts/new/",
)

# What a resident opens without an account, under the same settings.
PUBLIC_PAGES = (
    "/concerns/",
    "/concerns/what/",
    "/case-reviews/",
    "/case-reviews/figures/",
    "/surveys/",
    "/alerts/",
    "/neighbourhoods/",
    "/community-groups/",
    "/privacy/",
    "/your-data/",
)


def _answer(response) -> dict:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {
        "status": response.status_code,
        "headers": {name: response.get(name) for name in HEADERS},
        "body": body.decode("utf-8", "replace")[:200_000],
    }


def main() -> None:
    secure = settings.SAFERPLACES_ENV == "production"
    client = Client()

    def get(path: str):  # type: ignore[no-untyped-def]
        return client.get(path, secure=secure)

    out: dict = {"debug": settings.DEBUG, "storage": settings.STORAGES["staticfiles"]["BACKEND"]}

    partnership = PartnershipFactory(name="Probe Community Safety Partnership")
    organisation = OrganisationFactory(partnership=partnership, name="Probe District Council")
    out["home"] = _answer(get("/"))
    out["sign_in"] = _answer(get("/sign-in/"))
    out["not_found"] = _answer(get("/no-such-page/"))
    out["static"] = _answer(get(settings.STATIC_URL + "app/app.css"))
    out["public"] = {path: _answer(get(path)) for path in PUBLIC_PAGES}

    user = UserFactory(email="probe.manager@example.org")
    MembershipFactory(user=user, organisation=organisation, role=Role.PARTNERSHIP_MANAGER)
    client.force_login(user)
    # Pass two-factor, whatever the rules for this role are.
    device = TOTPDevice.objects.create(user=user, name="Probe", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    out["staff_home"] = _answer(get("/staff/"))
    # Every staff page the partnership's cycle adds, as a manager of a partnership whose data
    # is not loaded yet: each must render under the real settings (hashed static names).
    out["cycle"] = {path: _answer(get(path)) for path in CYCLE_PAGES}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
