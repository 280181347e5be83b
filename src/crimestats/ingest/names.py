"""Month labels and data.police.uk file names.

A police.uk CSV is named ``YYYY-MM-<force>-<kind>.csv`` and sits in a ``YYYY-MM/`` folder of the
archive. The month and force of every row come from this name (the unit of replacement in the
store), so the parser is strict: anything else is refused with a ``ValueError`` that says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

KINDS: tuple[str, ...] = ("street", "outcomes", "stop_search")

# File-name suffix -> store kind. "stop-and-search" is written with hyphens in file names but the
# store kind uses an underscore so it can be a SQL identifier (the reader's view name).
_SUFFIX_TO_KIND = {"street": "street", "outcomes": "outcomes", "stop-and-search": "stop_search"}

_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_NAME_RE = re.compile(
    r"(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9]+(?:-[a-z0-9]+)*?)-"
    r"(?P<suffix>street|outcomes|stop-and-search)\.csv",
    re.IGNORECASE,
)


def parse_month(label: str) -> date:
    """Parse a ``YYYY-MM`` month label into the first day of that month.

    Parameters
    ----------
    label : str
        Exactly ``YYYY-MM`` with a month from 01 to 12 and a year from 1900 to 2999.

    Returns
    -------
    datetime.date
        The first day of the month.

    Raises
    ------
    ValueError
        If ``label`` is not a valid month label.

    Examples
    --------
    >>> parse_month("2025-01")
    datetime.date(2025, 1, 1)
    """
    match = _MONTH_RE.fullmatch(label) if isinstance(label, str) else None
    if match is None:
        raise ValueError(f"not a month label (expected YYYY-MM): {label!r}")
    year, month = int(match.group(1)), int(match.group(2))
    if not (1900 <= year <= 2999 and 1 <= month <= 12):
        raise ValueError(f"not a month label (month or year out of range): {label!r}")
    return date(year, month, 1)


def format_month(month: date) -> str:
    """Format a date as its ``YYYY-MM`` month label.

    Examples
    --------
    >>> format_month(date(2025, 3, 1))
    '2025-03'
    """
    return f"{month.year:04d}-{month.month:02d}"


@dataclass(frozen=True, slots=True)
class PoliceFileName:
    """What a police.uk file name says: kind of record, force slug and month."""

    kind: str
    force: str
    month: date

    @property
    def month_label(self) -> str:
        """The month as ``YYYY-MM``."""
        return format_month(self.month)


def parse_file_name(name: str) -> PoliceFileName:
    """Read the kind, force and month from a data.police.uk CSV file name.

    Parameters
    ----------
    name : str
        A base name such as ``2025-01-leicestershire-street.csv`` (any folder part is ignored).

    Returns
    -------
    PoliceFileName

    Raises
    ------
    ValueError
        If the name does not follow ``YYYY-MM-<force>-<street|outcomes|stop-and-search>.csv``.

    Examples
    --------
    >>> parse_file_name("2018-10/2018-10-city-of-london-outcomes.csv")
    PoliceFileName(kind='outcomes', force='city-of-london', month=datetime.date(2018, 10, 1))
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    match = _NAME_RE.fullmatch(base)
    if match is None:
        raise ValueError(
            f"file name {base!r} does not follow YYYY-MM-<force>-<kind>.csv "
            "(kind: street, outcomes or stop-and-search)"
        )
    month = parse_month(match.group("month"))
    kind = _SUFFIX_TO_KIND[match.group("suffix").lower()]
    return PoliceFileName(kind=kind, force=match.group("force").lower(), month=month)


def is_police_csv_name(name: str) -> bool:
    """Tell whether ``name`` looks like a police.uk CSV (so folders can skip other files).

    Examples
    --------
    >>> is_police_csv_name("2025-01/2025-01-derbyshire-street.csv"), is_police_csv_name("README")
    (True, False)
    """
    try:
        parse_file_name(name)
    except ValueError:
        return False
    return True
