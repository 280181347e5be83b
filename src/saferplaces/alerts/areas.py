"""The areas a resident may ask alerts for, and which subscribers an alert for an area reaches.

A resident chooses the whole partnership, one of its districts, or a neighbourhood whose
"you said, we did" page the partnership has published (``community.PublishedPage``): that is
how a neighbourhood becomes public, since neighbourhood profiles themselves stay with staff
(the ``neighbourhoods_not_public`` constraint). A page withdrawn, or a neighbourhood made
private again, drops out of the choices; subscribers who chose it still get alerts for the
whole partnership.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from saferplaces.accounts.models import Partnership
from saferplaces.community.selectors import published_pages
from saferplaces.core.places import district_names

ALL = "all"


@dataclass(frozen=True)
class Area:
    key: str  # "all", "district:E07000134", "neighbourhood:<uuid>"
    name: str


def area_choices(partnership: Partnership) -> list[Area]:
    """What a resident may choose, in reading order: all, districts, published neighbourhoods."""
    codes = list(partnership.lad_codes or [])
    areas = [Area(ALL, f"Anywhere in {partnership.name}")]
    if len(codes) > 1:  # one district is the whole partnership: no second choice that means it
        names = district_names(codes)
        areas += [Area(f"district:{code}", names.get(code, code)) for code in codes]
    published = published_pages().filter(partnership=partnership)
    areas += [
        Area(f"neighbourhood:{page.neighbourhood_id}", page.neighbourhood.name)
        for page in published
    ]
    return areas


def area_name(partnership: Partnership, key: str) -> str:
    return {area.key: area.name for area in area_choices(partnership)}.get(key, "")


def reaches(subscriber_areas: Iterable[str], alert_area: str) -> bool:
    """An alert for an area reaches who chose that area, and who chose the whole partnership.

    An alert for the whole partnership reaches everyone: it is about all of them.
    """
    chosen = set(subscriber_areas)
    return alert_area == ALL or ALL in chosen or alert_area in chosen
