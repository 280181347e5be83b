"""Writes of neighbourhood profiles: create, change, delete, and the audit of reads and exports.

Every write checks the capability, resolves the small areas against the loaded geography (a
list of codes, or an uploaded polygon's LSOA centroids), validates, saves and audits in one
transaction, so a refused or failed request leaves nothing behind.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from saferplaces.accounts.models import Organisation, Partnership
from saferplaces.audit.models import AuditEvent
from saferplaces.audit.services import audit_record
from saferplaces.core.models import SharingLevel
from saferplaces.neighbourhoods.geojson import GeoJSONError, read_polygon
from saferplaces.neighbourhoods.models import Neighbourhood
from saferplaces.neighbourhoods.permissions import (
    NOT_ALLOWED_EDIT,
    can_create_neighbourhood,
    can_edit_neighbourhood,
)

VERB_CREATED = "neighbourhood.created"
VERB_CHANGED = "neighbourhood.changed"
VERB_DELETED = "neighbourhood.deleted"
VERB_VIEWED = "neighbourhood.viewed"
VERB_EXPORTED = "neighbourhood.exported"

NO_DATA = (
    "No geography is loaded yet, so the small areas cannot be checked. Ask the person who runs "
    "SaferPlaces to load the ONS geography and the police.uk data first."
)
NONE_CHOSEN = "Choose at least one small area (LSOA) for the neighbourhood."
NAME_TAKEN = "The partnership already has a neighbourhood called “{name}”. Choose another name."
WRONG_ORGANISATION = "Choose an organisation of this partnership that you are an analyst of."


def _partnership_lsoas(partnership: Partnership, field: str) -> set[str]:
    """The partnership's LSOA codes in the loaded geography (an error on ``field`` if none)."""
    from saferplaces.neighbourhoods.selectors import partnership_lsoas

    found = partnership_lsoas(partnership=partnership)
    if not found:
        raise ValidationError({field: NO_DATA})
    return {row["code"] for row in found}


def lsoas_from_codes(*, partnership: Partnership, codes: list[str]) -> list[str]:
    """Check that every code is an LSOA of the partnership; the sorted, distinct codes."""
    wanted = sorted({str(code).strip().upper() for code in codes if str(code).strip()})
    if not wanted:
        raise ValidationError({"lsoa_codes": NONE_CHOSEN})
    inside = _partnership_lsoas(partnership, "lsoa_codes")
    outside = [code for code in wanted if code not in inside]
    if outside:
        raise ValidationError(
            {
                "lsoa_codes": (
                    f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not a small "
                    f"area (LSOA) of {partnership.name}. Choose small areas inside the partnership."
                )
            }
        )
    return wanted


def lsoas_from_polygon(*, partnership: Partnership, data: bytes) -> tuple[list[str], str]:
    """The partnership's LSOAs whose centroid lies inside the uploaded polygon, and its GeoJSON.

    Raises a ``ValidationError`` on ``geojson`` naming the problem: the file (size, JSON, type,
    validity, coordinates), or a polygon that reaches outside the partnership or holds no LSOA.
    """
    from saferplaces.neighbourhoods.selectors import lsoas_in_polygon

    try:
        polygon = read_polygon(data)
    except GeoJSONError as error:
        raise ValidationError({"geojson": str(error)}) from None
    inside = _partnership_lsoas(partnership, "geojson")
    found = lsoas_in_polygon(polygon=polygon)
    if found is None:
        raise ValidationError({"geojson": NO_DATA})
    outside = sorted(code for code in found if code not in inside)
    if outside:
        raise ValidationError(
            {
                "geojson": (
                    f"The polygon reaches outside {partnership.name}: the centres of "
                    f"{len(outside)} small area{'s' if len(outside) != 1 else ''} inside it "
                    f"are in other districts ({', '.join(outside[:5])}"
                    f"{', …' if len(outside) > 5 else ''}). Draw the neighbourhood inside the "
                    "partnership."
                )
            }
        )
    if not found:
        raise ValidationError(
            {
                "geojson": (
                    f"No small area (LSOA) of {partnership.name} has its centre inside the "
                    "polygon: it lies outside the partnership or is too small. Draw a larger "
                    "area, or choose the small areas from the list."
                )
            }
        )
    return sorted(found), polygon.text


def _check_organisation(by: Any, partnership: Partnership, organisation: Organisation) -> None:
    from saferplaces.neighbourhoods.selectors import owner_organisation_choices

    allowed = {o.pk for o in owner_organisation_choices(user=by, partnership=partnership)}
    if organisation.pk not in allowed:
        raise ValidationError({"owner_organisation": WRONG_ORGANISATION})


def _resolve(
    *, partnership: Partnership, method: str, lsoa_codes: list[str] | None, geojson: bytes | None
) -> tuple[list[str], str, str]:
    if method == Neighbourhood.Source.POLYGON:
        codes, text = lsoas_from_polygon(partnership=partnership, data=geojson or b"")
        return codes, text, Neighbourhood.Source.POLYGON
    return lsoas_from_codes(partnership=partnership, codes=lsoa_codes or []), "", "list"


