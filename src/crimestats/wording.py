"""Plain-English helpers for text shown to people: never "1 crimes".

Examples
--------
>>> plural(1, "crime"), plural(2_345, "crime"), plural(0, "month")
('1 crime', '2,345 crimes', '0 months')
>>> plural(1, "LSOA"), plural(3, "LSOA"), plural(2, "person", "people")
('1 LSOA', '3 LSOAs', '2 people')
>>> noun(1, "incident"), noun(1.0, "crime"), noun(0.8, "crime")
('incident', 'crime', 'crimes')
"""

from __future__ import annotations

__all__ = ["noun", "plural"]


def noun(count: float, singular: str, plural_form: str | None = None) -> str:
    """``singular`` when ``count`` is exactly one, else the plural (``singular + "s"``)."""
    return singular if count == 1 else (plural_form or singular + "s")


def plural(count: float, singular: str, plural_form: str | None = None) -> str:
    """``count`` with thousands separators and the noun in the right number.

    Whole numbers print without decimals; others with one decimal ("0.8 crimes").
    """
    text = f"{count:,.0f}" if float(count).is_integer() else f"{count:,.1f}"
    return f"{text} {noun(count, singular, plural_form)}"
