"""Reads of crime data for a partnership: the figures come from ``crimestats``, cached.

The data folder is ``settings.DATA_DIR``. Results are cached in Django's cache under the store's
``catalogue_version`` and the area, so a page is computed once per import and area, and an
import (which raises the version) makes the next view compute afresh.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from crimestats import measures
from crimestats.areas import Area, districts_area, districts_spec, lsoa_lookup, resolve_area
from crimestats.engines import Engine
from crimestats.profile import csp_profile
from crimestats.query import Query
from crimestats.store import Store
from crimestats.synthetic import DEMO_LAD_CODE, store_is_synthetic
from saferplaces.accounts.models import Partnership
from saferplaces.analytics.engine import engine_for
from saferplaces.analytics.permissions import NOT_ALLOWED, can_view_crime_data
from saferplaces.analytics.summary import summary_from_results

# The headline figures cover the latest 12 months held; the data-quality panel looks further
# back, because gaps in the previous two years decide which comparisons can be tested.
SUMMARY_MONTHS = 12
QUALITY_MONTHS = 36
CACHE_SECONDS = 24 * 60 * 60


def _code_fingerprint() -> str:
    """A hash of the code that shapes a cached summary (this app's summary and crimestats).

    An upgrade that changes a result's fields or wording then misses the old cache entries
    instead of rendering them into a page that expects the new shape (a hand-kept version
    number was forgotten more than once).
    """
    import crimestats
    from saferplaces.analytics import summary

    digest = hashlib.sha256()
    roots = [Path(summary.__file__)] + sorted(Path(crimestats.__file__).parent.rglob("*.py"))
    for path in roots:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


SUMMARY_FORMAT = _code_fingerprint()

READY = "ready"
NO_DATA = "no_data"
NO_AREA = "no_area"
NOT_COMPUTED = "not_computed"


@dataclass(frozen=True)
class CrimeData:
    """What the crime data page needs for one partnership."""

    # READY, NO_DATA (nothing imported), NO_AREA (the area is not in the data) or NOT_COMPUTED
    # (the measures could not answer for this data; ``message`` says why).
    state: str
    data_dir: str
    is_synthetic: bool = False
    message: str = ""
    stand_in: str = ""  # set when generated data stands in for the partnership's real area
    summary: dict[str, Any] = field(default_factory=dict)
    catalogue_version: int = 0


def crime_data_store() -> Store:
    """The store the web app reads: ``settings.DATA_DIR``."""
    return Store(Path(settings.DATA_DIR))


def _cache_key(store: Store, version: int, partnership: Partnership) -> str:
    # The partnership is part of the key (not only its districts): a partnership of several
    # districts is named after itself, and generated data names it in the stand-in note.
    area = districts_spec(partnership.lad_codes or []) or partnership.gss_code
    folder = hashlib.sha256(str(Path(store.data_dir).resolve()).encode()).hexdigest()[:12]
    return f"analytics:crime-data:{SUMMARY_FORMAT}:{folder}:{version}:{partnership.pk}:{area}"


def _partnership_area(engine: Engine, partnership: Partnership) -> Area:
    """The partnership's districts as one area (raises ValueError when they are not loaded)."""
    return districts_area(
        engine, partnership.lad_codes or [], code=partnership.gss_code, label=partnership.name
    )


def _stand_in_area(engine: Engine) -> Area | None:
    """The generated demo partnership's district, shown in place of a real partnership's."""
    try:
        return resolve_area(engine, DEMO_LAD_CODE)
    except ValueError:
        pass  # another generated store: fall back to its first district
    lookup = lsoa_lookup(engine)
    if "lad_code" not in lookup.column_names:
        return None
    codes = sorted({code for code in lookup["lad_code"].to_pylist() if code})
    return resolve_area(engine, codes[0]) if codes else None


@dataclass(frozen=True)
class PartnershipArea:
    """The area a partnership's pages show: its districts, or generated data's stand-in.

    ``area`` is None when neither is in the data; ``message`` then says why. ``stand_in`` is
    the sentence a page shows when generated data stands in for the real districts.
    """

    area: Area | None
    stand_in: str = ""
    message: str = ""


def partnership_area_get(
    engine: Engine, partnership: Partnership, *, is_synthetic: bool, shows: str = "page"
) -> PartnershipArea:
    """The partnership's districts as one area, or (generated data only) the stand-in district."""
    try:
        return PartnershipArea(_partnership_area(engine, partnership))
    except ValueError as error:
        area = _stand_in_area(engine) if is_synthetic else None
        if area is None:
            return PartnershipArea(None, message=str(error))
        return PartnershipArea(
            area,
            stand_in=(
                f"The generated demo data has no real places, so this {shows} shows "
                f"{area.label} ({area.code}) in place of {partnership.name}."
            ),
        )


def _compute(store: Store, version: int, partnership: Partnership, is_synthetic: bool) -> CrimeData:
    data_dir = str(store.data_dir)
    now = timezone.now()
    with engine_for(store, version) as engine:
        found = partnership_area_get(engine, partnership, is_synthetic=is_synthetic)
        area, stand_in = found.area, found.stand_in
        if area is None:
            return CrimeData(
                state=NO_AREA,
                data_dir=data_dir,
                is_synthetic=is_synthetic,
                message=found.message,
                catalogue_version=version,
            )
        try:
            profile = csp_profile(engine, Query(area, months=SUMMARY_MONTHS), computed_at=now)
            quality = measures.quality(engine, Query(area, months=QUALITY_MONTHS), computed_at=now)
        except ValueError as error:  # the measures refuse a question the data cannot answer
            return CrimeData(
                state=NOT_COMPUTED,
                data_dir=data_dir,
                is_synthetic=is_synthetic,
                message=str(error),
                stand_in=stand_in,
                catalogue_version=version,
            )
    return CrimeData(
        state=READY,
        data_dir=data_dir,
        is_synthetic=is_synthetic,
        stand_in=stand_in,
        summary=summary_from_results(profile, quality),
        catalogue_version=version,
    )


def crime_data_get_for_partnership(*, user: Any, partnership: Partnership) -> CrimeData:
    """The partnership's crime figures for the latest 12 months held (cached per import)."""
    if not can_view_crime_data(user, partnership):
        raise PermissionDenied(NOT_ALLOWED)
    return crime_data_prepare(partnership=partnership)


def crime_data_prepare(*, partnership: Partnership) -> CrimeData:
    """Compute (or read from the cache) a partnership's figures, with no user in the loop.

    ``saferplaces_load_demo_data`` calls this after an import so that the first person to open
    the page does not wait for the engine; pages go through
    :func:`crime_data_get_for_partnership`, which checks the user first.
    """
    store = crime_data_store()
    data_dir = str(store.data_dir)
    if not store.data_dir.is_dir():
        return CrimeData(state=NO_DATA, data_dir=data_dir)
    forces = {partition.force for partition in store.partitions("street")}
    is_synthetic = store_is_synthetic(store.data_dir, forces)
    if not forces or not store.geography_loaded():
        return CrimeData(state=NO_DATA, data_dir=data_dir, is_synthetic=is_synthetic)
    version = int(store.catalogue_version())
    key = _cache_key(store, version, partnership)
    cached = cache.get(key)
    if isinstance(cached, CrimeData):
        return cached
    result = _compute(store, version, partnership, is_synthetic)
    cache.set(key, result, CACHE_SECONDS)
    return result
