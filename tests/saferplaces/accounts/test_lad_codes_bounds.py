"""How many district codes a partnership may name, and how long the typed list may be."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from saferplaces.accounts.forms import PartnershipForm
from saferplaces.accounts.validators import MAX_LAD_CODES, validate_lad_codes
from tests.saferplaces.factories import PartnershipFactory


def _codes(n: int) -> list[str]:
    return [f"E07{i:06d}" for i in range(1, n + 1)]


def _form(lad_codes: str) -> PartnershipForm:
    return PartnershipForm(
        {
            "name": "A Community Safety Partnership",
            "gss_code": "E22000170",
            "lad_codes": lad_codes,
            "police_force": "leicestershire",
        }
    )


def test_the_most_codes_allowed_are_accepted() -> None:
    form = _form(", ".join(_codes(MAX_LAD_CODES)))
    assert form.is_valid(), form.errors
    assert len(form.cleaned_data["lad_codes"]) == MAX_LAD_CODES


def test_one_code_too_many_is_refused_with_a_clear_error() -> None:
    form = _form(",".join(_codes(MAX_LAD_CODES + 1)))
    assert not form.is_valid()
    assert form.errors["lad_codes"] == [
        f"Enter no more than {MAX_LAD_CODES} local authority district codes"
    ]


def test_a_very_long_text_is_refused_before_it_is_split() -> None:
    form = _form("E07000134," * 5000)
    assert not form.is_valid()
    assert "no more than" in form.errors["lad_codes"][0]


def test_the_same_code_twice_is_refused_by_the_form() -> None:
    form = _form("E07000134, e07000134")
    assert not form.is_valid()
    assert "appear once" in form.errors["lad_codes"][0]


def test_the_model_refuses_too_many_codes_from_any_caller(db: Any) -> None:
    with pytest.raises(ValidationError, match="no more than"):
        validate_lad_codes(_codes(MAX_LAD_CODES + 1))
    partnership = PartnershipFactory.build(lad_codes=_codes(MAX_LAD_CODES + 1))
    with pytest.raises(ValidationError) as refused:
        partnership.full_clean()
    assert "lad_codes" in refused.value.message_dict
