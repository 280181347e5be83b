"""Shared set-up for the concerns tests: a North West Leicestershire partnership and the flow."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.urls import reverse
from PIL import Image

from saferplaces.accounts.models import Role
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

NWL = "E07000134"


def nwl_partnership() -> Any:
    return PartnershipFactory(
        name="North West Leicestershire Community Safety Partnership", lad_codes=[NWL]
    )


def member(partnership: Any, role: str = Role.PARTNER_OFFICER, organisation: Any = None) -> Any:
    organisation = organisation or OrganisationFactory(partnership=partnership)
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def sign_in(client: Any, user: Any) -> None:
    from tests.conftest import mark_second_factor_verified

    client.force_login(user)
    mark_second_factor_verified(client, user)


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (50, 50), (10, 120, 10))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x9003] = "2026:01:01 10:00:00"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


STEPS = {
    "what": {"category": "street_drinking"},
    "where": {"method": "postcode", "postcode": "LE65 1AA"},
    "when": {"when": "ongoing", "time_of_day": "evening"},
    "description": {"description": "Groups drinking by the bus shelter every evening."},
    "photo": {},
    "contact": {"anonymous": "yes"},
}


def answer_all(client: Any, **overrides: dict[str, Any]) -> None:
    """Answer every question (``overrides`` replace a step's answers) up to Check your answers."""
    for step, data in STEPS.items():
        response = client.post(reverse(f"concerns_public:{step}"), overrides.get(step, data))
        assert response.status_code == 302, (step, response.content[:3000])


def send(client: Any, key: uuid.UUID | None = None, **extra: Any) -> Any:
    return client.post(
        reverse("concerns_public:check"),
        {"submission_key": str(key or uuid.uuid4()), "website": "", **extra},
    )
