"""The dashboard's change card in words a board member reads."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from crimestats.methods.comparison import two_period_test
from saferplaces.analytics.dashboard_present import _change_card
from saferplaces.analytics.spans import longest_comparable_span


def _change(x1: int, x2: int) -> SimpleNamespace:
    test = two_period_test(x1, x2, 4, 4)
    return SimpleNamespace(
        test=test, tested=test.tested, x1=x1, x2=x2, reason="", dispersion_window=None,
        period_1=(date(2024, 1, 1), date(2024, 4, 1)),
        period_2=(date(2025, 1, 1), date(2025, 4, 1)),
    )  # fmt: skip


def _span() -> object:
    held = {date(2024, m, 1) for m in range(1, 5)} | {date(2025, m, 1) for m in range(1, 13)}
    return longest_comparable_span(date(2025, 1, 1), date(2025, 12, 1), held)


def test_a_change_within_the_noise_is_not_shown_as_a_big_number() -> None:
    card = _change_card(_change(100, 97), _span())
    assert card["tested"]
    assert card["value"] == "No real change"
    assert not card["real"]
    assert "3 fewer crimes" in card["text"]  # the estimate is still given, in the words


def test_a_real_change_shows_its_size() -> None:
    card = _change_card(_change(400, 250), _span())
    assert card["real"]
    assert card["value"] == "150 fewer crimes"
