"""The typed query: bad input is refused when the query is built, with a message naming it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

import crimestats
from crimestats import measures
from crimestats.query import Query, parse_period

NWL = "E07000134"


def test_query_is_public_from_the_package_and_the_measures():
    assert crimestats.Query is Query
    assert measures.Query is Query
    assert "Query" in crimestats.__all__


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"first": "2025-13"}, "first month: '2025-13' is not a month \\(write YYYY-MM"),
        ({"last": "25-01"}, "last month: '25-01' is not a month"),
        ({"first": "2025-06", "last": "2025-01"}, r"starts \(2025-06\) after it ends \(2025-01\)"),
        ({"categories": ""}, "categories: name at least one category"),
        ({"categories": []}, "categories: name at least one category"),
        ({"categories": "burglaries"}, r"unknown crime categories \['burglaries'\]"),
        ({"months": 0}, "months must be at least 1, not 0"),
        ({"forces": []}, "forces: name at least one force"),
    ],
)
def test_from_strings_refuses_bad_input_naming_it(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Query.from_strings(NWL, **kwargs)


def test_the_constructor_refuses_the_same_values():
    with pytest.raises(ValueError, match="after it ends"):
        Query(NWL, first=date(2025, 6, 1), last=date(2025, 1, 1))
    with pytest.raises(ValueError, match="name at least one category"):
        Query(NWL, categories=())
    with pytest.raises(ValueError, match="unknown crime categories"):
        Query(NWL, categories=("burglary", "burglaries"))
    with pytest.raises(ValueError, match="area: give a code"):
        Query(" ")


def test_values_of_the_wrong_kind_are_refused_not_misread():
    # Text for a month would be silently a different type; a bare string of forces would be
    # read letter by letter.
    with pytest.raises(TypeError, match="from_strings"):
        Query(NWL, first="2025-01")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="tuple of names"):
        Query(NWL, forces="leicestershire")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="tuple of names"):
        Query(NWL, categories="burglary")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="whole number"):
        Query(NWL, months=True)


def test_from_strings_reads_what_a_person_types():
    query = Query.from_strings(
        f" {NWL} ", first=" 2025-01", last="2025-12", months=12,
        categories=["burglary, robbery", "acquisitive"], forces="leicestershire,derbyshire",
        comparator=["E07000129"],
    )  # fmt: skip
    assert query == Query(
        NWL, date(2025, 1, 1), date(2025, 12, 1), 12, ("burglary", "robbery", "acquisitive"),
        ("leicestershire", "derbyshire"), ("E07000129",),
    )  # fmt: skip
    assert Query.from_strings(NWL, categories="all").categories == "all"


def test_any_day_is_taken_as_its_month_and_lists_become_tuples():
    query = Query(["E01025913"], first=datetime(2025, 3, 17, 9), last=date(2025, 4, 30))
    assert (query.first, query.last) == (date(2025, 3, 1), date(2025, 4, 1))
    assert query.area == ("E01025913",)
    assert query.period_months(36) == 36
    assert Query(NWL, months=6).period_months(36) == 6


def test_parse_period_names_the_bad_end():
    assert parse_period("2024-01", "2024-12") == (date(2024, 1, 1), date(2024, 12, 1))
    with pytest.raises(ValueError, match="--period1 end: '2024-13' is not a month"):
        parse_period("2024-01", "2024-13", "--period1")
    with pytest.raises(ValueError, match="period 2024-12..2024-01 ends before it starts"):
        parse_period("2024-12", "2024-01")


@pytest.mark.parametrize("ask", [measures.counts, measures.change, measures.harm, measures.quality])
def test_a_measure_given_an_area_code_instead_of_a_query_says_so(ask):
    # The check comes before the engine is touched, so no store is needed.
    with pytest.raises(TypeError, match="takes a crimestats.Query, not 'E07000134'"):
        ask(None, NWL)
