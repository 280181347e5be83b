"""Which months the store holds for an area, read from the catalogue alone (no data scan).

A month is held when a force whose force area holds the area has it and it is not missing by the
rule of §1.5 (absent, empty, or under 20 % of the median of the force's previous 12 months): the
same months every measure treats as gaps.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from crimestats.areas import principal_forces, resolve_area
from crimestats.engines import Engine
from crimestats.measures._scope import build_scope
from crimestats.query import AreaSpec, Query

__all__ = ["months_held"]


def months_held(
    engine: Engine, area: AreaSpec, *, forces: tuple[str, ...] | None = None
) -> tuple[date, ...]:
    """Months from the first to the last the store holds for the area's forces, gaps left out.

    Parameters
    ----------
    engine : Engine
    area : str, list, GeoJSON or Area
        See :func:`crimestats.areas.resolve_area`.
    forces : list of str, optional
        As :func:`crimestats.measures.counts`.

    Returns
    -------
    tuple of date
        First of each month held, oldest first; empty when the store holds none.
    """
    resolved = resolve_area(engine, area)
    parts = engine.partitions("street")
    principal = principal_forces(engine, resolved)
    if principal:
        parts = parts.filter(pc.is_in(parts["force"], pa.array(list(principal), pa.string())))
    if parts.num_rows == 0:
        return ()
    first, last = pc.min(parts["month"]).as_py(), pc.max(parts["month"]).as_py()
    scope = build_scope(engine, Query(resolved, first, last, forces=forces))
    return scope.months_used
