"""The Parquet store of police.uk records and its SQLite catalogue (ADR 0002)."""

from crimestats.store.catalogue import Catalogue, CatalogueEntry
from crimestats.store.config import resolve_data_dir, shared_data_dir
from crimestats.store.reader import GEOGRAPHY_COLUMNS, Partition, Store

__all__ = [
    "GEOGRAPHY_COLUMNS",
    "Catalogue",
    "CatalogueEntry",
    "Partition",
    "Store",
    "resolve_data_dir",
    "shared_data_dir",
]
