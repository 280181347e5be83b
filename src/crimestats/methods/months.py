"""Calendar-month helpers for monthly series: ``'YYYY-MM'`` labels and dates to integer indices.

A month index is ``year·12 + (month − 1)``, so consecutive months differ by 1 and the same
calendar month one year earlier is ``index − 12``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import numpy as np

__all__ = ["month_index", "month_label"]

_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


def _one(value: Any) -> int:
    if isinstance(value, date):
        return value.year * 12 + value.month - 1
    if isinstance(value, np.datetime64):
        return int(value.astype("datetime64[M]").astype(int)) + 1970 * 12
    if isinstance(value, str):
        match = _LABEL.match(value.strip())
        if match and 1 <= int(match.group(2)) <= 12:
            return int(match.group(1)) * 12 + int(match.group(2)) - 1
    raise ValueError(f"not a month: {value!r} (expected 'YYYY-MM' or a date)")


def month_index(months: Any) -> np.ndarray:
    """Integer month indices for ``'YYYY-MM'`` labels, dates or ``datetime64`` values.

    Parameters
    ----------
    months : sequence of str, datetime.date or numpy.datetime64

    Returns
    -------
    numpy.ndarray of int
        ``year·12 + month − 1``.

    Examples
    --------
    >>> month_index(["2023-12", "2024-01"]).tolist()
    [24287, 24288]
    >>> from datetime import date
    >>> int(month_index([date(2024, 1, 1)])[0]) == 2024 * 12
    True
    """
    return np.fromiter((_one(m) for m in months), dtype=np.int64)


def month_label(index: int) -> str:
    """``'YYYY-MM'`` label of a month index.

    Examples
    --------
    >>> month_label(2024 * 12)
    '2024-01'
    """
    year, month = divmod(int(index), 12)
    return f"{year:04d}-{month + 1:02d}"
