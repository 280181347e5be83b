"""Month labels and police.uk file names: examples and property tests."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crimestats.ingest import parse_file_name
from crimestats.months import month_label, parse_month


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_month_label_round_trips(day: date) -> None:
    first = day.replace(day=1)
    assert parse_month(month_label(first)) == first


@given(st.text())
def test_parse_month_parses_or_refuses_cleanly(text: str) -> None:
    with contextlib.suppress(ValueError):
        assert parse_month(text).day == 1


@given(st.text())
def test_parse_file_name_parses_or_refuses_cleanly(text: str) -> None:
    with contextlib.suppress(ValueError):
        name = parse_file_name(text)
        assert name.kind in {"street", "outcomes", "stop_search"}
        assert name.month.day == 1


@given(
    st.dates(min_value=date(2010, 1, 1), max_value=date(2099, 12, 1)),
    st.from_regex(r"[a-z]+(-[a-z]+){0,3}", fullmatch=True),
    st.sampled_from(["street", "outcomes", "stop-and-search"]),
)
def test_file_name_round_trips(day: date, force: str, suffix: str) -> None:
    label = month_label(day)
    name = parse_file_name(f"{label}/{label}-{force}-{suffix}.csv")
    assert (name.force, name.month_label) == (force, label)
    assert name.kind == suffix.replace("stop-and-search", "stop_search")


@pytest.mark.parametrize("label", ["2025-13", "2025-00", "25-01", "2025-1", "2025-01-01", ""])
def test_parse_month_refuses_bad_labels(label: str) -> None:
    with pytest.raises(ValueError, match="not a month label"):
        parse_month(label)


def test_multi_word_force_and_stop_and_search() -> None:
    name = parse_file_name("2018-10-city-of-london-stop-and-search.csv")
    assert (name.kind, name.force, name.month) == (
        "stop_search",
        "city-of-london",
        date(2018, 10, 1),
    )


@pytest.mark.parametrize(
    "bad", ["2025-01-leicestershire.csv", "leicestershire-street.csv", "2025-01-x-street.txt"]
)
def test_parse_file_name_names_the_expected_layout(bad: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-<force>-<kind>.csv"):
        parse_file_name(bad)
