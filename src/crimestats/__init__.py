"""crimestats: the SaferPlaces analytics engine (police.uk data, DuckDB over Parquet, no Django)."""

__version__ = "0.1.0"
