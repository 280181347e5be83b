"""Tests for crimestats.months: the one module that reads, labels and counts months."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crimestats.months import (
    add_months,
    as_month,
    from_index,
    index_label,
    index_of,
    month_index,
    month_label,
    month_range,
    month_ranges,
    parse_month,
)

MONTHS = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)).map(
    lambda d: d.replace(day=1)
)


@given(MONTHS)
def test_label_parse_and_index_agree(month: date) -> None:
    label = month_label(month)

    assert parse_month(label) == as_month(label) == month
    assert from_index(index_of(month)) == month
    assert index_label(index_of(month)) == label
    assert month_index([label, month, np.datetime64(label)]).tolist() == [index_of(month)] * 3


@given(MONTHS, st.integers(min_value=-240, max_value=240))
def test_adding_months_moves_the_index_by_as_many(month: date, k: int) -> None:
    moved = add_months(month, k)

    assert moved.day == 1
    assert index_of(moved) - index_of(month) == k
    assert add_months(moved, -k) == month


@given(MONTHS, st.integers(min_value=0, max_value=60))
def test_a_range_is_every_month_once_in_order(first: date, k: int) -> None:
    last = add_months(first, k)

    months = month_range(first, last)

    assert len(months) == k + 1
    assert (months[0], months[-1]) == (first, last)
    assert np.diff(month_index(months)).tolist() == [1] * k


@pytest.mark.parametrize(
    "label", ["2025-13", "2025-00", "1899-12", "3000-01", "2025-1", "2025/01", " 2025-01", ""]
)
def test_parse_month_refuses_anything_but_a_plain_label(label: str) -> None:
    with pytest.raises(ValueError, match="not a month label"):
        parse_month(label)


def test_as_month_takes_dates_datetimes_and_padded_labels_but_not_numbers() -> None:
    assert as_month(datetime(2025, 3, 31, 23, 59)) == date(2025, 3, 1)
    assert as_month(date(2025, 3, 17)) == as_month("2025-03\n") == date(2025, 3, 1)
    with pytest.raises(ValueError, match="not a month label"):
        as_month(202503)  # type: ignore[arg-type]


def test_month_ranges_collapse_runs_and_ignore_repeats() -> None:
    months = [date(2024, 1, 1), date(2023, 12, 1), date(2024, 3, 1), date(2024, 1, 1)]

    assert month_ranges(months) == "2023-12…2024-01, 2024-03"
    assert month_ranges([]) == "none"


def test_months_are_parsed_labelled_and_counted_in_one_module_only() -> None:
    import ast
    from pathlib import Path

    import crimestats
    import saferplaces_cli

    helpers = {"parse_month", "format_month", "month_label", "add_months", "month_range",
               "as_month", "month_index", "index_label", "month_ranges", "_add_months"}  # fmt: skip
    roots = [Path(crimestats.__file__).parent, Path(saferplaces_cli.__file__).parent]
    defined = sorted(
        f"{path.name}:{node.name}"
        for root in roots
        for path in root.rglob("*.py")
        if path.name != "months.py"
        for node in ast.parse(path.read_text("utf-8")).body  # module-level functions
        if isinstance(node, ast.FunctionDef) and node.name in helpers
    )

    assert defined == []