def _save(neighbourhood: Neighbourhood) -> None:
    neighbourhood.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            neighbourhood.save()
    except IntegrityError:
        raise ValidationError({"name": NAME_TAKEN.format(name=neighbourhood.name)}) from None


@transaction.atomic
def neighbourhood_create(
    *,
    by: Any,
    partnership: Partnership,
    owner_organisation: Organisation,
    name: str,
    baseline_month: date,
    method: str = "list",
    lsoa_codes: list[str] | None = None,
    geojson: bytes | None = None,
    description: str = "",
    sharing: str = SharingLevel.PARTNERSHIP,
    request: HttpRequest | None = None,
) -> Neighbourhood:
    if not can_create_neighbourhood(by, partnership):
        raise PermissionDenied(NOT_ALLOWED_EDIT)
    _check_organisation(by, partnership, owner_organisation)
    codes, text, source = _resolve(
        partnership=partnership, method=method, lsoa_codes=lsoa_codes, geojson=geojson
    )
    neighbourhood = Neighbourhood(
        partnership=partnership, owner_organisation=owner_organisation, name=name.strip(),
        description=description.strip(), lsoa_codes=codes, source=source, geometry=text,
        baseline_month=baseline_month.replace(day=1), sharing=sharing, created_by=by,
    )  # fmt: skip
    _save(neighbourhood)
    audit_record(
        actor=by, verb=VERB_CREATED, target=neighbourhood, partnership=partnership,
        summary={"name": neighbourhood.name, "lsoas": len(codes), "source": source,
                 "baseline": neighbourhood.baseline_month.isoformat()},
        request=request,
    )  # fmt: skip
    return neighbourhood


@transaction.atomic
def neighbourhood_update(
    *,
    by: Any,
    neighbourhood: Neighbourhood,
    owner_organisation: Organisation,
    name: str,
    baseline_month: date,
    method: str = "list",
    lsoa_codes: list[str] | None = None,
    geojson: bytes | None = None,
    description: str = "",
    sharing: str = SharingLevel.PARTNERSHIP,
    request: HttpRequest | None = None,
) -> Neighbourhood:
    if not can_edit_neighbourhood(by, neighbourhood):
        raise PermissionDenied(NOT_ALLOWED_EDIT)
    partnership = neighbourhood.partnership
    if owner_organisation.pk != neighbourhood.owner_organisation_id:
        _check_organisation(by, partnership, owner_organisation)
    codes, text, source = _resolve(
        partnership=partnership, method=method, lsoa_codes=lsoa_codes, geojson=geojson
    )
    before = {
        "name": neighbourhood.name,
        "lsoas": list(neighbourhood.lsoa_codes),
        "baseline": neighbourhood.baseline_month.isoformat(),
        "sharing": neighbourhood.sharing,
        "owner": str(neighbourhood.owner_organisation_id),
    }
    neighbourhood.owner_organisation = owner_organisation
    neighbourhood.name = name.strip()
    neighbourhood.description = description.strip()
    neighbourhood.lsoa_codes = codes
    neighbourhood.source = source
    neighbourhood.geometry = text
    neighbourhood.baseline_month = baseline_month.replace(day=1)
    neighbourhood.sharing = sharing
    _save(neighbourhood)
    after = {
        "name": neighbourhood.name,
        "lsoas": list(codes),
        "baseline": neighbourhood.baseline_month.isoformat(),
        "sharing": neighbourhood.sharing,
        "owner": str(owner_organisation.pk),
    }
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    audit_record(
        actor=by, verb=VERB_CHANGED, target=neighbourhood, partnership=partnership,
        summary={"changed": changed}, request=request,
    )  # fmt: skip
    return neighbourhood


@transaction.atomic
def neighbourhood_delete(
    *, by: Any, neighbourhood: Neighbourhood, request: HttpRequest | None = None
) -> None:
    if not can_edit_neighbourhood(by, neighbourhood):
        raise PermissionDenied(NOT_ALLOWED_EDIT)
    audit_record(
        actor=by, verb=VERB_DELETED, target=neighbourhood, partnership=neighbourhood.partnership,
        summary={"name": neighbourhood.name, "lsoas": list(neighbourhood.lsoa_codes)},
        request=request,
    )  # fmt: skip
    neighbourhood.delete()


def neighbourhood_view_record(
    *, user: Any, neighbourhood: Neighbourhood, request: HttpRequest | None = None, **summary: Any
) -> AuditEvent:
    """Audit a read of the profile (its crime figures), as the crime data page does."""
    return audit_record(
        actor=user, verb=VERB_VIEWED, target=neighbourhood,
        partnership=neighbourhood.partnership, summary=summary, request=request,
    )  # fmt: skip


def neighbourhood_export_record(
    *, user: Any, neighbourhood: Neighbourhood, request: HttpRequest | None = None, **summary: Any
) -> AuditEvent:
    return audit_record(
        actor=user, verb=VERB_EXPORTED, target=neighbourhood,
        partnership=neighbourhood.partnership, summary=summary, request=request,
    )  # fmt: skip
