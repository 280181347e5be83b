"""The analytics app's panels on the staff home page (registered in ``AnalyticsConfig.ready``).

Every member gets a link to the crime data; analysts and managers also get this month's changes
that are real (tested) and the control chart's alerts, read from the cache only: when the figures
are not ready the panel says so and they are prepared in the background. A manager of a new
partnership gets a set-up checklist.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.cache import cache

from saferplaces.accounts.models import Role
from saferplaces.accounts.permissions import roles_can_manage, roles_can_view_analytics
from saferplaces.accounts.selectors import (
    membership_list_for_partnership,
    organisation_list_for_partnership,
)
from saferplaces.core.home_panels import HomePanel, setup_steps_for

FIGURE_ROLES = {Role.ANALYST, Role.PARTNERSHIP_MANAGER}

_preparing: set[Any] = set()
_preparing_lock = threading.Lock()


def _prepare_in_background(partnership: Any) -> None:
    """Compute the home figures on a thread, once at a time per partnership."""
    from saferplaces.analytics.dashboard import home_figures_prepare

    with _preparing_lock:
        if partnership.pk in _preparing:
            return
        _preparing.add(partnership.pk)

    def run() -> None:
        try:
            home_figures_prepare(partnership=partnership)
        finally:
            with _preparing_lock:
                _preparing.discard(partnership.pk)

    threading.Thread(target=run, name=f"home-figures-{partnership.pk}", daemon=True).start()


def home_cache_key(partnership: Any) -> str:
    """Not keyed by the catalogue version: reading it would load the engine's libraries on the
    home page. The figures carry their version; the dashboard drops them after an import."""
    folder = hashlib.sha256(str(settings.DATA_DIR).encode()).hexdigest()[:12]
    return f"analytics:home:{folder}:{partnership.pk}"


def _figures(partnership: Any) -> dict[str, Any] | None:
    cached = cache.get(home_cache_key(partnership))
    figures = cached if isinstance(cached, dict) else None
    if figures is None and getattr(settings, "SAFERPLACES_HOME_FIGURES_IN_BACKGROUND", True):
        _prepare_in_background(partnership)
    return figures


def _checklist(partnership: Any, figures: dict[str, Any] | None) -> list[dict[str, Any]] | None:
    """The set-up steps, or ``None`` once organisations, members and data are all there."""
    organisations = organisation_list_for_partnership(partnership=partnership).count()
    members = membership_list_for_partnership(partnership=partnership).count()
    has_data = bool(figures and figures.get("state") == "ready")
    steps = [
        {"text": "Add the partner organisations", "done": organisations > 1,
         "status": f"{organisations} added" if organisations else "Not started",
         "url": "accounts:organisation_add"},
        {"text": "Invite members", "done": members > 1,
         "status": f"{members} {'member' if members == 1 else 'members'}",
         "url": "accounts:member_invite"},
        {"text": "Load the police data", "done": has_data,
         "status": "Loaded" if has_data else ("Being checked" if figures is None
                                              else "Not loaded"), "url": None},
    ]  # fmt: skip
    steps += setup_steps_for(partnership)  # e.g. the first strategic assessment (its own app)
    if all(step["done"] for step in steps[:3]):
        return None
    return steps


def analytics_home_panels(
    user: Any, partnership: Any, roles: Collection[str], is_current: bool
) -> list[HomePanel]:
    """The crime data panel (every member) and the set-up checklist (managers of a new one)."""
    if not roles_can_view_analytics(roles):
        return []
    wants_figures = bool(FIGURE_ROLES & set(roles))
    figures = _figures(partnership) if wants_figures or roles_can_manage(roles) else None
    panels = [
        HomePanel(
            "Crime data",
            "analytics/_home_panel.html",
            {"figures": figures if wants_figures else None, "show_figures": wants_figures,
             "is_current": is_current},
            order=10,
        )
    ]  # fmt: skip
    if roles_can_manage(roles):
        steps = _checklist(partnership, figures)
        if steps is not None:
            panels.insert(
                0,
                HomePanel(
                    "Setting up the partnership",
                    "analytics/_home_checklist.html",
                    {"steps": steps},
                    order=5,
                ),
            )
    return panels
