"""Provenance: what every result says about where its numbers came from.

A table in a strategic assessment must be traceable to its inputs: which months of data (and
which were missing), which recording forces, which population year, which method with which
parameters, which harm weights, which ``crimestats`` and which store catalogue. ``computed_at`` is
passed in by the caller: ``crimestats`` never reads the clock (STYLE §3).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from crimestats import __version__

__all__ = ["Provenance", "archive_sources", "describe", "month_label", "month_ranges"]


def month_label(month: date | None) -> str:
    """``YYYY-MM`` for a first-of-month date (``""`` for ``None``).

    Examples
    --------
    >>> month_label(date(2025, 1, 1))
    '2025-01'
    """
    return "" if month is None else f"{month.year:04d}-{month.month:02d}"


def month_ranges(months: Any) -> str:
    """Months as compact ranges: ``2023-01…2023-12, 2024-05…2024-12`` (``none`` if empty).

    Examples
    --------
    >>> month_ranges([date(2024, 5, 1), date(2024, 6, 1), date(2024, 9, 1)])
    '2024-05…2024-06, 2024-09'
    """
    ordered = sorted(months)
    if not ordered:
        return "none"
    runs: list[list[date]] = [[ordered[0]]]
    for month in ordered[1:]:
        prev = runs[-1][-1]
        if (month.year * 12 + month.month) - (prev.year * 12 + prev.month) == 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    label = "{:%Y-%m}".format
    return ", ".join(label(r[0]) if len(r) == 1 else f"{label(r[0])}…{label(r[-1])}" for r in runs)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a result's numbers came from.

    Attributes
    ----------
    data_months : tuple of (date, date)
        First and last month of the period analysed.
    months_used : tuple of date
        Months whose data entered the result (missing months excluded).
    months_missing : tuple of date
        Months in the period that are missing for a principal recording force (§1.5), shown as
        gaps and excluded from every test.
    forces : tuple of str
        Recording forces whose rows were read.
    method : str
        Method and its citation.
    parameters : mapping
        Area, categories, comparator, options: everything needed to recompute the result.
    population_year_used, population_year_wanted : int or None
        The population year used and the one the §2.2 rule asked for.
    population_note : str or None
        Plain-English note when they differ (or when there is no population).
    weights_version : str or None
        Harm weights version (e.g. ``cchi-v1.1``) where harm is involved.
    catalogue_version : str or None
        The store catalogue the data came from.
    computed_at : datetime or None
        When the caller computed it (passed in; never read from the clock here).
    engine : str
        ``duckdb`` or ``spark``.
    notes : tuple of str
        Other caveats that travel with the numbers.
    archives : tuple of str
        The police.uk archives the months used were imported from, each with its archive
        month (police.uk republishes months, so the same month can differ between archives),
        e.g. ``"leicestershire-2025 (archive month 2025-12)"``; see :func:`archive_sources`.
    crimestats_version : str
    """

    data_months: tuple[date, date]
    months_used: tuple[date, ...]
    months_missing: tuple[date, ...]
    forces: tuple[str, ...]
    method: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    population_year_used: int | None = None
    population_year_wanted: int | None = None
    population_note: str | None = None
    weights_version: str | None = None
    catalogue_version: str | None = None
    computed_at: datetime | None = None
    engine: str = "duckdb"
    notes: tuple[str, ...] = ()
    archives: tuple[str, ...] = ()
    crimestats_version: str = __version__

    def with_method(self, method: str, **parameters: Any) -> Provenance:
        """A copy with another method and extra parameters (for a sub-result)."""
        return replace(self, method=method, parameters={**self.parameters, **parameters})

    def with_notes(self, *notes: str) -> Provenance:
        """A copy with more notes (duplicates dropped, order kept)."""
        merged = tuple(dict.fromkeys((*self.notes, *notes)))
        return replace(self, notes=merged)


_ARCHIVE_MONTH = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?!\d)")


