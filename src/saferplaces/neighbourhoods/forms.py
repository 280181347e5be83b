"""The neighbourhood form: a name, an owner, a baseline month and the small areas.

Small areas come from a list (checkboxes grouped by ward, no JavaScript needed) or from an
uploaded GeoJSON polygon. The form checks the shape of the input; whether the areas lie inside
the partnership is a rule of ``services``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from saferplaces.core.models import SharingLevel
from saferplaces.neighbourhoods.geojson import EMPTY_FILE, MAX_BYTES, TOO_LARGE, file_size
from saferplaces.neighbourhoods.models import Neighbourhood

METHOD_LIST = Neighbourhood.Source.LIST
METHOD_POLYGON = Neighbourhood.Source.POLYGON
NO_FILE = "Choose a GeoJSON file with the neighbourhood's outline."


class NeighbourhoodForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=120,
        help_text="For example, the estate's name as residents use it.",
        error_messages={"required": "Enter a name for the neighbourhood."},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea, max_length=2000
    )
    owner_organisation = forms.ChoiceField(
        label="Which organisation owns it?",
        error_messages={"required": "Choose the organisation that owns the neighbourhood."},
    )
    sharing = forms.ChoiceField(
        label="Who can see it?",
        choices=[
            (SharingLevel.PARTNERSHIP, "Every member of the partnership"),
            (SharingLevel.ORGANISATION, "Only members of the owning organisation"),
        ],
        initial=SharingLevel.PARTNERSHIP,
        error_messages={"required": "Choose who can see the neighbourhood."},
    )
    baseline_month = forms.ChoiceField(
        label="Baseline month",
        help_text="Change is measured from this month: for example, when work in the area began.",
        error_messages={"required": "Choose the baseline month."},
    )
    method = forms.ChoiceField(
        label="How do you want to define the neighbourhood?",
        choices=[
            (METHOD_LIST, "Choose small areas (LSOAs) from a list"),
            (METHOD_POLYGON, "Upload an outline as a GeoJSON file"),
        ],
        initial=METHOD_LIST,
        error_messages={"required": "Choose how to define the neighbourhood."},
    )
    lsoa_codes = forms.MultipleChoiceField(
        label="Small areas (LSOAs)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "%(value)s is not a small area (LSOA) of this partnership."
        },
    )
    geojson = forms.FileField(
        label="GeoJSON file",
        required=False,
        error_messages={"empty": EMPTY_FILE},
        help_text="One Polygon or MultiPolygon in longitude and latitude (EPSG:4326), up to 1 MB. "
        "A small area is included when its centre lies inside the outline.",
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[Any],
        lsoas: list[dict[str, str]],
        months: list[date],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["owner_organisation"].choices = [
            (k, o.name) for k, o in self.organisations.items()
        ]
        if len(organisations) == 1:
            self.fields["owner_organisation"].initial = next(iter(self.organisations))
        self.fields["lsoa_codes"].choices = [(r["code"], r["name"]) for r in lsoas]
        self.fields["baseline_month"].choices = [
            (m.isoformat(), m.strftime("%B %Y")) for m in months
        ]

    def clean_owner_organisation(self) -> Any:
        return self.organisations[self.cleaned_data["owner_organisation"]]

    def clean_baseline_month(self) -> date:
        return date.fromisoformat(self.cleaned_data["baseline_month"])

    def clean_geojson(self) -> bytes | None:
        upload = self.cleaned_data.get("geojson")
        if upload is None:
            return None
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(TOO_LARGE.format(size=file_size(upload.size)))
        return bytes(upload.read(MAX_BYTES + 1))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        method = cleaned.get("method")
        if (
            method == METHOD_LIST
            and not cleaned.get("lsoa_codes")
            and "lsoa_codes" not in self.errors
        ):
            self.add_error(
                "lsoa_codes", "Choose at least one small area (LSOA) for the neighbourhood."
            )
        if method == METHOD_POLYGON and not cleaned.get("geojson") and "geojson" not in self.errors:
            self.add_error("geojson", NO_FILE)
        return cleaned


class DeleteForm(forms.Form):
    """Nothing to fill in: the button is the confirmation (CSRF-protected POST)."""
