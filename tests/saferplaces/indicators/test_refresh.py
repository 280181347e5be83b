"""Bound indicators computed from the real North West Leicestershire data equal the crimestats
measures called directly; months the store does not hold are "no data", never zero."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crimestats import measures
from crimestats.query import Query
from crimestats.store import Store
from saferplaces.analytics.engine import engine_for
from saferplaces.indicators.tasks import refresh_bound_indicators
from tests.saferplaces.indicators.conftest import NWL

pytestmark = pytest.mark.django_db
COALVILLE = ["E05010104", "E05010105"]


def _direct(store_dir: Path, area: Any, categories: tuple[str, ...], last: date) -> Any:
    store = Store(store_dir)
    with engine_for(store, int(store.catalogue_version())) as engine:
        query = Query(area, first=date(last.year, 1, 1), last=last, categories=categories)
        return measures.counts(engine, query).total, measures.rates(engine, query).rate


def test_refresh_equals_the_measures_called_directly(
    nwl_store: Path, make_bound: Callable[..., Any], nwl: Any
) -> None:
    asb = make_bound("ASB in the district", ["anti-social-behaviour"], "count")
    acquisitive = make_bound(
        "Acquisitive crime rate in Coalville",
        ["acquisitive"],
        "rate",
        area={"kind": "wards", "wards": COALVILLE},
    )

    refresh_bound_indicators.enqueue(partnership_id=str(nwl.pk))

    december = date(2025, 12, 1)
    asb_row = asb.values.get(month=december)
    acq_row = acquisitive.values.get(month=december)
    total, _ = _direct(nwl_store, NWL, ("anti-social-behaviour",), december)
    from crimestats.areas import resolve_area

    store = Store(nwl_store)
    with engine_for(store, int(store.catalogue_version())) as engine:
        lsoas = tuple(sorted({c for w in COALVILLE for c in resolve_area(engine, w).lsoa_codes}))
    _, rate = _direct(nwl_store, lsoas, ("acquisitive",), december)
    assert asb_row.value == total
    assert asb_row.n == total
    assert asb_row.months_held == 12
    assert acq_row.value == pytest.approx(rate.rate)
    assert (acq_row.low, acq_row.high) == (pytest.approx(rate.lower), pytest.approx(rate.upper))
    assert "police.uk data months Jan 2025–Dec 2025" in asb_row.source
    assert "catalogue version" in asb_row.source


def test_months_the_store_does_not_hold_are_no_data_not_zero(
    nwl_store: Path, make_bound: Callable[..., Any], nwl: Any
) -> None:
    asb = make_bound("ASB in the district", ["anti-social-behaviour"], "count")

    refresh_bound_indicators.enqueue(partnership_id=str(nwl.pk))

    # The small store holds January to April 2024 and all of 2025: May to December 2024 is
    # not held, so the 12 months to December 2024 are not held either.
    gap = asb.values.get(month=date(2024, 12, 1))
    assert gap.no_data is True
    assert gap.value is None
    assert gap.n is None


def test_an_indicator_whose_latest_period_is_not_held_is_no_data_never_green(
    nwl_store: Path, make_bound: Callable[..., Any], nwl: Any
) -> None:
    # A target that the (missing) period would easily meet: still "no data", not green.
    asb = make_bound(
        "ASB in the district",
        ["anti-social-behaviour"],
        "count",
        baseline_value=5000.0,
        baseline_month=date(2024, 4, 1),
        target_value=4000.0,
        target_date=date(2026, 4, 1),
    )
    from saferplaces.indicators import services

    rows = list(asb.values.order_by("month"))
    assert rows == []  # nothing computed yet: no data
    services._judge_and_store(asb)
    asb.refresh_from_db()
    assert asb.rag_colour == "no_data"


def test_an_area_not_in_the_data_is_no_data_with_the_reason(
    nwl_store: Path, make_bound: Callable[..., Any], nwl: Any
) -> None:
    elsewhere = make_bound(
        "Somewhere else", ["burglary"], "count", area={"kind": "wards", "wards": ["E05999999"]}
    )

    refresh_bound_indicators.enqueue(partnership_id=str(nwl.pk))

    elsewhere.refresh_from_db()
    assert elsewhere.rag_colour == "no_data"
    assert "could not be computed" in elsewhere.rag_text
    assert not elsewhere.values.filter(value=0).exists()
