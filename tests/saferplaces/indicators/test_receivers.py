"""New crime data makes the plan's bound indicators compute again."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from saferplaces.analytics.signals import crime_data_loaded
from saferplaces.indicators import tasks


def test_new_crime_data_queues_a_refresh_for_partnerships_with_bound_indicators(
    make_bound: Any, nwl: Any, monkeypatch: Any
) -> None:
    queued: list[str] = []
    monkeypatch.setattr(
        tasks,
        "refresh_bound_indicators",
        SimpleNamespace(enqueue=lambda **kwargs: queued.append(kwargs["partnership_id"])),
    )
    crime_data_loaded.send(sender=None, data_dir=Path("/nowhere"))
    assert queued == []  # no bound indicator yet: nothing to do

    make_bound("Anti-social behaviour in the district", ["anti-social-behaviour"])
    crime_data_loaded.send(sender=None, data_dir=Path("/nowhere"))
    assert queued == [str(nwl.pk)]
