"""Month labels and police.uk file names: examples and property tests."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from crimestats.ingest import parse_file_name
from crimestats.months import month_label, parse_month


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_month_label_round_trips(day: date) -> None:
    first = day.replace(day=1)
    assert parse_month(month_label(first)) == first


# Month-shaped text: ASCII digits (valid or out of range) and any Unicode digits, which must be
# refused (int() reads "٢٠٢٥" as 2025, so a lax pattern took "٢٠٢٥-٠١" for January 2025).
_MONTHISH = st.one_of(
    st.from_regex(r"[0-9]{4}-[0-9]{2}", fullmatch=True),
    st.from_regex(r"\d{4}-\d{2}", fullmatch=True),
)
_ASCII_LABEL = re.compile(r"([0-9]{4})-([0-9]{2})")


@example("٢٠٢٥-٠١")
@example("2025-13")
@given(st.one_of(st.text(), _MONTHISH))
def test_parse_month_accepts_exactly_the_valid_labels(text: str) -> None:
    shaped = _ASCII_LABEL.fullmatch(text)
    if shaped is None or not (1900 <= int(shaped[1]) <= 2999 and 1 <= int(shaped[2]) <= 12):
        with pytest.raises(ValueError, match="not a month label"):
            parse_month(text)
        return
    month = parse_month(text)
    assert month == date(int(shaped[1]), int(shaped[2]), 1)
    assert month_label(month) == text


_NAMES = st.builds(
    "{}-{}-{}.csv".format,
    _MONTHISH,
    st.from_regex(r"[a-z]+(-[a-z]+){0,2}", fullmatch=True),
    st.sampled_from(["street", "outcomes", "stop-and-search"]),
)


@example("٢٠٢٥-٠١-leicestershire-street.csv")
@given(st.one_of(st.text(), _NAMES))
def test_parse_file_name_reads_the_month_as_written_or_refuses(text: str) -> None:
    try:
        name = parse_file_name(text)
    except ValueError:
        return  # refused cleanly; the names drawn from _NAMES reach the checks below
    base = text.replace("\\", "/").rsplit("/", 1)[-1]
    assert name.month_label == base[:7]
    assert name.kind in {"street", "outcomes", "stop_search"}


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
    "bad",
    [
        "2025-01-leicestershire.csv",
        "leicestershire-street.csv",
        "2025-01-x-street.txt",
        "٢٠٢٥-٠١-leicestershire-street.csv",  # Arabic-Indic digits
        "2025-01-leiceſtershire-street.csv",  # long s, which [a-z] matches ignoring case
    ],
)
def test_parse_file_name_names_the_expected_layout(bad: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-<force>-<kind>.csv"):
        parse_file_name(bad)
