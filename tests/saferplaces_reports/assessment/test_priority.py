"""The priority matrix: weights move the ranking, only tested rises score high, overrides need
a reason, and every score carries its evidence."""

from __future__ import annotations

import pytest

from saferplaces_reports.assessment import PriorityWeights, score_priorities
from saferplaces_reports.assessment.priority import CategoryEvidence, score_trend

# Burglary: low volume, high harm. Shoplifting: high volume, no harm to speak of.
BURGLARY = CategoryEvidence(
    "burglary", "Burglary", 300, 0.04, "none", False, "No change.", None, "", 0.25, "25% of harm."
)
SHOPLIFTING = CategoryEvidence(
    "shoplifting", "Shoplifting", 2_000, 0.25, "none", False, "No change.", None, "", 0.01, ""
)


def _order(rows) -> list[str]:
    return [r.category for r in rows]


def test_weights_change_the_ranking() -> None:
    by_harm = score_priorities([BURGLARY, SHOPLIFTING], PriorityWeights(volume=1, harm=3))
    by_volume = score_priorities([BURGLARY, SHOPLIFTING], PriorityWeights(volume=3, harm=1))
    assert _order(by_harm) == ["burglary", "shoplifting"]
    assert _order(by_volume) == ["shoplifting", "burglary"]
    assert [r.rank for r in by_volume] == [1, 2]


def test_an_insignificant_rise_never_scores_as_rising() -> None:
    # The estimate is a rise (more crimes) but the test cannot tell it from noise: direction
    # "none", and the trend test found no clear trend.
    noisy = CategoryEvidence(
        "robbery", "Robbery", 40, 0.01, change_direction="none",
        change_text="No change distinguishable from noise: 9 more crimes (between 3 fewer and "
        "21 more crimes).", trend_direction="no clear trend",
    )  # fmt: skip
    score, evidence = score_trend(noisy)
    assert score == 2
    assert "9 more crimes" in evidence
    rising = CategoryEvidence("robbery", "Robbery", 40, 0.01, change_direction="rise")
    strong = CategoryEvidence("robbery", "Robbery", 40, 0.01, "rise", True)
    assert score_trend(rising)[0] == 4
    assert score_trend(strong)[0] == 5
    assert score_trend(CategoryEvidence("robbery", "Robbery", 40, 0.01))[0] is None


def test_an_override_without_a_reason_is_refused() -> None:
    with pytest.raises(ValueError, match="needs a reason"):
        score_priorities([BURGLARY], PriorityWeights(), overrides={"burglary": (5.0, "  ")})
    with pytest.raises(ValueError, match="between 0 and 5"):
        score_priorities([BURGLARY], PriorityWeights(), overrides={"burglary": (9.0, "why")})


def test_an_override_reorders_and_keeps_the_computed_score_beside_it() -> None:
    base = score_priorities([BURGLARY, SHOPLIFTING], PriorityWeights(volume=1, harm=3))
    rows = score_priorities(
        [BURGLARY, SHOPLIFTING], PriorityWeights(volume=1, harm=3),
        overrides={"shoplifting": (5.0, "Retailers' partnership asks for it")},
    )  # fmt: skip
    assert _order(rows) == ["shoplifting", "burglary"]
    top = rows[0]
    assert top.final == 5.0
    assert top.weighted == next(r.weighted for r in base if r.category == "shoplifting")
    assert top.override_reason == "Retailers' partnership asks for it"


def test_not_entered_criteria_do_not_count_and_every_score_has_evidence() -> None:
    rows = score_priorities([BURGLARY], PriorityWeights())
    row = rows[0]
    assert row.scores["public_concern"] is None
    assert row.evidence["public_concern"] == "Not entered."
    assert row.evidence["volume"].startswith("300 crimes, 4% of all recorded crime")
    assert row.evidence["harm"] == "25% of harm."
    # Volume 2, trend 2, harm 5 with weights 1, 1, 1.5: (2 + 2 + 7.5) / 3.5.
    assert row.weighted == pytest.approx(11.5 / 3.5, abs=0.005)
    entered = score_priorities([BURGLARY], PriorityWeights(), public_concern={"burglary": 5})
    assert entered[0].weighted > row.weighted
    with pytest.raises(ValueError, match="between 1 and 5"):
        score_priorities([BURGLARY], PriorityWeights(), public_concern={"burglary": 7})


def test_fewer_than_ten_events_get_no_percentage() -> None:
    few = CategoryEvidence("robbery", "Robbery", 4, 0.0004)
    row = score_priorities([few], PriorityWeights())[0]
    assert row.evidence["volume"] == "4 crimes: fewer than 10."
    assert "%" not in row.evidence["volume"]
