"""Start-up work for a web process, so the first person to open the dashboard does not wait.

The engine's libraries (numpy, scipy, DuckDB, Ibis, matplotlib) take a second or more to import
and each partnership's first dashboard a few more to compute. ``warm_up_in_background`` (called
by the WSGI module when a server starts, never by tests or ``manage.py`` commands) imports them
and prepares every partnership's default dashboard and home figures on a thread, into the cache.
A request that arrives meanwhile waits for the engine lock and then reads the cache.
"""

from __future__ import annotations

import logging
import os
import threading

logger = logging.getLogger(__name__)


def import_engine() -> None:
    """Import what the dashboard uses on first view (no data read)."""
    from saferplaces.analytics import dashboard, downloads  # noqa: F401
    from saferplaces_reports import charts  # noqa: F401


def warm_up() -> None:
    """Prepare every partnership's default dashboard and home figures (cached)."""
    from django.db import close_old_connections

    from saferplaces.accounts.models import Partnership
    from saferplaces.analytics import dashboard
    from saferplaces.analytics.mapdata import map_data_prepare

    import_engine()
    try:
        for partnership in Partnership.objects.all():
            setup = dashboard.dashboard_setup_get(partnership=partnership)
            if setup.state == dashboard.READY:
                filters = dashboard.default_filters(setup)
                dashboard.dashboard_prepare(partnership=partnership, setup=setup, filters=filters)
                map_data_prepare(partnership=partnership, query=dashboard.map_query_for(filters))
                dashboard.home_figures_prepare(partnership=partnership)
    except Exception:  # a warm-up must never stop a server; the pages compute on demand
        logger.exception("dashboard warm-up failed")
    finally:
        close_old_connections()


def warm_up_in_background() -> threading.Thread | None:
    """Start :func:`warm_up` on a daemon thread (``SAFERPLACES_WARM_UP=0`` turns it off)."""
    if os.environ.get("SAFERPLACES_WARM_UP", "1") == "0":
        return None
    thread = threading.Thread(target=warm_up, name="dashboard-warm-up", daemon=True)
    thread.start()
    return thread
