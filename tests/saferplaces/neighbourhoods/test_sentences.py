"""The "twice the city average" sentence: words only what the exact test found."""

from __future__ import annotations

import math

import pytest

from saferplaces.neighbourhoods.sentences import direction, is_real_difference, ratio_sentence


def test_a_real_difference_names_the_ratio_and_its_interval() -> None:
    text = ratio_sentence(
        "Burglary", "partnership", ratio=2.08, lower=1.61, upper=2.71, p_value=1e-6, count=40
    )
    assert text == (
        "Burglary: 2.1 times the partnership rate (95% interval 1.6 to 2.7 times): "
        "a real difference."
    )


def test_a_lower_rate_is_a_real_difference_too() -> None:
    text = ratio_sentence(
        "Shoplifting", "North West Leicestershire", ratio=0.56, lower=0.32, upper=0.91,
        p_value=0.02, count=17,
    )  # fmt: skip
    assert text.startswith("Shoplifting: 0.56 times the North West Leicestershire rate")
    assert text.endswith("a real difference.")


def test_an_interval_across_one_is_not_distinguishable() -> None:
    text = ratio_sentence(
        "Robbery", "partnership", ratio=1.4, lower=0.6, upper=2.9, p_value=0.4, count=12
    )
    assert text == (
        "Robbery: not distinguishable from the partnership rate "
        "(1.4 times, 95% interval 0.60 to 2.9 times)."
    )


def test_the_test_and_the_interval_must_agree() -> None:
    # p below 0.05 but the interval touches 1: not called real.
    assert not is_real_difference(0.99, 1.8, 0.049)
    assert not is_real_difference(1.1, 1.8, 0.06)
    assert is_real_difference(1.1, 1.8, 0.01)
    assert direction(1.1, 1.8, 0.01) == "higher"
    assert direction(0.2, 0.8, 0.01) == "lower"
    assert direction(0.2, 1.8, 0.5) == "similar"
    assert direction(None, None, None) == "none"


def test_an_interval_end_near_one_is_not_rounded_to_one() -> None:
    text = ratio_sentence("Other crime", "force area", ratio=1.3, lower=1.003, upper=1.6,
                          p_value=0.04, count=75)  # fmt: skip
    assert "1.003 to 1.6" in text


def test_few_crimes_carry_a_caution_and_no_ratio_says_why() -> None:
    text = ratio_sentence("Robbery", "partnership", ratio=0.5, lower=0.1, upper=1.6,
                          p_value=0.5, count=3)  # fmt: skip
    assert "Fewer than 10 crimes" in text
    assert ratio_sentence(
        "Drugs", "partnership", ratio=None, lower=None, upper=None, p_value=None, count=0,
        reason="no population",
    ) == "Drugs: no comparison with the partnership rate (no population)."  # fmt: skip


@pytest.mark.parametrize("upper", [math.inf])
def test_an_open_interval_says_so(upper: float) -> None:
    text = ratio_sentence("Robbery", "partnership", ratio=3.0, lower=0.2, upper=upper,
                          p_value=0.3, count=1)  # fmt: skip
    assert "no upper limit" in text
