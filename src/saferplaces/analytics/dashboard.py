"""Reads for the monthly dashboard: every ``crimestats`` measure the dashboard calls is called here.

Two cached reads, both keyed by the store's catalogue version (an import raises it, so the next
view computes afresh) and the partnership:

- :func:`dashboard_setup_get`: which months are held and which areas can be chosen;
- :func:`dashboard_get`: the figures, charts and tables for one set of filters.

The wording and the tables are made by :mod:`saferplaces.analytics.dashboard_present` from the
results returned here; no statistic is computed outside ``crimestats``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from crimestats import Query, measures
from crimestats.areas import Area, lsoa_lookup, resolve_area
from crimestats.categories import GROUPS, SLUG_TO_NAME
from crimestats.engines import Engine
from crimestats.measures.breakdown import category_by_place
from crimestats.measures.coverage import months_held
from crimestats.months import add_months, month_label
from crimestats.synthetic import store_is_synthetic
from saferplaces.accounts.models import Partnership
from saferplaces.analytics import dashboard_present as present
from saferplaces.analytics.engine import engine_for
from saferplaces.analytics.forms import PARTNERSHIP, AreaChoice, Filters
from saferplaces.analytics.home import home_cache_key
from saferplaces.analytics.permissions import NOT_ALLOWED, can_view_crime_data
from saferplaces.analytics.selectors import (
    CACHE_SECONDS,
    NO_AREA,
    NO_DATA,
    NOT_COMPUTED,
    READY,
    SUMMARY_FORMAT,
    crime_data_store,
    partnership_area_get,
)
from saferplaces.analytics.spans import longest_comparable_span, same_months_earlier

# The monthly chart shows up to three years ending at the period's last month: enough to see
# the seasonal swing and a trend, short enough to read on a phone.
CHART_MONTHS = 36

CATEGORY_LABELS = {
    "all-crime": "All crime",
    "acquisitive": "Acquisitive crime (thefts, burglary, robbery, vehicle crime)",
    "violence": "Violence, robbery and weapons",
    "proactive": "Drugs and weapons (found mostly by police activity)",
    "asb": "Anti-social behaviour",
}


def category_choices() -> list[tuple[str, str]]:
    """Groups first, then each police.uk category by name (anti-social behaviour is a group)."""
    groups = [(key, CATEGORY_LABELS.get(key, key)) for key in GROUPS]
    singles = sorted(
        ((slug, name) for slug, name in SLUG_TO_NAME.items() if slug != "anti-social-behaviour"),
        key=lambda item: item[1],
    )
    return groups + singles


def category_label(value: str) -> str:
    return dict(category_choices()).get(value, value)


@dataclass(frozen=True)
class DashboardSetup:
    """What the filters may choose from, for one partnership and data catalogue version."""

    state: str
    data_dir: str
    version: int = 0
    message: str = ""
    is_synthetic: bool = False
    stand_in: str = ""
    area_label: str = ""
    held: tuple[date, ...] = ()
    areas: tuple[AreaChoice, ...] = ()


@dataclass(frozen=True)
class Dashboard:
    """The dashboard for one set of filters: plain values, charts and tables (cacheable)."""

    state: str
    message: str = ""
    view: dict[str, Any] = field(default_factory=dict)


def _folder_key(store: Any) -> str:
    return hashlib.sha256(str(Path(store.data_dir).resolve()).encode()).hexdigest()[:12]


def _area_choices(engine: Engine, partnership: Partnership, area: Area) -> tuple[AreaChoice, ...]:
    """The partnership, then its wards, then its LSOAs: names first, codes after."""
    lookup = lsoa_lookup(engine).to_pylist()
    inside = set(area.lsoa_codes)
    rows = [row for row in lookup if row["lsoa21_code"] in inside]
    wards = sorted(
        {
            (row["ward_name"] or row["ward_code"], row["ward_code"])
            for row in rows
            if row.get("ward_code")
        }
    )
    choices = [
        AreaChoice(
            PARTNERSHIP, f"{area.label} (the whole partnership)", "partnership", area, area.label
        )
    ]
    choices += [
        AreaChoice(code, f"{name} ward ({code})", "ward", code, f"{name} ward")
        for name, code in wards
    ]
    for row in sorted(rows, key=lambda r: (r["lsoa21_name"] or "", r["lsoa21_code"])):
        code = row["lsoa21_code"]
        ward = f", {row['ward_name']} ward" if row.get("ward_name") else ""
        name = row["lsoa21_name"] or code
        choices.append(AreaChoice(code, f"{name}{ward} ({code})", "lsoa", code, name))
    return tuple(choices)


def _held_months(engine: Engine, area: Area) -> tuple[date, ...]:
    """Months with data for the area's forces, gaps left out (read from the catalogue)."""
    return months_held(engine, area)


