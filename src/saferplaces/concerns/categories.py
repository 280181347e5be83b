"""What a resident can report: categories in three groups, and which are sensitive.

Sensitive categories (drugs, hate) are never shown in public or aggregated outputs such as the
"you said, we did" page: a count of drug reports in a small area can point at a household, and
hate incidents are for the police's own reporting routes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    group: str
    hint: str = ""
    sensitive: bool = False


ASB = "Antisocial behaviour"
ENVIRONMENT = "Environmental problems"
CRIME = "Crime-related concerns"
GROUPS = (ASB, ENVIRONMENT, CRIME)

CATEGORIES: tuple[Category, ...] = (
    Category("noise", "Noise or nuisance neighbours", ASB),
    Category("rowdy", "Rowdy or intimidating behaviour", ASB),
    Category("vehicle_nuisance", "Off-road bikes or vehicle nuisance", ASB),
    Category("street_drinking", "Street drinking", ASB),
    Category("drugs", "Drug dealing or drug use", ASB, sensitive=True),
    Category(
        "hate",
        "Hate-related behaviour or graffiti",
        ASB,
        hint="Behaviour or words aimed at someone because of who they are. If it is a "
        "crime, also report it to the police on 101 or at report-it.org.uk",
        sensitive=True,
    ),
    Category("fly_tipping", "Fly-tipping", ENVIRONMENT),
    Category("graffiti", "Graffiti", ENVIRONMENT),
    Category("litter", "Litter", ENVIRONMENT),
    Category("dog_fouling", "Dog fouling", ENVIRONMENT),
    Category("abandoned_vehicle", "Abandoned vehicle", ENVIRONMENT),
    Category("street_lighting", "Street lighting not working", ENVIRONMENT),
    Category("suspicious", "Suspicious activity", CRIME),
    Category("damage", "Damage to property", CRIME),
    Category("unsafe_place", "A place that feels unsafe", CRIME),
)

BY_KEY = {category.key: category for category in CATEGORIES}
CHOICES = [(category.key, category.label) for category in CATEGORIES]
SENSITIVE = frozenset(category.key for category in CATEGORIES if category.sensitive)


def category_label(key: str) -> str:
    found = BY_KEY.get(key)
    return found.label if found else key


def grouped() -> list[tuple[str, list[Category]]]:
    return [(group, [c for c in CATEGORIES if c.group == group]) for group in GROUPS]
