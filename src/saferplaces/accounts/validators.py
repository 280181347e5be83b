"""ONS/GSS statistical codes (nine characters: entity code and six digits)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

GSS_CODE = re.compile(r"^[EWSN]\d{8}$")
# Community Safety Partnerships: E22 (England) and W14 (Wales, 2022 onwards: W14 is not used
# for CSPs, so we accept England's E22 only until a Welsh partnership asks).
CSP_ENTITY_CODES = ("E22",)
# Local authority districts: non-metropolitan district, unitary, metropolitan district,
# London borough, Welsh unitary authority.
LAD_ENTITY_CODES = ("E06", "E07", "E08", "E09", "W06")
POLICE_FORCE_SLUG = re.compile(r"^[a-z][a-z-]{1,48}[a-z]$")
# A partnership covers one district, or a county's few (the largest English county has 12
# districts); 30 leaves room for merged partnerships and bounds what a form or the CLI can store.
MAX_LAD_CODES = 30
# The form's text box: 30 codes of nine characters with ", " between them.
MAX_LAD_CODES_TEXT = MAX_LAD_CODES * 11


def validate_csp_code(value: str) -> None:
    if not GSS_CODE.match(value or "") or not value.startswith(CSP_ENTITY_CODES):
        raise ValidationError(
            "Enter a Community Safety Partnership code: E22 followed by six digits, "
            "for example E22000170",
            code="invalid_csp_code",
        )


def validate_lad_code(value: str) -> None:
    if not GSS_CODE.match(value or "") or not value.startswith(LAD_ENTITY_CODES):
        raise ValidationError(
            f"{value!r} is not a local authority district code (for example E07000134)",
            code="invalid_lad_code",
        )


def validate_lad_codes(values: list[str]) -> None:
    if not isinstance(values, list) or not values:
        raise ValidationError("Enter at least one local authority district code", code="required")
    if len(values) > MAX_LAD_CODES:
        raise ValidationError(
            f"Enter no more than {MAX_LAD_CODES} local authority district codes",
            code="too_many",
        )
    for value in values:
        validate_lad_code(value)
    if len(set(values)) != len(values):
        raise ValidationError("Each local authority district code must appear once", code="dup")


def validate_police_force_slug(value: str) -> None:
    if not POLICE_FORCE_SLUG.match(value or ""):
        raise ValidationError(
            "Enter the police force as used by data.police.uk, for example leicestershire",
            code="invalid_force",
        )
