"""Reads of neighbourhoods: which ones a user may see, the small areas to choose from, profiles.

Profiles come from ``crimestats`` (see ``profile.py``) and are cached in Django's cache under the
store's catalogue version, the code that shapes them and the neighbourhood's definition, so a
profile is computed once per import and definition, and an import makes the next view fresh.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from saferplaces.accounts.models import Membership, Organisation, Partnership, Role
from saferplaces.accounts.permissions import roles_in_partnership
from saferplaces.core.selectors import object_get_visible_or_404, owned_filter_visible
from saferplaces.neighbourhoods.geojson import Polygon
from saferplaces.neighbourhoods.models import Neighbourhood
from saferplaces.neighbourhoods.permissions import NOT_ALLOWED_VIEW, can_view_neighbourhoods

CACHE_SECONDS = 24 * 60 * 60
AGE_FILE_PATTERN = "census21_pop_lsoa21*.csv"

READY = "ready"
NO_DATA = "no_data"
NOT_COMPUTED = "not_computed"


def _code_fingerprint() -> str:
    """A hash of the code that shapes a cached profile, so an upgrade never reads an old shape."""
    import crimestats
    from saferplaces.neighbourhoods import periods, profile, sentences

    digest = hashlib.sha256()
    roots = [Path(m.__file__ or "") for m in (profile, periods, sentences)]
    roots += sorted(Path(crimestats.__file__).parent.rglob("*.py"))
    for path in roots:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


PROFILE_FORMAT = _code_fingerprint()


@dataclass(frozen=True)
class ProfileData:
    state: str  # READY, NO_DATA or NOT_COMPUTED (``message`` says why)
    profile: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    catalogue_version: int = 0


def _store() -> Any:
    from saferplaces.analytics.selectors import crime_data_store

    return crime_data_store()


def _ready_store() -> tuple[Any, int] | None:
    store = _store()
    if not store.data_dir.is_dir() or not store.geography_loaded():
        return None
    return store, int(store.catalogue_version())


def _folder_key(store: Any) -> str:
    return hashlib.sha256(str(Path(store.data_dir).resolve()).encode()).hexdigest()[:12]


def neighbourhood_list_visible(*, user: Any, partnership: Partnership) -> QuerySet[Neighbourhood]:
    """The partnership's neighbourhoods the user may see (its own organisation's and shared)."""
    if not can_view_neighbourhoods(user, partnership):
        raise PermissionDenied(NOT_ALLOWED_VIEW)
    return (
        Neighbourhood.objects.filter(partnership=partnership)
        .filter(owned_filter_visible(user))
        .select_related("owner_organisation", "partnership", "created_by")
        .order_by("name")
    )


def neighbourhood_get_visible(
    *, user: Any, partnership: Partnership, neighbourhood_id: Any
) -> Neighbourhood:
    """One visible neighbourhood of the current partnership, else 404 (hidden reads audited)."""
    return object_get_visible_or_404(
        neighbourhood_list_visible(user=user, partnership=partnership),
        pk=neighbourhood_id, user=user, partnership=partnership,
    )  # fmt: skip


def owner_organisation_choices(*, user: Any, partnership: Partnership) -> list[Organisation]:
    """Organisations a new neighbourhood may belong to: a manager may name any of the
    partnership's; an analyst the organisations they are an analyst of."""
    roles = roles_in_partnership(user, partnership)
    organisations = Organisation.objects.filter(partnership=partnership).order_by("name")
    if Role.PARTNERSHIP_MANAGER in roles:
        return list(organisations)
    mine = Membership.objects.filter(user=user, role=Role.ANALYST).values("organisation_id")
    return list(organisations.filter(pk__in=mine))


def partnership_lsoas(*, partnership: Partnership) -> list[dict[str, str]]:
    """The partnership's 2021 LSOAs (code, name, ward), by ward; empty when no data is loaded."""
    ready = _ready_store()
    if ready is None:
        return []
    store, version = ready
    lads = sorted(partnership.lad_codes or [])
    key = f"neighbourhoods:lsoas:{_folder_key(store)}:{version}:{','.join(lads)}"
    cached = cache.get(key)
    if isinstance(cached, list):
        return cached
    from crimestats.areas import lsoa_lookup
    from saferplaces.analytics.engine import engine_for

    with engine_for(store, version) as engine:
        lookup = lsoa_lookup(engine).to_pylist()
    wanted = set(lads)
    rows = [
        {"code": r["lsoa21_code"], "name": r["lsoa21_name"] or r["lsoa21_code"],
         "ward": r["ward_name"] or "No ward"}
        for r in lookup
        if r["lad_code"] in wanted
    ]  # fmt: skip
    rows.sort(key=lambda r: (r["ward"], r["name"], r["code"]))
    cache.set(key, rows, CACHE_SECONDS)
    return rows


