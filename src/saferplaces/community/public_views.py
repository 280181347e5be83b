"""Residents' pages, no sign-in: the published neighbourhoods, their "you said, we did" pages and
the community groups that agreed to be listed. Nothing here shows personal data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from saferplaces.community import crime, selectors
from saferplaces.community.models import GroupKind
from saferplaces.core.resident_voice import you_said_items

# What residents raised in the last year (the forums, concerns and surveys give their own).
YOU_SAID_DAYS = 365


@require_safe
def neighbourhood_index_view(request: HttpRequest) -> HttpResponse:
    pages = list(selectors.published_pages())
    by_partnership: dict[str, list[Any]] = {}
    for page in pages:
        by_partnership.setdefault(page.partnership.name, []).append(page)
    return render(
        request,
        "community/public_index.html",
        {"by_partnership": sorted(by_partnership.items())},
    )


@require_safe
def you_said_view(request: HttpRequest, neighbourhood_id: Any) -> HttpResponse:
    page = selectors.published_page_get(neighbourhood_id=neighbourhood_id)
    neighbourhood = page.neighbourhood
    since = timezone.localdate() - timedelta(days=YOU_SAID_DAYS)
    items = you_said_items(
        partnership=page.partnership, lsoa_codes=list(neighbourhood.lsoa_codes), since=since
    )
    names = selectors.lsoa_names(partnership=page.partnership)
    groups = [
        g for g in selectors.public_groups().filter(partnership=page.partnership)
        if set(g.lsoa_codes) & set(neighbourhood.lsoa_codes)
    ]  # fmt: skip
    return render(
        request,
        "community/you_said.html",
        {
            "page": page,
            "neighbourhood": neighbourhood,
            "partnership": page.partnership,
            "items": items,
            "since": since,
            "trend": crime.neighbourhood_trend(list(neighbourhood.lsoa_codes)),
            "area_names": [names[c]["name"] for c in neighbourhood.lsoa_codes if c in names],
            "groups": groups,
        },
    )


@require_safe
def public_groups_view(request: HttpRequest) -> HttpResponse:
    """Listed groups by partnership and ward (a group working in two wards is under both)."""
    sections: dict[str, dict[str, list[dict[str, Any]]]] = {}
    names_cache: dict[Any, dict[str, dict[str, str]]] = {}
    for group in selectors.public_groups():
        names = names_cache.setdefault(
            group.partnership_id, selectors.lsoa_names(partnership=group.partnership)
        )
        wards = sorted({names[c]["ward"] for c in group.lsoa_codes if c in names}) or [
            "Area not named"
        ]
        entry = {
            "name": group.name,
            "kind": GroupKind(group.kind).label,
            "description": group.description,
            "members": group.members_count,
            "area": selectors.area_words(group.lsoa_codes, names),
        }
        for ward in wards:
            sections.setdefault(group.partnership.name, {}).setdefault(ward, []).append(entry)
    ordered = [
        (partnership, sorted(wards.items())) for partnership, wards in sorted(sections.items())
    ]
    return render(request, "community/public_groups.html", {"sections": ordered})
