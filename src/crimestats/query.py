"""The question a measure answers: which area, which months, which categories, which forces.

Every public measure (:mod:`crimestats.measures`) and :func:`crimestats.profile.csp_profile`
takes one :class:`Query` rather than the same half-dozen loosely typed keyword arguments each.
The query checks what it can without the store (month labels, the order of the period, category
names, empty lists) when it is built, so a bad question fails with a message naming the field
before any data is read; what needs the store (an unknown area code, a period with no data) is
checked when a measure resolves it.

A measure refuses a field it cannot honour rather than quietly answering another question:
:func:`~crimestats.measures.change` takes its periods as ``period_1``/``period_2``, not a first
month; :func:`~crimestats.measures.quality` and the profile cover every category.

This module imports nothing heavy (no Arrow, no Ibis), so ``import crimestats`` stays cheap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from crimestats.categories import resolve_categories
from crimestats.months import month_label, parse_month

if TYPE_CHECKING:
    from crimestats.areas import Area, Comparator

__all__ = [
    "AreaSpec",
    "Categories",
    "ComparatorSpec",
    "Period",
    "Query",
    "checked_query",
    "parse_month_text",
    "parse_period",
]

AreaSpec: TypeAlias = "str | tuple[str, ...] | Mapping[str, Any] | Area"
"""A code (``"E22000170"``, ``"lads:…"``, ``"lsoas:…"``), LSOA codes, a GeoJSON mapping or an Area.

See :func:`crimestats.areas.resolve_area`.
"""

Categories: TypeAlias = tuple[str, ...] | Literal["all"] | None
"""Slugs or group names; ``None`` all crime (ASB excluded); ``"all"`` every police.uk category."""

ComparatorSpec: TypeAlias = "str | tuple[str, ...] | Comparator"
"""``"rest-of-force"``, ``"force"``, ``"loaded"``, ``"peers:CODE,CODE"``, peer area codes, or a
comparator already resolved by :func:`crimestats.areas.resolve_comparator` (e.g. a whole
partnership as the "average" a neighbourhood is compared with)."""

Period: TypeAlias = tuple[date, date]
"""First and last month of a period, both inclusive (first of month)."""

_MONTH_HINT = "write YYYY-MM, e.g. 2024-01"


def parse_month_text(text: str, what: str) -> date:
    """The month ``text`` names (``'YYYY-MM'``), or a ``ValueError`` naming ``what`` it was for.

    Examples
    --------
    >>> parse_month_text(" 2024-03 ", "first month")
    datetime.date(2024, 3, 1)
    >>> parse_month_text("2024-13", "first month")
    Traceback (most recent call last):
    ...
    ValueError: first month: '2024-13' is not a month (write YYYY-MM, e.g. 2024-01)
    """
    try:
        return parse_month(text.strip())
    except ValueError:
        raise ValueError(f"{what}: {text!r} is not a month ({_MONTH_HINT})") from None


def parse_period(first: str, last: str, what: str = "period") -> Period:
    """A period from two ``'YYYY-MM'`` labels, checked to start no later than it ends.

    Examples
    --------
    >>> parse_period("2024-01", "2024-12")
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 1))
    >>> parse_period("2024-12", "2024-01")
    Traceback (most recent call last):
    ...
    ValueError: period 2024-12..2024-01 ends before it starts
    """
    start = parse_month_text(first, f"{what} start")
    end = parse_month_text(last, f"{what} end")
    if start > end:
        raise ValueError(f"{what} {month_label(start)}..{month_label(end)} ends before it starts")
    return start, end


def _month_or_none(value: object, name: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return date(value.year, value.month, 1)
    if isinstance(value, date):
        return value.replace(day=1)
    raise TypeError(
        f"{name} must be a date or None, not {value!r} (Query.from_strings reads 'YYYY-MM' text)"
    )


def _names(value: object, name: str, empty: str) -> tuple[str, ...]:
    """A tuple of non-blank strings from a tuple or list; never a bare string (it would split)."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a tuple of names, not {value!r}")
    names = tuple(value)
    if not names:
        raise ValueError(f"{name}: {empty}")
    bad = [n for n in names if not isinstance(n, str) or not n.strip()]
    if bad:
        raise ValueError(f"{name}: blank or non-text names {bad!r}")
    return tuple(n.strip() for n in names)


def _split(value: str | Sequence[str]) -> tuple[str, ...]:
    """``"a, b"`` or ``["a", "b,c"]`` as ``("a", "b", "c")`` (blanks dropped)."""
    parts = [value] if isinstance(value, str) else list(value)
    return tuple(p.strip() for part in parts for p in part.split(",") if p.strip())


def _is_resolved_comparator(value: object) -> bool:
    # Checked by name so that this module need not import crimestats.areas (Arrow) at start-up.
    return type(value).__name__ == "Comparator" and hasattr(value, "lsoa_codes")


