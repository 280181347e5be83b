"""police.uk crime categories: the CSV names, their canonical slugs and the groups analysts use.

The slug is the key inside ``crimestats`` (methods reference §1.1). "All crime" means the 13 crime
categories without anti-social behaviour, which is always reported on its own.
"""

from __future__ import annotations

CRIME_TYPES: dict[str, str] = {
    "Anti-social behaviour": "anti-social-behaviour",
    "Bicycle theft": "bicycle-theft",
    "Burglary": "burglary",
    "Criminal damage and arson": "criminal-damage-arson",
    "Drugs": "drugs",
    "Other crime": "other-crime",
    "Other theft": "other-theft",
    "Possession of weapons": "possession-of-weapons",
    "Public order": "public-order",
    "Robbery": "robbery",
    "Shoplifting": "shoplifting",
    "Theft from the person": "theft-from-the-person",
    "Vehicle crime": "vehicle-crime",
    "Violence and sexual offences": "violent-crime",
}

SLUG_TO_NAME: dict[str, str] = {slug: name for name, slug in CRIME_TYPES.items()}

ASB = "anti-social-behaviour"
ALL_SLUGS: tuple[str, ...] = tuple(sorted(SLUG_TO_NAME))
CRIME_SLUGS: tuple[str, ...] = tuple(slug for slug in ALL_SLUGS if slug != ASB)

# Named groups a user can ask for instead of listing slugs.
GROUPS: dict[str, tuple[str, ...]] = {
    "all-crime": CRIME_SLUGS,
    "asb": (ASB,),
    "acquisitive": (
        "bicycle-theft",
        "burglary",
        "other-theft",
        "robbery",
        "shoplifting",
        "theft-from-the-person",
        "vehicle-crime",
    ),
    "violence": ("violent-crime", "robbery", "possession-of-weapons"),
    "proactive": ("drugs", "possession-of-weapons"),
}


def resolve_categories(names: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Turn a group name, a slug or a list of either into a sorted tuple of slugs.

    ``None`` means all crime (ASB excluded). Unknown names raise ``ValueError`` naming them.

    Examples
    --------
    >>> resolve_categories("burglary")
    ('burglary',)
    >>> len(resolve_categories(None))
    13
    """
    if names is None:
        return CRIME_SLUGS
    if isinstance(names, str):
        names = [part.strip() for part in names.split(",") if part.strip()]
    slugs: set[str] = set()
    unknown: list[str] = []
    for name in names:
        if name in GROUPS:
            slugs.update(GROUPS[name])
        elif name in SLUG_TO_NAME:
            slugs.add(name)
        elif name in CRIME_TYPES:
            slugs.add(CRIME_TYPES[name])
        else:
            unknown.append(name)
    if unknown:
        known = ", ".join([*GROUPS, *ALL_SLUGS])
        raise ValueError(f"unknown crime categories {unknown}; use one of: {known}")
    return tuple(sorted(slugs))