def dashboard_setup_get(*, partnership: Partnership) -> DashboardSetup:
    """Months held and areas to choose from (cached per catalogue version and partnership)."""
    store = crime_data_store()
    data_dir = str(store.data_dir)
    if not store.data_dir.is_dir():
        return DashboardSetup(state=NO_DATA, data_dir=data_dir)
    forces = {partition.force for partition in store.partitions("street")}
    is_synthetic = store_is_synthetic(store.data_dir, forces)
    if not forces or not store.geography_loaded():
        return DashboardSetup(state=NO_DATA, data_dir=data_dir, is_synthetic=is_synthetic)
    version = int(store.catalogue_version())
    folder = _folder_key(store)
    key = f"analytics:dashboard-setup:{SUMMARY_FORMAT}:{folder}:{version}:{partnership.pk}"
    cached = cache.get(key)
    if isinstance(cached, DashboardSetup):
        return cached
    with engine_for(store, version) as engine:
        found = partnership_area_get(engine, partnership, is_synthetic=is_synthetic)
        area, stand_in = found.area, found.stand_in
        if area is None:
            return DashboardSetup(
                state=NO_AREA,
                data_dir=data_dir,
                version=version,
                message=found.message,
                is_synthetic=is_synthetic,
            )
        try:
            held = _held_months(engine, area)
        except ValueError as error:
            return DashboardSetup(
                state=NOT_COMPUTED,
                data_dir=data_dir,
                version=version,
                message=str(error),
                is_synthetic=is_synthetic,
            )
        home = cache.get(home_cache_key(partnership))
        if isinstance(home, dict) and home.get("version") != version:
            cache.delete(home_cache_key(partnership))  # an import since: prepare them again
        setup = DashboardSetup(
            state=READY if held else NO_DATA,
            data_dir=data_dir,
            version=version,
            is_synthetic=is_synthetic,
            stand_in=stand_in,
            area_label=area.label,
            held=held,
            areas=_area_choices(engine, partnership, area),
        )
    cache.set(key, setup, CACHE_SECONDS)
    return setup


def area_outside_name(code: str) -> str | None:
    """The name of a ward or LSOA the loaded geography holds (for "outside the partnership")."""
    store = crime_data_store()
    try:
        version = int(store.catalogue_version())
        with engine_for(store, version) as engine:
            found = resolve_area(engine, code)
    except (ValueError, OSError):
        return None
    return found.label if found.kind in ("ward", "lsoa") else None


if TYPE_CHECKING:
    from saferplaces.analytics.mapquery import MapQuery


def map_query_for(filters: Filters) -> MapQuery:
    """The crime map's question for the dashboard's filters (the same area, months, crimes)."""
    from saferplaces.analytics.mapquery import MapQuery

    area = "" if filters.area == PARTNERSHIP else filters.area
    return MapQuery(area=area, first=filters.first, last=filters.last, category=filters.category)


def _categories(name: str | None) -> tuple[str, ...] | None:
    """The form's one category or group name as the Query's categories (None: all crime)."""
    return (name,) if name else None


def _results(engine: Engine, area: Any, filters: Filters, held: Sequence[date]) -> dict[str, Any]:
    """Every measure the dashboard shows, for the filters (the one place they are called)."""
    now = timezone.now()
    cats = filters.category
    first, last = filters.first, filters.last
    chart_first = max(add_months(last, -(CHART_MONTHS - 1)), min(held))
    span = longest_comparable_span(first, last, set(held))
    period_1, period_2 = (
        (span.period_1, span.period_2)
        if span
        else (same_months_earlier(first, last), (first, last))
    )
    crime_only = cats != "asb"
    place = "ward" if isinstance(area, Area) and area.kind in ("csp", "lads", "lad") else "lsoa"
    asked = _categories(cats)
    period = Query(area, first, last, categories=asked)
    chart_period = Query(area, chart_first, last, categories=asked)
    return {
        "counts": measures.counts(engine, period, computed_at=now),
        "comparison": measures.compare(engine, period, computed_at=now),
        "span": span,
        "change": measures.change(
            engine,
            Query(area, categories=asked),
            period_1=period_1,
            period_2=period_2,
            computed_at=now,
        ),
        "trend": measures.trend(engine, chart_period, computed_at=now),
        "control": measures.control(engine, chart_period, computed_at=now),
        "outcomes": measures.outcomes(engine, period, computed_at=now) if crime_only else None,
        "breakdown": category_by_place(engine, period, place=place, computed_at=now),
    }


def _cache_key(setup: DashboardSetup, partnership: Partnership, filters: Filters) -> str:
    digest = hashlib.sha256(filters.key.encode()).hexdigest()[:16]
    folder = hashlib.sha256(setup.data_dir.encode()).hexdigest()[:12]
    return (
        f"analytics:dashboard:{SUMMARY_FORMAT}:{folder}:{setup.version}:{partnership.pk}:{digest}"
    )