@dataclass(frozen=True, slots=True)
class Query:
    """What a measure is asked about: area, period, categories, recording forces, comparator.

    Attributes
    ----------
    area : AreaSpec
        See :func:`crimestats.areas.resolve_area`.
    first, last : date or None
        The period, months inclusive (any day is taken as its month). ``last`` defaults to the
        latest month held for the area's forces, ``first`` to ``months`` months before ``last``.
    months : int or None
        Length of the period when ``first`` is not given; ``None`` takes the measure's default
        (12 for most, 36 for trend, seasonality, data quality and the profile).
    categories : tuple of str, "all" or None
        Slugs or group names (:func:`crimestats.categories.resolve_categories`); ``None`` all
        crime (ASB excluded), or the measure's own default where it has one (harm: ``"all"``).
    forces : tuple of str or None
        Only rows recorded by these forces (default: every force, so rows another force
        recorded inside the area are counted, once).
    comparator : str or tuple of str, default "rest-of-force"
        What :func:`~crimestats.measures.compare` and the profile compare the area's rate with
        (:func:`crimestats.areas.resolve_comparator`); other measures do not use it.

    Raises
    ------
    ValueError
        For a period that starts after it ends, ``months`` under 1, an empty category or force
        list, or an unknown category, each naming what is wrong.
    TypeError
        For a value of the wrong kind (``"2024-01"`` text for a month: use :meth:`from_strings`).

    Examples
    --------
    >>> q = Query.from_strings("E22000170", first="2025-01", last="2025-12", categories="burglary")
    >>> q.first, q.last, q.categories
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 1), ('burglary',))
    """

    area: AreaSpec
    first: date | None = None
    last: date | None = None
    months: int | None = None
    categories: Categories = None
    forces: tuple[str, ...] | None = None
    comparator: ComparatorSpec = "rest-of-force"

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalise in place once, here only
        set_(self, "area", self._checked_area(self.area))
        first = _month_or_none(self.first, "first")
        last = _month_or_none(self.last, "last")
        if first is not None and last is not None and first > last:
            raise ValueError(
                f"the period starts ({month_label(first)}) after it ends ({month_label(last)})"
            )
        set_(self, "first", first)
        set_(self, "last", last)
        if self.months is not None:
            if isinstance(self.months, bool) or not isinstance(self.months, int):
                raise TypeError(f"months must be a whole number, not {self.months!r}")
            if self.months < 1:
                raise ValueError(f"months must be at least 1, not {self.months}")
        if self.categories is not None and self.categories != "all":
            names = _names(
                self.categories, "categories",
                "name at least one category (None means all crime without ASB, 'all' every "
                "category)",
            )  # fmt: skip
            resolve_categories(names)  # raises naming any unknown category
            set_(self, "categories", names)
        if self.forces is not None:
            forces = _names(self.forces, "forces", "name at least one force, or None for all")
            set_(self, "forces", forces)
        if _is_resolved_comparator(self.comparator):
            pass  # resolved by crimestats.areas: nothing left to check
        elif not isinstance(self.comparator, str):
            set_(
                self, "comparator", _names(self.comparator, "comparator", "name at least one peer")
            )
        elif not self.comparator.strip():
            raise ValueError("comparator: name one (rest-of-force, force, loaded or peers:CODE)")

    @staticmethod
    def _checked_area(area: object) -> AreaSpec:
        if isinstance(area, str):
            if not area.strip():
                raise ValueError("area: give a code such as E22000170, or a list of LSOA codes")
            return area.strip()
        if isinstance(area, Mapping):
            return area
        if isinstance(area, Sequence):
            return _names(area, "area", "a list of LSOAs needs at least one code")
        from crimestats.areas import Area  # only reached with an Area, so already imported

        if isinstance(area, Area):
            return area
        raise TypeError(f"area must be a code, LSOA codes, GeoJSON or an Area, not {area!r}")

    @classmethod
    def from_strings(
        cls,
        area: AreaSpec,
        *,
        first: str | None = None,
        last: str | None = None,
        months: int | None = None,
        categories: str | Sequence[str] | None = None,
        forces: str | Sequence[str] | None = None,
        comparator: str | Sequence[str] = "rest-of-force",
    ) -> Query:
        """A query from text as a person types it (the command line, a form, a notebook).

        ``first``/``last`` are ``'YYYY-MM'``; ``categories`` and ``forces`` a name, a
        comma-separated list or a list of either; ``categories="all"`` every category.

        Examples
        --------
        >>> Query.from_strings("E22000170", first="2025-13")
        Traceback (most recent call last):
        ...
        ValueError: first month: '2025-13' is not a month (write YYYY-MM, e.g. 2024-01)
        """
        chosen: Categories
        if categories is None:
            chosen = None
        elif isinstance(categories, str) and categories.strip() == "all":
            chosen = "all"
        else:
            chosen = _split(categories)
        return cls(
            area,
            first=None if first is None else parse_month_text(first, "first month"),
            last=None if last is None else parse_month_text(last, "last month"),
            months=months,
            categories=chosen,
            forces=None if forces is None else _split(forces),
            comparator=comparator if isinstance(comparator, str) else tuple(comparator),
        )

    def period_months(self, default: int) -> int:
        """``months``, or the measure's ``default`` when the query leaves it open."""
        return default if self.months is None else self.months

    def with_period(self, first: date | None, last: date | None) -> Query:
        """The same question over another period (``months`` then matters only without first)."""
        return replace(self, first=first, last=last)


def checked_query(value: object) -> Query:
    """``value`` if it is a :class:`Query`; otherwise a ``TypeError`` that shows the new call.

    Measures once took the area and period as separate arguments; a caller still passing an area
    code where the query goes gets this message rather than an ``AttributeError`` from inside.
    """
    if isinstance(value, Query):
        return value
    raise TypeError(
        f"a measure takes a crimestats.Query, not {value!r}: e.g. "
        "measures.counts(engine, Query.from_strings('E07000134', first='2025-01'))"
    )
