"""Tests for crimestats.areas: several districts as one area, spelled one way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from crimestats.areas import districts_area, districts_spec, resolve_area
from crimestats.engines import Engine, open_engine
from crimestats.store import Store
from crimestats.synthetic import SyntheticSpec, generate_store

# Four districts (E07900001 … E07900004) of nine LSOAs each, in two forces.
FOUR_DISTRICTS = SyntheticSpec(
    "areas", grid=6, lad_block=3, n_forces=2, first_month=date(2024, 11, 1), n_months=1,
    rows_per_month=200, seed=3,
)  # fmt: skip
FIRST, SECOND = "E07900001", "E07900002"


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    data_dir: Path = tmp_path_factory.mktemp("areas")
    generate_store(data_dir, FOUR_DISTRICTS)
    opened = open_engine(Store(data_dir))
    yield opened
    opened.close()


def test_districts_spec_is_sorted_upper_case_and_without_repeats() -> None:
    assert districts_spec([SECOND, FIRST.lower(), SECOND]) == f"lads:{FIRST},{SECOND}"
    assert districts_spec([f" {FIRST} "]) == FIRST
    assert districts_spec([]) == ""


def test_several_districts_are_the_union_of_their_lsoas(engine: Engine) -> None:
    first, second = resolve_area(engine, FIRST), resolve_area(engine, SECOND)

    area = districts_area(engine, [SECOND, FIRST], code="E22900001", label="Two Districts CSP")

    assert area.lsoa_codes == tuple(sorted(first.lsoa_codes + second.lsoa_codes))
    assert area.n_lsoas == first.n_lsoas + second.n_lsoas == 18
    assert area.pfa_codes == tuple(sorted(set(first.pfa_codes) | set(second.pfa_codes)))
    assert (area.code, area.label, area.kind) == ("E22900001", "Two Districts CSP", "csp")


def test_one_district_keeps_its_own_name(engine: Engine) -> None:
    area = districts_area(engine, [FIRST], code="E22900001", label="Partnership name")

    assert area == resolve_area(engine, FIRST)
    assert (area.kind, area.label) == ("lad", "Synthetic LAD 001")


def test_no_districts_resolves_the_partnership_code(engine: Engine) -> None:
    area = districts_area(engine, [], code=FIRST)

    assert area == resolve_area(engine, FIRST)
    with pytest.raises(ValueError, match="at least one district"):
        districts_area(engine, [])


def test_the_command_line_spelling_resolves_to_the_same_lsoas(engine: Engine) -> None:
    spec = districts_spec([FIRST, SECOND])

    area = resolve_area(engine, spec)

    assert area.lsoa_codes == districts_area(engine, [FIRST, SECOND]).lsoa_codes
    assert (area.code, area.kind) == (spec, "lads")
    assert area.label == "Synthetic LAD 001, Synthetic LAD 002"


def test_an_unknown_or_non_district_code_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="E07900099 is not in the loaded geography"):
        districts_area(engine, [FIRST, "E07900099"])
    with pytest.raises(ValueError, match="not a local authority district"):
        resolve_area(engine, f"lads:{FIRST},E01900001")
