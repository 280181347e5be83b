"""Creating, changing and deleting neighbourhoods: rules, refusals, audit, nothing half-saved."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from saferplaces.accounts.models import Role
from saferplaces.audit.models import AuditEvent
from saferplaces.audit.registry import Action
from saferplaces.neighbourhoods import services
from saferplaces.neighbourhoods.models import Neighbourhood
from tests.saferplaces.factories import MembershipFactory
from tests.saferplaces.neighbourhoods.conftest import GREENHILL, LEICESTER_LSOA, square

BASELINE = date(2024, 1, 15)
# A box around Greenhill and Agar Nook (north-east Coalville) and one around central Leicester.
COALVILLE_BOX = square(-1.35, 52.715, -1.29, 52.74)
LEICESTER_BOX = square(-1.16, 52.62, -1.11, 52.65)
NORTH_SEA_BOX = square(2.0, 54.0, 2.1, 54.1)


def _create(by: Any, council: Any, **extra: Any) -> Neighbourhood:
    fields: dict[str, Any] = {
        "by": by, "partnership": council.partnership, "owner_organisation": council,
        "name": "Greenhill", "baseline_month": BASELINE, "lsoa_codes": GREENHILL,
    }  # fmt: skip
    fields.update(extra)
    return services.neighbourhood_create(**fields)


def _events(verb: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb))


def test_an_analyst_saves_a_neighbourhood_from_the_list(
    real_store: Path, analyst: Any, council: Any
) -> None:
    neighbourhood = _create(analyst, council, lsoa_codes=list(reversed(GREENHILL)))

    assert neighbourhood.lsoa_codes == GREENHILL
    assert neighbourhood.baseline_month == date(2024, 1, 1)
    assert neighbourhood.source == "list"
    [event] = _events(services.VERB_CREATED)
    assert event.action == Action.CREATE
    assert event.object_id == str(neighbourhood.pk)
    assert event.summary["lsoas"] == 5


def test_a_polygon_becomes_the_lsoas_whose_centres_lie_inside(
    real_store: Path, analyst: Any, council: Any
) -> None:
    neighbourhood = _create(
        analyst, council, method="polygon", lsoa_codes=None,
        geojson=json.dumps({"type": "Feature", "geometry": COALVILLE_BOX}).encode(),
    )  # fmt: skip

    assert neighbourhood.source == "polygon"
    assert set(GREENHILL) <= set(neighbourhood.lsoa_codes)
    assert json.loads(neighbourhood.geometry)["type"] == "Polygon"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"lsoa_codes": [*GREENHILL, LEICESTER_LSOA]}, "lsoa_codes",
         f"{LEICESTER_LSOA} is not a small area (LSOA) of North West Leicestershire"),
        ({"lsoa_codes": []}, "lsoa_codes", "Choose at least one small area"),
        ({"method": "polygon", "geojson": json.dumps(LEICESTER_BOX).encode()}, "geojson",
         "The polygon reaches outside North West Leicestershire"),
        ({"method": "polygon", "geojson": json.dumps(NORTH_SEA_BOX).encode()}, "geojson",
         "No small area (LSOA) of North West Leicestershire Community Safety Partnership has"),
        ({"method": "polygon", "geojson": b"[1, 2"}, "geojson", "not valid JSON"),
        ({"method": "polygon", "geojson": b" " * (1024 * 1024 + 1)}, "geojson",
         "the largest file you can upload is 1 MB"),
    ],
    ids=["code-outside", "none", "polygon-outside", "polygon-nowhere", "not-json", "too-big"],
)  # fmt: skip
def test_bad_input_is_refused_and_nothing_is_saved(
    real_store: Path, analyst: Any, council: Any, extra: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        _create(analyst, council, **extra)

    assert message in " ".join(raised.value.message_dict[field])
    assert not Neighbourhood.objects.exists()
    assert not _events(services.VERB_CREATED)


def test_the_same_name_twice_is_refused(real_store: Path, analyst: Any, council: Any) -> None:
    _create(analyst, council)
    with pytest.raises(ValidationError) as raised:
        _create(analyst, council, name="GREENHILL")
    assert "already has a neighbourhood called" in raised.value.message_dict["name"][0]
    assert Neighbourhood.objects.count() == 1


@pytest.mark.parametrize("role", [Role.VIEWER, Role.BOARD_MEMBER, Role.PARTNER_OFFICER])
def test_other_roles_cannot_create(real_store: Path, council: Any, role: str) -> None:
    user = MembershipFactory(organisation=council, role=role).user
    with pytest.raises(PermissionDenied):
        _create(user, council)
    assert not Neighbourhood.objects.exists()


def test_an_analyst_cannot_give_it_to_another_organisation(
    real_store: Path, analyst: Any, council: Any, member: Any
) -> None:
    police = member.memberships.get().organisation
    with pytest.raises(ValidationError) as raised:
        _create(analyst, council, owner_organisation=police)
    assert "owner_organisation" in raised.value.message_dict


def test_changes_and_deletion_are_audited(real_store: Path, analyst: Any, council: Any) -> None:
    neighbourhood = _create(analyst, council)

    services.neighbourhood_update(
        by=analyst, neighbourhood=neighbourhood, owner_organisation=council,
        name="Greenhill estate", baseline_month=date(2025, 1, 1), lsoa_codes=GREENHILL[:2],
    )  # fmt: skip
    [changed] = _events(services.VERB_CHANGED)
    assert changed.summary["changed"]["name"] == ["Greenhill", "Greenhill estate"]
    assert changed.summary["changed"]["lsoas"] == [GREENHILL, GREENHILL[:2]]

    services.neighbourhood_delete(by=analyst, neighbourhood=neighbourhood)
    [deleted] = _events(services.VERB_DELETED)
    assert deleted.action == Action.DELETE
    assert not Neighbourhood.objects.exists()


def test_a_failed_change_leaves_the_neighbourhood_as_it_was(
    real_store: Path, analyst: Any, council: Any
) -> None:
    neighbourhood = _create(analyst, council)
    with pytest.raises(ValidationError):
        services.neighbourhood_update(
            by=analyst, neighbourhood=neighbourhood, owner_organisation=council,
            name="Renamed", baseline_month=BASELINE, lsoa_codes=[LEICESTER_LSOA],
        )  # fmt: skip
    neighbourhood.refresh_from_db()
    assert neighbourhood.name == "Greenhill"
    assert neighbourhood.lsoa_codes == GREENHILL
    assert not _events(services.VERB_CHANGED)


def test_a_viewer_cannot_change_or_delete(
    real_store: Path, analyst: Any, council: Any, member: Any
) -> None:
    neighbourhood = _create(analyst, council)
    with pytest.raises(PermissionDenied):
        services.neighbourhood_delete(by=member, neighbourhood=neighbourhood)
    assert Neighbourhood.objects.count() == 1


def test_without_data_the_areas_cannot_be_checked(
    empty_store: Path, analyst: Any, council: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        _create(analyst, council)
    assert "No geography is loaded yet" in raised.value.message_dict["lsoa_codes"][0]
