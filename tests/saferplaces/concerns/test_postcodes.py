"""The postcode lookup, on the shared data pack's own examples."""

from __future__ import annotations

import pytest

from saferplaces.concerns.postcodes import PostcodeError, normalise, postcode_find, postcode_place
from tests.shared_data import require_shared_data


@pytest.fixture(autouse=True)
def _data() -> None:
    require_shared_data("postcodes", "ons")


@pytest.mark.parametrize(
    ("postcode", "lsoa"),
    [
        ("LE65 1AA", "E01025915"),
        ("le67 3aa", "E01025929"),
        ("LE675AA", "E01025968"),
        ("LE12 5BA", "E01025944"),
        ("DE74 0AE", "E01025926"),
    ],
)
def test_readme_examples_give_their_2021_small_area(postcode: str, lsoa: str) -> None:
    place = postcode_place(postcode)
    assert place.lsoa_code == lsoa
    assert place.lad_code == "E07000134"
    assert place.lsoa_name.startswith("North West Leicestershire")


def test_an_le67_postcode_can_be_in_hinckley_and_bosworth() -> None:
    place = postcode_place("LE67 1AB")
    assert place.lad_code == "E07000132"
    assert place.lad_name == "Hinckley and Bosworth"


@pytest.mark.parametrize("postcode", ["DE11 8EU", "DE12 6BT"])
def test_terminated_postcodes_are_refused_with_their_own_message(postcode: str) -> None:
    assert postcode_find(postcode).terminated
    with pytest.raises(PostcodeError, match="no longer in use"):
        postcode_place(postcode)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a postcode"),
        ("not a postcode", "real postcode"),
        ("12345", "real postcode"),
        ("EH1 1YZ", "Scotland"),
        ("CF10 1AA", "Wales"),
        ("BT1 1AA", "Northern Ireland"),
        ("SW1A 1AA", "cannot find"),
    ],
)
def test_bad_postcodes_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(PostcodeError, match=message):
        postcode_place(text)


def test_normalise() -> None:
    assert normalise(" le651aa ") == "LE65 1AA"
