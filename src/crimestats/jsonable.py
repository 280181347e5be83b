"""The one conversion of engine values to plain JSON types, with the reason for every ``null``.

Every result (a method's dataclass, a measure's, a CSP profile) becomes JSON through
:func:`to_jsonable`: ``ResultMixin.to_dict`` in :mod:`crimestats.methods` and
:func:`crimestats.serialise.to_dict` both call it, so a number is written the same way whichever
door it leaves by. A non-finite float (``nan``, ``inf``) becomes ``None`` and its dotted path is
recorded with the reason (:func:`null_reason`), so a reader never has to guess why it is missing.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa

__all__ = ["field_path", "null_reason", "to_jsonable"]


def null_reason(value: float) -> str:
    """Why a float cannot be written to JSON.

    Examples
    --------
    >>> null_reason(float("nan")), null_reason(float("-inf"))
    ('undefined (not a number)', 'unbounded (-infinity)')
    """
    if math.isnan(value):
        return "undefined (not a number)"
    return "unbounded (+infinity)" if value > 0 else "unbounded (-infinity)"


def field_path(path: str, name: str) -> str:
    """``path.name`` (or ``name`` at the top).

    Examples
    --------
    >>> field_path("", "rate"), field_path("rate", "upper")
    ('rate', 'rate.upper')
    """
    return f"{path}.{name}" if path else name


def to_jsonable(value: object, path: str, reasons: dict[str, str]) -> Any:
    """``value`` as plain JSON types, recording in ``reasons`` why a float became ``None``.

    Parameters
    ----------
    value : object
        A dataclass (its fields, recursively), an Arrow table (a list of row dicts) or array,
        a NumPy array or scalar, a date or datetime (ISO text), a list, tuple or mapping, or a
        JSON scalar.
    path : str
        The dotted name of ``value`` (``""`` at the top, ``"rate.upper"``, ``"z[3]"``); a reason
        is recorded under it.
    reasons : dict
        Filled with ``path → reason`` for every non-finite float.

    Raises
    ------
    TypeError
        For any other type, so a new kind of field is noticed rather than written as text.

    Examples
    --------
    >>> reasons = {}
    >>> to_jsonable({"ratio": float("inf"), "x": np.int64(3)}, "", reasons)
    {'ratio': None, 'x': 3}
    >>> reasons
    {'ratio': 'unbounded (+infinity)'}
    """
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isfinite(number):
            return number
        reasons[path] = null_reason(number)
        return None
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_jsonable(getattr(value, f.name), field_path(path, f.name), reasons)
            for f in dataclasses.fields(value)
        }
    if isinstance(value, pa.Table):
        rows = value.to_pylist()
        return [to_jsonable(row, f"{path}[{i}]", reasons) for i, row in enumerate(rows)]
    if isinstance(value, pa.Array | pa.ChunkedArray):
        return to_jsonable(value.to_pylist(), path, reasons)
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist(), path, reasons)
    if isinstance(value, list | tuple):
        return [to_jsonable(item, f"{path}[{i}]", reasons) for i, item in enumerate(value)]
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v, field_path(path, str(k)), reasons) for k, v in value.items()}
    raise TypeError(f"cannot convert {type(value).__name__} at {path!r} to JSON")
