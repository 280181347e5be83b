from __future__ import annotations

import uuid

from django.db import models


class BaseModel(models.Model):
    """UUID primary key (safe to show in URLs) and creation/update times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SharingLevel(models.TextChoices):
    ORGANISATION = "organisation", "Organisation only"
    PARTNERSHIP = "partnership", "Whole partnership"
    PUBLIC = "public", "Public"


class OwnedModel(BaseModel):
    """A record owned by one organisation inside one partnership.

    Visibility (applied by ``core.selectors.owned_filter_visible``): members of the owner
    organisation always; every member of the partnership when shared with the partnership;
    everyone when public.
    """

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    sharing = models.CharField(
        max_length=20, choices=SharingLevel.choices, default=SharingLevel.ORGANISATION
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if (
            self.owner_organisation_id
            and self.partnership_id
            and self.owner_organisation.partnership_id != self.partnership_id
        ):
            raise ValidationError(
                {"owner_organisation": "The organisation must belong to the same partnership."}
            )
