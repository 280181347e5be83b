"""The crime figures a partnership sees, checked against hand counts of the raw files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from saferplaces.accounts.models import Role
from saferplaces.analytics import selectors
from saferplaces.analytics.selectors import NO_AREA, NO_DATA, READY, crime_data_get_for_partnership

# ../shared/data/README.md §4 hand counts, kept in the one reference module.
from tests.crimestats.reference import NWL_2025_BY_NAME, NWL_2025_CRIMES
from tests.saferplaces.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)


def _member(lad_codes: list[str], role: str = Role.ANALYST) -> tuple[Any, Any]:
    partnership = PartnershipFactory(lad_codes=lad_codes)
    organisation = OrganisationFactory(partnership=partnership)
    user = MembershipFactory(organisation=organisation, role=role).user
    return user, partnership


def test_real_figures_match_the_hand_counts(db: Any, real_store: Path) -> None:
    user, partnership = _member(["E07000134"])

    data = crime_data_get_for_partnership(user=user, partnership=partnership)

    assert data.state == READY
    assert not data.is_synthetic
    summary = data.summary
    assert summary["area"]["code"] == "E07000134"
    assert summary["period"] == "January to December 2025"
    assert summary["total"] == NWL_2025_CRIMES
    assert summary["asb_total"] == NWL_2025_BY_NAME["Anti-social behaviour"]
    assert {row["category"]: row["count"] for row in summary["categories"]} == NWL_2025_BY_NAME
    # Harm is shown beside counts; drugs, weapons and ASB are left out of the harm total.
    harm = {row["category"]: row["harm"] for row in summary["categories"]}
    assert harm["Drugs"] is None
    assert harm["Anti-social behaviour"] is None
    assert harm["Robbery"] > 0
    assert summary["harm_total"] == pytest.approx(
        sum(row["harm"] for row in summary["categories"] if row["harm"] is not None)
    )


def test_real_rate_comparison_and_change_carry_intervals_and_reasons(
    db: Any, real_store: Path
) -> None:
    user, partnership = _member(["E07000134"])

    summary = crime_data_get_for_partnership(user=user, partnership=partnership).summary

    rate = summary["rate"]
    # 6,610 crimes / 104,713 residents (Census 2021, data README §5) * 1,000 = 63.12
    assert rate["value"] == pytest.approx(NWL_2025_CRIMES / 104_713 * 1000, rel=1e-9)
    assert rate["lower"] < rate["value"] < rate["upper"]
    assert rate["population_year"] == 2021
    comparison = summary["comparison"]
    assert comparison["lower"] < comparison["value"] < comparison["upper"]
    assert comparison["direction"] in {"lower", "higher", "similar"}
    assert "rest of" in comparison["label"]
    # The comparator's own rate, shown beside the ratio (blank before: read as ``rate.rate``).
    assert comparison["comparator_rate"] == pytest.approx(
        rate["value"] / comparison["value"], rel=1e-6
    )
    # 2024 holds only January to April: the change is not tested, and the page says why.
    change = summary["change"]
    assert change["tested"] is False
    assert change["missing_1"] == ["May to December 2024"]
    assert change["held_1"] == 4
    assert "missing" in change["reason"]


def test_real_quality_lists_gaps_as_gaps(db: Any, real_store: Path) -> None:
    user, partnership = _member(["E07000134"])

    summary = crime_data_get_for_partnership(user=user, partnership=partnership).summary

    quality = summary["quality"]
    assert quality["gaps"] == ["January to December 2023", "May to December 2024"]
    assert [force["force"] for force in quality["forces"]] == ["leicestershire"]
    assert quality["forces"][0]["held"] == 16
    assert quality["unlocated_n"] > 0
    provenance = summary["provenance"]
    assert provenance["data_months"] == "January to December 2025"
    assert provenance["months_used"] == 12
    assert provenance["weights_version"]
    assert provenance["population_year"] == 2021


def test_top_neighbourhoods_are_ranked_by_count(db: Any, real_store: Path) -> None:
    user, partnership = _member(["E07000134"])

    top = crime_data_get_for_partnership(user=user, partnership=partnership).summary["top_lsoas"]

    assert len(top) == 10
    assert [row["rank"] for row in top] == list(range(1, 11))
    counts = [row["count"] for row in top]
    assert counts == sorted(counts, reverse=True)
    assert all(row["code"].startswith("E01") and row["ward"] for row in top)


def test_partnership_of_two_districts_is_one_area(db: Any, real_store: Path) -> None:
    # North West Leicestershire and Hinckley and Bosworth (both Leicestershire).
    user, partnership = _member(["E07000134", "E07000132"])

    data = crime_data_get_for_partnership(user=user, partnership=partnership)

    assert data.state == READY
    assert data.summary["area"]["code"] == partnership.gss_code
    assert data.summary["total"] > NWL_2025_CRIMES


def test_district_not_in_the_data_says_so(db: Any, real_store: Path) -> None:
    user, partnership = _member(["E07000999"])

    data = crime_data_get_for_partnership(user=user, partnership=partnership)

    assert data.state == NO_AREA
    assert "E07000999" in data.message


def test_empty_data_folder_gives_the_empty_state(db: Any, empty_store: Path) -> None:
    user, partnership = _member(["E07000134"])

    data = crime_data_get_for_partnership(user=user, partnership=partnership)

    assert data.state == NO_DATA
    assert data.summary == {}


def test_generated_data_is_flagged_and_stands_in_for_the_partnership(
    db: Any, synthetic_store: Path
) -> None:
    user, partnership = _member(["E07000134"])

    data = crime_data_get_for_partnership(user=user, partnership=partnership)

    assert data.state == READY
    assert data.is_synthetic
    assert partnership.name in data.stand_in
    assert data.summary["total"] > 0


def test_result_is_cached_until_the_store_changes(
    db: Any, synthetic_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, partnership = _member(["E07000134"])
    calls = []
    compute = selectors._compute

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return compute(*args, **kwargs)

    monkeypatch.setattr(selectors, "_compute", counting)
    first = crime_data_get_for_partnership(user=user, partnership=partnership)
    second = crime_data_get_for_partnership(user=user, partnership=partnership)
    assert len(calls) == 1
    assert second == first

    # An import raises the catalogue version: the next read computes afresh.
    version = first.catalogue_version
    monkeypatch.setattr(selectors.Store, "catalogue_version", lambda self: version + 1)
    crime_data_get_for_partnership(user=user, partnership=partnership)
    assert len(calls) == 2


@pytest.mark.parametrize("role", ["outsider", "system_admin"])
def test_people_outside_the_partnership_are_refused(db: Any, empty_store: Path, role: str) -> None:
    partnership = PartnershipFactory()
    if role == "system_admin":
        user = UserFactory(is_system_admin=True)
    else:
        user = MembershipFactory(role=Role.PARTNERSHIP_MANAGER).user

    with pytest.raises(PermissionDenied):
        crime_data_get_for_partnership(user=user, partnership=partnership)


def test_a_question_the_data_cannot_answer_is_reported(
    db: Any, synthetic_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, partnership = _member(["E07000134"])

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("no street data for the period")

    monkeypatch.setattr(selectors, "csp_profile", refuse)
    data = crime_data_get_for_partnership(user=user, partnership=partnership)

    assert data.state == selectors.NOT_COMPUTED
    assert data.message == "no street data for the period"


def test_control_chart_trend_and_seasonality_use_the_calibrated_verdicts(
    db: Any, real_store: Path
) -> None:
    user, partnership = _member(["E07000134"])
    summary = crime_data_get_for_partnership(user=user, partnership=partnership).summary
    control = summary["control"]
    assert [row["month"] for row in control["rows"]][0] == "January 2025"
    assert len(control["rows"]) == 12
    # The web tests' store holds 2024 and 2025 only: one year of baseline is not enough (two
    # of the three same months are needed), so every month says so rather than guessing.
    assert control["no_baseline"] == 12
    assert control["alerts"] == 0
    assert {row["status_text"] for row in control["rows"]} == {"No baseline"}
    assert all(row["upper"] is None for row in control["rows"])
    assert "too few complete months" in control["spread"]
    assert not summary["trend"]["run"]
    assert summary["trend"]["reason"]
    assert not summary["seasonal"]["shown"]
    assert summary["seasonal"]["reason"]


def test_change_card_words_the_dispersion_aware_verdict() -> None:
    # Issue 11: the page uses the new verdict, says what it allows for and keeps the Poisson p.
    from datetime import date

    from crimestats.measures.change import DispersionWindow
    from crimestats.methods import two_period_test
    from crimestats.methods.dispersion import DispersionResult
    from saferplaces.analytics.summary import _change
    from tests.saferplaces.analytics._results import change_result

    phi = DispersionResult(
        True, 6.4115, 6.4115, 35, "2019-12", "2022-10", 141.05, 22.0, 0.0, 0.0, 0.0, None
    )
    test = two_period_test(2452, 2270, 4, 4, dispersion=phi)
    window = DispersionWindow(date(2019, 12, 1), date(2022, 10, 1), 35, 65.0, True, "")
    card = _change(change_result(test, diff=-182, window=window))
    assert card["headline"] == "No change distinguishable from noise at the 95 % level"
    assert card["p_value"] == pytest.approx(test.p)
    assert card["p_value"] > 0.1
    assert "about 6.4 times the variance chance alone would give" in card["variation_text"]
    assert "35 months, December 2019 to October 2022" in card["variation_text"]
    assert card["poisson_text"].endswith("gives p = 0.008.")
    small = _change(change_result(two_period_test(1, 2, 4, 4)))
    assert small["small_number"]
    assert small["x1_text"] == "1 crime"
    assert small["caveat"].startswith("How much the counts vary was not estimated")


def test_cache_key_changes_when_the_code_that_shapes_the_summary_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A page rendered a summary cached by older code and failed (missing keys): the key now
    # carries a fingerprint of the summary module and crimestats, so an upgrade misses old entries.
    from pathlib import Path

    from saferplaces.analytics import selectors

    before = selectors._code_fingerprint()
    assert before == selectors.SUMMARY_FORMAT
    original = Path.read_bytes

    def edited(path: Path) -> bytes:
        data = original(path)
        return data + b"# changed" if path.name == "summary.py" else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert selectors._code_fingerprint() != before
