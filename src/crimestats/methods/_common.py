"""Shared pieces for the methods package: the results' ``to_dict`` and small helpers.

Private module: the public names live in the method modules and in ``crimestats.methods``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from crimestats.jsonable import to_jsonable

__all__: list[str] = []

#: A monthly series of counts: numbers, with ``None`` (or ``nan``) for a month not held.
Counts = ArrayLike | Sequence[float | None]

#: Months of a monthly series: ``'YYYY-MM'`` labels, dates or ``datetime64`` values (a sequence
#: or an array, not a one-pass iterator: several functions read it twice).
Months = Sequence[str | date | np.datetime64] | np.ndarray

#: Two-sided 95 % standard normal quantile, kept as a computed constant so it is exact.
Z_95: float = float(stats.norm.ppf(0.975))


class ResultMixin:
    """Gives every result dataclass a ``to_dict()`` with plain JSON-able values.

    Non-finite floats (``inf``, ``nan``) become ``None`` and the field name is listed in
    ``null_reasons`` with the reason, so a consumer never has to guess why a value is missing.
    The conversion is :func:`crimestats.jsonable.to_jsonable`, the same one
    :func:`crimestats.serialise.to_dict` uses.
    """

    __slots__ = ()

    if TYPE_CHECKING:
        # Every subclass is a dataclass: this tells the type checker so (dataclasses sets it).
        __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a dict of JSON-able values (see class docstring)."""
        reasons: dict[str, str] = {}
        out: dict[str, Any] = {}
        for field in dataclasses.fields(self):
            out[field.name] = to_jsonable(getattr(self, field.name), field.name, reasons)
        out["null_reasons"] = reasons
        return out


def two_sided_p(z: Any) -> Any:
    """Two-sided normal p-value ``2·Φ(−|z|)``, computed with ``sf`` for accuracy in the tail."""
    return 2.0 * stats.norm.sf(np.abs(z))


def level_text(alpha: float) -> str:
    """Confidence level as text, e.g. ``"95 %"`` for ``alpha = 0.05``."""
    level = 100.0 * (1.0 - alpha)
    return f"{level:.0f} %" if float(level).is_integer() else f"{level:g} %"


def as_float_array(values: Counts, name: str) -> np.ndarray:
    """Convert counts that may contain ``None`` to a float array with ``nan`` for missing."""
    array = np.asarray(
        [np.nan if v is None else v for v in values]
        if isinstance(values, (list, tuple))
        else values,
        dtype=float,
    )
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    return array


def check_counts(values: ArrayLike, name: str) -> np.ndarray:
    """Validate non-negative counts (integers stored as numbers) and return a float array."""
    array = np.asarray(values, dtype=float)
    if np.any(array < 0) or np.any(~np.isfinite(array)):
        raise ValueError(f"{name} must be finite and non-negative")
    return array
