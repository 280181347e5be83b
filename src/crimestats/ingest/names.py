"""data.police.uk file names (month labels come from the store's vocabulary).

A police.uk CSV is named ``YYYY-MM-<force>-<kind>.csv`` and sits in a ``YYYY-MM/`` folder of the
archive. The month and force of every row come from this name (the unit of replacement in the
store), so the parser is strict: anything else is refused with a ``ValueError`` that says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from crimestats.months import month_label, parse_month
from crimestats.store.schema import KINDS

__all__ = [
    "KINDS",
    "PoliceFileName",
    "is_police_csv_name",
    "parse_file_name",
]

# File-name suffix -> store kind. "stop-and-search" is written with hyphens in file names but the
# store kind uses an underscore so it can be a SQL identifier (the reader's view name).
_SUFFIX_TO_KIND = {"street": "street", "outcomes": "outcomes", "stop-and-search": "stop_search"}

_NAME_RE = re.compile(
    r"(?P<month>[0-9]{4}-[0-9]{2})-(?P<force>[a-z0-9]+(?:-[a-z0-9]+)*?)-"
    r"(?P<suffix>street|outcomes|stop-and-search)\.csv",
    re.IGNORECASE | re.ASCII,  # ASCII only: without it [a-z] also matches "ſ" and "K" (Kelvin)
)


@dataclass(frozen=True, slots=True)
class PoliceFileName:
    """What a police.uk file name says: kind of record, force slug and month."""

    kind: str
    force: str
    month: date

    @property
    def month_label(self) -> str:
        """The month as ``YYYY-MM``."""
        return month_label(self.month)


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
