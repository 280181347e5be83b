"""What a crime map shows, read from a request's query string: area, period and categories.

The shape is checked here (codes, months, category names), with a message naming what is wrong;
whether the area lies inside the partnership and the period inside the data is checked against
the store by :func:`saferplaces.analytics.mapdata.map_data_get`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from crimestats.categories import ASB, GROUPS, SLUG_TO_NAME, resolve_categories
from crimestats.months import as_month, month_label

__all__ = [
    "MapQuery",
    "MapQueryError",
    "categories_label",
    "counted_noun",
    "map_query_parse",
]

ALL_CRIME_LABEL = "All crime (not anti-social behaviour)"
GROUP_LABELS = {
    "all-crime": ALL_CRIME_LABEL,
    "asb": "Anti-social behaviour",
    "acquisitive": "Acquisitive crime",
    "violence": "Violence, robbery and weapons",
    "proactive": "Drugs and weapons possession",
}


class MapQueryError(ValueError):
    """A map question that cannot be answered; the message says what is wrong, in plain words."""


@dataclass(frozen=True)
class MapQuery:
    """What to map: an area inside the partnership, a period and categories.

    ``area`` is empty for the whole partnership, else a ward (E05…), an LSOA (E01…) or a
    neighbourhood as ``lsoas:E01…,E01…``; ``first``/``last`` empty for the latest 12 months
    held; ``category`` empty for all crime, else a group (``acquisitive``) or category slugs
    separated by commas.
    """

    area: str = ""
    first: date | None = None
    last: date | None = None
    category: str = ""
    area_label: str = ""

    def as_params(self) -> dict[str, str]:
        """Query-string parameters that :func:`map_query_parse` reads back."""
        params = {
            "area": self.area,
            "from": month_label(self.first) if self.first else "",
            "to": month_label(self.last) if self.last else "",
            "category": self.category,
        }
        return {key: value for key, value in params.items() if value}

    def cache_part(self) -> str:
        return "|".join(
            [self.area, str(self.first), str(self.last), self.category, self.area_label]
        )


_AREA = re.compile(r"([EW]0[15]\d{6}|lsoas:[EW]01\d{6}(,[EW]01\d{6})*)")


def map_query_parse(params: Mapping[str, str]) -> MapQuery:
    """Read and check ``area``, ``from``, ``to`` and ``category`` (raises :class:`MapQueryError`).

    Only the shape is checked here; whether the area lies inside the partnership and the period
    inside the data is checked against the store by :func:`map_data_get`.
    """
    problems: list[str] = []
    area = (params.get("area") or "").strip()
    if area.lower().startswith("lsoas:"):
        area = "lsoas:" + ",".join(c.strip().upper() for c in area[6:].split(",") if c.strip())
    else:
        area = area.upper()
    if area and not _AREA.fullmatch(area):
        problems.append(
            f"Area “{area[:40]}” is not a ward code (E05…), a neighbourhood code (LSOA, E01…) "
            "or a list of neighbourhoods (lsoas:E01…,E01…)"
        )
    months: dict[str, date | None] = {}
    for key, name in (("from", "Start month"), ("to", "End month")):
        value = (params.get(key) or "").strip()
        months[key] = None
        if value:
            try:
                months[key] = as_month(value)
            except ValueError:
                problems.append(
                    f"{name} “{value[:20]}” must be a month written as YYYY-MM, for example 2025-01"
                )
    first, last = months["from"], months["to"]
    if first and last and first > last:
        problems.append(f"Start month {month_label(first)} is after end month {month_label(last)}")
    category = (params.get("category") or "").strip()
    if category:
        try:
            resolve_categories(category)
        except ValueError:
            problems.append(
                f"Category “{category[:40]}” is not known: use a group ("
                + ", ".join(GROUPS)
                + ") or a category such as burglary"
            )
    if problems:
        raise MapQueryError(". ".join(problems) + ".")
    return MapQuery(area=area, first=first, last=last, category=category)


def categories_label(category: str) -> str:
    """'All crime (not anti-social behaviour)', 'Acquisitive crime', 'Burglary, Robbery'."""
    if not category or category == "all-crime":
        return ALL_CRIME_LABEL
    if category in GROUP_LABELS:
        return GROUP_LABELS[category]
    return ", ".join(SLUG_TO_NAME[slug] for slug in resolve_categories(category))


def counted_noun(category: str) -> str:
    """What the map counts: 'crimes', 'incidents' (anti-social behaviour) or both."""
    slugs = set(resolve_categories(category or None))
    if slugs == {ASB}:
        return "incidents"
    return "crimes and incidents" if ASB in slugs else "crimes"
