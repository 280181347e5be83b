"""A map pin → the small area it falls in, with the crime store's real boundaries."""

from __future__ import annotations

from typing import Any

import pytest

from saferplaces.concerns.locate import PinError, pin_place

NWL = ["E07000134"]


def test_a_pin_in_coalville_is_in_a_north_west_leicestershire_small_area(real_store: Any) -> None:
    place = pin_place(52.7219, -1.3719, NWL)
    assert place is not None
    assert place.lad_code == "E07000134"
    assert place.lsoa_name.startswith("North West Leicestershire")


def test_a_pin_in_leicester_is_outside_the_partnership(real_store: Any) -> None:
    assert pin_place(52.6369, -1.1398, NWL) is None
    assert pin_place(51.5007, -0.1246, NWL) is None  # Westminster


def test_without_boundaries_the_resident_is_told_to_use_a_postcode(empty_store: Any) -> None:
    with pytest.raises(PinError, match="Enter a postcode"):
        pin_place(52.7219, -1.3719, NWL)


@pytest.mark.django_db
def test_the_where_page_places_a_pin(client: Any, real_store: Any, settings: Any) -> None:
    from django.urls import reverse

    from tests.saferplaces.concerns.helpers import nwl_partnership

    settings.SAFERPLACES_PUBLIC_FORM_RATE = "1000/h"
    nwl_partnership()
    client.post(reverse("concerns_public:what"), {"category": "litter"})
    response = client.post(
        reverse("concerns_public:where"),
        {"method": "pin", "latitude": "52.7219", "longitude": "-1.3719"},
    )
    assert response.status_code == 302
    assert client.session["concerns.answers"]["lsoa_name"].startswith("North West Leicestershire")
    outside = client.post(
        reverse("concerns_public:where"),
        {"method": "pin", "latitude": "52.6369", "longitude": "-1.1398"},
    )
    assert "That pin is outside North West Leicestershire" in outside.content.decode()
