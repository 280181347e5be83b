"""The start-up warm-up fills the cache, so the first view after a server start reads it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.cache import cache


def test_warm_up_prepares_the_default_dashboard_and_home_figures(
    real_store: Path, monkeypatch: Any, db: Any
) -> None:
    from saferplaces.analytics import dashboard, warmup
    from saferplaces.analytics.home import home_cache_key
    from tests.saferplaces.factories import PartnershipFactory

    partnership = PartnershipFactory(lad_codes=["E07000134"])
    warmup.warm_up()

    assert cache.get(home_cache_key(partnership))["state"] == "ready"
    setup = dashboard.dashboard_setup_get(partnership=partnership)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("computed again: the warm-up did not cache the default view")

    monkeypatch.setattr(dashboard, "_results", refuse)
    view = dashboard.dashboard_prepare(
        partnership=partnership, setup=setup, filters=dashboard.default_filters(setup)
    )
    assert view.state == "ready"


def test_warm_up_can_be_turned_off(monkeypatch: Any) -> None:
    from saferplaces.analytics import warmup

    monkeypatch.setenv("SAFERPLACES_WARM_UP", "0")
    assert warmup.warm_up_in_background() is None
