"""What the indicators do when something happens elsewhere (signals, connected in ``apps``)."""

from __future__ import annotations

from typing import Any

from saferplaces.indicators.models import Indicator, Kind


def refresh_after_import(sender: Any, **kwargs: Any) -> None:
    """Queue a recomputation of every partnership's bound indicators after new crime data.

    Only partnerships that have bound indicators are queued; the worker computes them (the
    command line import, which runs without the web app, is followed by the daily
    ``saferplaces_refresh_indicators``: docs/admin-guide.md).
    """
    from saferplaces.indicators.tasks import refresh_bound_indicators

    partnerships = (
        Indicator.objects.filter(kind=Kind.BOUND)
        .values_list("plan__partnership_id", flat=True)
        .distinct()
    )
    for partnership_id in partnerships:
        refresh_bound_indicators.enqueue(partnership_id=str(partnership_id))
