"""A neighbourhood: a named set of 2021 LSOAs inside one partnership, owned by an organisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from saferplaces.core.models import OwnedModel, SharingLevel


class Neighbourhood(OwnedModel):
    """The LSOAs are the definition; an uploaded polygon is kept only to show where they came from.

    ``lsoa_codes`` are sorted 2021 LSOA codes, all inside the partnership's districts (checked by
    ``services.neighbourhood_create``). The baseline is the first day of a month.
    """

    class Source(models.TextChoices):
        LIST = "list", "Chosen from the list of small areas"
        POLYGON = "polygon", "Drawn as an uploaded GeoJSON polygon"

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    lsoa_codes = models.JSONField(default=list)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.LIST)
    # The uploaded GeoJSON as received (≤ 1 MB, validated); blank when chosen from the list.
    geometry = models.TextField(blank=True)
    baseline_month = models.DateField(
        help_text="First day of the month that change is measured from."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "partnership", Lower("name"), name="neighbourhoods_name_unique_in_partnership"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    sharing__in=[SharingLevel.ORGANISATION, SharingLevel.PARTNERSHIP]
                ),
                name="neighbourhoods_not_public",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def n_lsoas(self) -> int:
        return len(self.lsoa_codes or [])
