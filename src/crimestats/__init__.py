"""crimestats: the SaferPlaces analytics engine (police.uk data, DuckDB over Parquet, no Django).

The public entry points: :class:`Query` (what a measure is asked), :mod:`crimestats.measures`
and :func:`crimestats.profile.csp_profile`.
"""

from crimestats.query import Query

__all__ = ["Query", "__version__"]

__version__ = "0.1.0"
