"""The areas a resident may ask alerts for, and which subscribers an alert for an area reaches.

A resident chooses the whole partnership, one of its districts, or a neighbourhood the
partnership has made public (``sharing`` PUBLIC). Neighbourhood profiles are shared with staff
only today (the ``neighbourhoods_not_public`` constraint), so until one is published the choice
is the partnership or a district: the list below follows whatever is public, so it needs no
change when neighbourhoods can be published.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from saferplaces.accounts.models import Partnership
from saferplaces.core.models import SharingLevel
from saferplaces.core.places import district_names
from saferplaces.neighbourhoods.models import Neighbourhood

ALL = "all"


@dataclass(frozen=True)
class Area:
    key: str  # "all", "district:E07000134", "neighbourhood:<uuid>"
    name: str


def area_choices(partnership: Partnership) -> list[Area]:
    """What a resident may choose, in the order they read it: all first, then districts."""
    codes = list(partnership.lad_codes or [])
    areas = [Area(ALL, f"Anywhere in {partnership.name}")]
    if len(codes) > 1:  # one district is the whole partnership: no second choice that means it
        names = district_names(codes)
        areas += [Area(f"district:{code}", names.get(code, code)) for code in codes]
    public = Neighbourhood.objects.filter(partnership=partnership, sharing=SharingLevel.PUBLIC)
    areas += [Area(f"neighbourhood:{n.pk}", n.name) for n in public.order_by("name")]
    return areas


def area_name(partnership: Partnership, key: str) -> str:
    return {area.key: area.name for area in area_choices(partnership)}.get(key, "")


def reaches(subscriber_areas: Iterable[str], alert_area: str) -> bool:
    """An alert for an area reaches who chose that area, and who chose the whole partnership.

    An alert for the whole partnership reaches everyone: it is about all of them.
    """
    chosen = set(subscriber_areas)
    return alert_area == ALL or ALL in chosen or alert_area in chosen
