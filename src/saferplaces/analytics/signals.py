"""Signals other apps listen to, so that analytics need not import them.

``crime_data_loaded`` is sent after new police.uk data is in the store (``sender`` is the
analytics app's loader; ``data_dir`` the store's folder). The plan indicators recompute on it.
"""

from __future__ import annotations

from django.dispatch import Signal

crime_data_loaded = Signal()
