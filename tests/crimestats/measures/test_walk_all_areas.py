"""Walk: every verdict runs on every LAD and ward and 200 LSOAs of the shared geography.

Issue #11 "Done when": ``stats change``, ``control``, ``hotspots``, ``harm``, ``seasonal``,
``trend`` and ``profile`` run without an exception on every area the geography knows. The walk
runs in-process on one engine. For the LADs it calls the measures API the CLI calls and renders
each result as the CLI does (terminal report and JSON). For the wards and a seeded sample of
200 LSOAs it calls the hot-spot and harm measures directly and the CSP profile, which runs
change, control, trend, seasonality, hot spots and harm from one cube through the same
``*_from_cube`` functions the measures use — so the walk exercises the other verdicts' code
as it changes, at a cost of about half a second an area.
"""

from __future__ import annotations

import json
import random
import traceback

import pytest

from crimestats import measures as m
from crimestats.areas import lsoa_lookup
from crimestats.profile import csp_profile
from crimestats.query import Query
from crimestats.serialise import to_json
from saferplaces_cli.report import to_report

pytestmark = pytest.mark.realdata

LSOA_SAMPLE = 200
SEED = 20261205


def _areas(engine) -> tuple[list[str], list[str], list[str]]:
    rows = lsoa_lookup(engine).to_pylist()
    lads = sorted({r["lad_code"] for r in rows if r["lad_code"]})
    wards = sorted({r["ward_code"] for r in rows if r["ward_code"]})
    lsoas = sorted({r["lsoa21_code"] for r in rows})
    return lads, wards, random.Random(SEED).sample(lsoas, min(LSOA_SAMPLE, len(lsoas)))


def _cli_calls(engine, area: str) -> dict:
    """What ``saferplaces stats <command> -a AREA`` computes (default periods)."""
    return {
        "change": lambda: m.change(engine, Query.from_strings(area)),
        "control": lambda: m.control(engine, Query.from_strings(area, months=12)),
        "hotspots": lambda: m.hotspots(engine, Query.from_strings(area, months=12)),
        "harm": lambda: m.harm(engine, Query.from_strings(area, months=12)),
        "seasonal": lambda: m.seasonal(engine, Query.from_strings(area, months=36)),
        "trend": lambda: m.trend(engine, Query.from_strings(area, months=36)),
        "profile": lambda: csp_profile(engine, Query.from_strings(area)),
    }


def _run(failures: list[str], area: str, name: str, call, render: bool = False) -> None:
    try:
        result = call()
        if render:
            to_report(result)
            json.loads(to_json(result))
    except Exception:  # noqa: BLE001 - the walk collects every crash, then fails once
        failures.append(f"{name} {area}: {traceback.format_exc(limit=-3)}")


CHUNKS = 6  # the walk is split so pytest-xdist can share it between workers


@pytest.fixture(scope="module")
def areas(engine) -> tuple[list[str], list[str], list[str]]:
    return _areas(engine)


def test_the_walk_covers_every_lad_and_ward_and_the_lsoa_sample(areas):
    lads, wards, lsoas = areas
    assert len(lads) == 9
    assert len(wards) > 150
    assert len(lsoas) == LSOA_SAMPLE


def test_every_verdict_runs_and_renders_on_every_lad(engine, areas):
    failures: list[str] = []
    for area in areas[0]:
        for name, call in _cli_calls(engine, area).items():
            _run(failures, area, name, call, render=True)
    assert not failures, f"{len(failures)} crashes:\n" + "\n".join(failures[:10])


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_verdict_runs_on_every_ward_and_sampled_lsoa(engine, areas, chunk):
    _lads, wards, lsoas = areas
    failures: list[str] = []
    for area in (*wards, *lsoas)[chunk::CHUNKS]:
        _run(
            failures,
            area,
            "hotspots",
            lambda a=area: m.hotspots(engine, Query.from_strings(a, months=12)),
        )
        _run(
            failures, area, "harm", lambda a=area: m.harm(engine, Query.from_strings(a, months=12))
        )
        _run(failures, area, "profile", lambda a=area: csp_profile(engine, Query.from_strings(a)))
    assert not failures, f"{len(failures)} crashes:\n" + "\n".join(failures[:10])
