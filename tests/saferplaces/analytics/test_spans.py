"""The longest comparable span: the rule that picks the months a change is tested on."""

from __future__ import annotations

from datetime import date

from crimestats.months import month_range
from saferplaces.analytics.spans import longest_comparable_span, same_months_earlier, year_shift


def _months(first: str, last: str) -> set[date]:
    a, b = (date(int(x[:4]), int(x[5:]), 1) for x in (first, last))
    return set(month_range(a, b))


def test_whole_period_when_every_month_is_held() -> None:
    held = _months("2023-01", "2025-12")
    span = longest_comparable_span(date(2025, 1, 1), date(2025, 12, 1), held)
    assert span is not None
    assert span.is_whole_period
    assert span.period_1 == (date(2024, 1, 1), date(2024, 12, 1))
    assert span.period_2 == (date(2025, 1, 1), date(2025, 12, 1))


def test_leicestershire_gap_gives_january_to_april() -> None:
    # 2024 holds January to April only (data README): the same months of 2025 are compared.
    held = _months("2024-01", "2024-04") | _months("2025-01", "2025-12")
    span = longest_comparable_span(date(2025, 1, 1), date(2025, 12, 1), held)
    assert span is not None
    assert not span.is_whole_period
    assert span.period_2 == (date(2025, 1, 1), date(2025, 4, 1))
    assert span.period_1 == (date(2024, 1, 1), date(2024, 4, 1))
    assert span.months == 4


def test_the_latest_run_wins_a_tie() -> None:
    held = (
        _months("2024-01", "2024-02")
        | _months("2024-05", "2024-06")
        | _months("2025-01", "2025-12")
    )
    span = longest_comparable_span(date(2025, 1, 1), date(2025, 12, 1), held)
    assert span is not None
    assert span.period_2 == (date(2025, 5, 1), date(2025, 6, 1))


def test_a_gap_in_the_later_year_splits_the_run() -> None:
    held = (_months("2024-01", "2025-12")) - {date(2025, 3, 1)}
    span = longest_comparable_span(date(2025, 1, 1), date(2025, 12, 1), held)
    assert span is not None
    assert span.period_2 == (date(2025, 4, 1), date(2025, 12, 1))


def test_no_span_when_the_earlier_year_is_missing() -> None:
    assert (
        longest_comparable_span(date(2025, 1, 1), date(2025, 6, 1), _months("2025-01", "2025-12"))
        is None
    )


def test_periods_longer_than_a_year_move_back_whole_years_and_never_overlap() -> None:
    assert year_shift(date(2024, 1, 1), date(2025, 6, 1)) == 24
    assert same_months_earlier(date(2025, 3, 1), date(2025, 3, 1)) == (
        date(2024, 3, 1),
        date(2024, 3, 1),
    )
