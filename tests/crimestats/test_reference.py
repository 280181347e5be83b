"""The reference counts agree with themselves (a typo copying the README would show here)."""

from __future__ import annotations

from crimestats.categories import ALL_SLUGS
from tests.crimestats.reference import (
    NWL_2025_BY_NAME,
    NWL_2025_BY_TYPE,
    NWL_2025_CRIMES,
    NWL_2025_ROWS,
)


def test_nwl_2025_table_adds_up_to_the_stated_total() -> None:
    assert sum(NWL_2025_BY_TYPE.values()) == NWL_2025_ROWS
    assert NWL_2025_CRIMES == 6_610


def test_nwl_2025_names_every_crime_type_once() -> None:
    assert sorted(NWL_2025_BY_TYPE) == list(ALL_SLUGS)
    assert sum(NWL_2025_BY_NAME.values()) == NWL_2025_ROWS
    assert NWL_2025_BY_NAME["Violence and sexual offences"] == 2_935