def archive_sources(
    entries: Iterable[Any], forces: Iterable[str] | None, months: Iterable[date]
) -> tuple[str, ...]:
    """The archives that supplied ``months`` of ``forces``, each with its archive month.

    ``entries`` are the store's catalogue rows (``force``, ``month`` 'YYYY-MM', ``archive``,
    ``source_file``). The archive month is read from the archive's name when it is a police.uk
    monthly archive (``2025-12.zip`` → 2025-12); otherwise (e.g. ``leicestershire-2025.zip``)
    it is the latest month that archive supplied to the store, marked "latest month held",
    because the store does not record the month of the police.uk release itself.

    Examples
    --------
    >>> from types import SimpleNamespace as E
    >>> rows = [E(force="f", month="2025-11", archive="2025-12", source_file="x"),
    ...         E(force="f", month="2024-01", archive="f-2024", source_file="y"),
    ...         E(force="f", month="2024-12", archive="f-2024", source_file="z")]
    >>> archive_sources(rows, ["f"], [date(2024, 1, 1), date(2025, 11, 1)])
    ('2025-12 (archive month 2025-12)', 'f-2024 (latest month held 2024-12)')
    """
    wanted = {month_label(m) for m in months}
    chosen = None if forces is None else set(forces)
    latest: dict[str, str] = {}
    used: set[str] = set()
    for e in entries:
        name = e.archive or (e.source_file.split("/")[0] if e.source_file else None)
        if not name:
            continue
        latest[name] = max(latest.get(name, ""), e.month)
        if e.month in wanted and (chosen is None or e.force in chosen):
            used.add(name)
    out = []
    for name in sorted(used, key=lambda n: (-int(latest[n].replace("-", "")), n)):
        match = _ARCHIVE_MONTH.fullmatch(name.removesuffix(".zip"))
        if match:
            out.append(f"{name} (archive month {match.group(1)}-{match.group(2)})")
        else:
            out.append(f"{name} (latest month held {latest[name]})")
    return tuple(out)


def describe(provenance: Provenance) -> list[str]:
    """Plain-English lines describing a provenance, for terminals and footnotes.

    Examples
    --------
    >>> p = Provenance((date(2025, 1, 1), date(2025, 12, 1)), (), (), ("leicestershire",), "counts")
    >>> describe(p)[0]
    'Data: 2025-01 to 2025-12 (0 months used; none missing)'
    """
    first, last = provenance.data_months
    missing = provenance.months_missing
    missing_text = (
        "none missing" if not missing else f"{len(missing)} missing: " + month_ranges(missing)
    )
    lines = [
        f"Data: {month_label(first)} to {month_label(last)} "
        f"({len(provenance.months_used)} months used; {missing_text})",
        f"Recording forces: {', '.join(provenance.forces) or 'none'}",
        f"Method: {provenance.method}",
    ]
    if provenance.parameters:
        shown = "; ".join(f"{k}={_short(v)}" for k, v in provenance.parameters.items())
        lines.append(f"Parameters: {shown}")
    if provenance.population_year_used is not None or provenance.population_note:
        lines.append(
            f"Population year: {provenance.population_year_used} "
            f"(wanted {provenance.population_year_wanted})"
            + (f" — {provenance.population_note}" if provenance.population_note else "")
        )
    if provenance.weights_version:
        lines.append(f"Harm weights: {provenance.weights_version}")
    if provenance.archives:
        lines.append("police.uk archives: " + "; ".join(provenance.archives))
    lines.extend(f"Note: {note}" for note in provenance.notes)
    stamp = provenance.computed_at.isoformat(timespec="seconds") if provenance.computed_at else "-"
    lines.append(
        f"crimestats {provenance.crimestats_version}, engine {provenance.engine}, "
        f"catalogue {provenance.catalogue_version or '-'}, computed {stamp}"
    )
    return lines


def _short(value: Any) -> str:
    if isinstance(value, tuple | list):
        text = ",".join(str(v) for v in value)
        return text if len(text) <= 80 else f"{len(value)} items"
    if isinstance(value, date):
        return month_label(value)
    return str(value)