def dashboard_get(
    *,
    user: Any,
    partnership: Partnership,
    setup: DashboardSetup,
    filters: Filters,
    extra_areas: Sequence[AreaChoice] = (),
) -> Dashboard:
    """The dashboard for ``filters`` (cached per catalogue version, partnership and filters)."""
    if not can_view_crime_data(user, partnership):
        raise PermissionDenied(NOT_ALLOWED)
    return dashboard_prepare(
        partnership=partnership, setup=setup, filters=filters, extra_areas=extra_areas
    )


def dashboard_prepare(
    *,
    partnership: Partnership,
    setup: DashboardSetup,
    filters: Filters,
    extra_areas: Sequence[AreaChoice] = (),
) -> Dashboard:
    """Compute (or read from the cache) a dashboard with no user in the loop (warming, tests)."""
    if setup.state != READY:
        return Dashboard(state=setup.state, message=setup.message)
    key = _cache_key(setup, partnership, filters)
    cached = cache.get(key)
    if isinstance(cached, Dashboard):
        return cached
    choice = {c.value: c for c in (*setup.areas, *extra_areas)}[filters.area]
    store = crime_data_store()
    with engine_for(store, setup.version) as engine:
        try:
            results = _results(engine, choice.spec, filters, setup.held)
        except ValueError as error:  # the measures refuse a question the data cannot answer
            return Dashboard(state=NOT_COMPUTED, message=str(error))
    view = present.dashboard_view(
        results,
        filters=filters,
        area_label=choice.title,
        area_kind=choice.kind,
        category_label=category_label(filters.category),
        held=setup.held,
    )
    dashboard = Dashboard(state=READY, view=view)
    cache.set(key, dashboard, CACHE_SECONDS)
    return dashboard


def default_filters(setup: DashboardSetup) -> Filters:
    """The dashboard's first view: all crime in the partnership, the 12 months to the latest."""
    last = setup.held[-1]
    return Filters("rolling", add_months(last, -11), last, PARTNERSHIP, "all-crime")


def month_items(setup: DashboardSetup) -> list[tuple[str, str]]:
    """Every month from the latest held back to the first, missing ones marked."""
    if not setup.held:
        return []
    held = set(setup.held)
    items = []
    month = setup.held[-1]
    while month >= setup.held[0]:
        label = month.strftime("%B %Y") + ("" if month in held else " (no data)")
        items.append((month_label(month), label))
        month = add_months(month, -1)
    return items


# --- the staff home's figures -----------------------------------------------------------------

HOME_CATEGORIES = ("all-crime", *sorted(s for s in SLUG_TO_NAME if s != "anti-social-behaviour"),
                   "asb")  # fmt: skip


def home_figures_prepare(*, partnership: Partnership) -> dict[str, Any]:
    """This month's tested changes that are real, and the latest month's control-chart alerts,
    for every crime type in the partnership (cached like the dashboard)."""
    setup = dashboard_setup_get(partnership=partnership)
    if setup.state != READY:
        figures: dict[str, Any] = {"state": setup.state, "version": setup.version}
        cache.set(home_cache_key(partnership), figures, CACHE_SECONDS)
        return figures
    filters = default_filters(setup)
    span = longest_comparable_span(filters.first, filters.last, set(setup.held))
    area = setup.areas[0].spec
    changes, alerts = [], []
    with engine_for(crime_data_store(), setup.version) as engine:
        for category in HOME_CATEGORIES:
            label = category_label(category).split(" (")[0]
            if span is not None:
                change = measures.change(
                    engine, Query(area, categories=_categories(category)),
                    period_1=span.period_1, period_2=span.period_2,
                )  # fmt: skip
                verdict = change.test.verdict
                if change.tested and verdict is not None and verdict.significant:
                    changes.append({"category": category, "label": label,
                                    "text": verdict.text if not change.test.small_number
                                    else f"{verdict.headline}: {verdict.estimate_text}.",
                                    "direction": verdict.direction})  # fmt: skip
            latest = Query(area, last=filters.last, months=1, categories=_categories(category))
            chart = measures.control(engine, latest).exceedances
            for row in chart.to_pylist():
                if str(row["status"]).startswith("alert"):
                    alerts.append({"category": category, "label": label,
                                   "status": present.CONTROL_WORDS.get(row["status"], ""),
                                   "observed": row["observed"]})  # fmt: skip
    figures = {
        "state": READY,
        "version": setup.version,
        "month": filters.last,
        "span": present.short_span(*span.period_2)
        + " against "
        + present.short_span(*span.period_1)
        if span
        else "",  # fmt: skip
        "whole": bool(span and span.is_whole_period),
        "changes": changes,
        "alerts": alerts,
        "query": filters.query(),
    }
    cache.set(home_cache_key(partnership), figures, CACHE_SECONDS)
    return figures