def lsoas_by_ward(*, partnership: Partnership) -> list[dict[str, Any]]:
    """``[{"ward": name, "lsoas": [{code, name}, …]}, …]`` for the checkbox list."""
    groups: dict[str, list[dict[str, str]]] = {}
    for row in partnership_lsoas(partnership=partnership):
        groups.setdefault(row["ward"], []).append(row)
    return [{"ward": ward, "lsoas": rows} for ward, rows in groups.items()]


def lsoas_in_polygon(*, polygon: Polygon) -> list[str] | None:
    """LSOAs of the loaded geography whose centroid lies inside ``polygon`` (None: no data)."""
    ready = _ready_store()
    if ready is None:
        return None
    store, version = ready
    from crimestats.areas import resolve_area
    from saferplaces.analytics.engine import engine_for

    with engine_for(store, version) as engine:
        try:
            area = resolve_area(engine, polygon.geojson)
        except ValueError:  # no centroid inside: the caller says so in the user's words
            return []
    return list(area.lsoa_codes)


def month_choices() -> list[date]:
    """Months the store holds street data for, newest first (empty when nothing is loaded)."""
    ready = _ready_store()
    if ready is None:
        return []
    store, _ = ready
    months = {partition.month.replace(day=1) for partition in store.partitions("street")}
    return sorted(months, reverse=True)


def age_file() -> Path | None:
    """The Census 2021 LSOA × age table, looked for in the data folder and the shared data."""
    folders = [Path(settings.DATA_DIR), Path(settings.DATA_DIR) / "ons"]
    shared = getattr(settings, "SAFERPLACES_SHARED_DATA", None)
    if shared:
        folders.append(Path(shared) / "ons")
    for folder in folders:
        found = sorted(folder.glob(AGE_FILE_PATTERN)) if folder.is_dir() else []
        if found:
            return found[0]
    return None


def _spec(neighbourhood: Neighbourhood) -> Any:
    from saferplaces.neighbourhoods.profile import NeighbourhoodSpec

    partnership = neighbourhood.partnership
    return NeighbourhoodSpec(
        label=neighbourhood.name,
        lsoa_codes=tuple(sorted(neighbourhood.lsoa_codes)),
        partnership_name=partnership.name,
        partnership_code=partnership.gss_code,
        partnership_lads=tuple(sorted(partnership.lad_codes or [])),
        baseline=neighbourhood.baseline_month,
        age_file=age_file(),
    )


def _profile_key(store: Any, version: int, spec: Any) -> str:
    definition = json.dumps(
        [spec.label, spec.lsoa_codes, spec.partnership_name, spec.partnership_code,
         spec.partnership_lads, spec.baseline.isoformat(), str(spec.age_file or "")]
    )  # fmt: skip
    digest = hashlib.sha256(definition.encode()).hexdigest()[:16]
    return f"neighbourhoods:profile:{PROFILE_FORMAT}:{_folder_key(store)}:{version}:{digest}"


def neighbourhood_profile(*, neighbourhood: Neighbourhood) -> ProfileData:
    """The profile of a neighbourhood the caller has already found through a selector."""
    ready = _ready_store()
    if ready is None:
        return ProfileData(state=NO_DATA)
    store, version = ready
    if not store.partitions("street"):
        return ProfileData(state=NO_DATA, catalogue_version=version)
    spec = _spec(neighbourhood)
    key = _profile_key(store, version, spec)
    cached = cache.get(key)
    if isinstance(cached, ProfileData):
        return cached
    from saferplaces.analytics.engine import engine_for
    from saferplaces.neighbourhoods.profile import build_profile

    with engine_for(store, version) as engine:
        try:
            profile = build_profile(engine, spec, computed_at=timezone.now())
        except ValueError as error:  # the measures refuse what the data cannot answer
            return ProfileData(state=NOT_COMPUTED, message=str(error), catalogue_version=version)
    result = ProfileData(state=READY, profile=profile, catalogue_version=version)
    cache.set(key, result, CACHE_SECONDS)
    return result
