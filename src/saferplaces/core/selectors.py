"""Generic reads shared by every app that owns records (``core.models.OwnedModel``)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from saferplaces.core.models import SharingLevel

M = TypeVar("M", bound=Model)


def owned_filter_visible(user: Any) -> Q:
    """The rows of an ``OwnedModel`` that ``user`` may see, as a ``Q`` object."""
    public = Q(sharing=SharingLevel.PUBLIC)
    if user is None or not user.is_authenticated:
        return public
    from saferplaces.accounts.models import Membership

    memberships = Membership.objects.filter(user=user)
    organisation_ids = memberships.values("organisation_id")
    partnership_ids = memberships.values("organisation__partnership_id")
    return (
        public
        | Q(owner_organisation_id__in=organisation_ids)
        | Q(sharing=SharingLevel.PARTNERSHIP, partnership_id__in=partnership_ids)
    )


def owned_list_visible(queryset: QuerySet[M], *, user: Any) -> QuerySet[M]:
    return queryset.filter(owned_filter_visible(user))


def object_get_visible_or_404(
    visible: QuerySet[M], *, pk: Any, user: Any, partnership: Any = None
) -> M:
    """Return the object from ``visible``; a 404 otherwise.

    When the object exists but is hidden from the user, the refusal is audited, so a partner
    probing another partnership's identifiers leaves a trace.
    """
    try:
        return visible.get(pk=pk)
    except (visible.model.DoesNotExist, ValueError, TypeError):
        pass
    hidden = visible.model._default_manager.filter(pk=pk).first()
    if hidden is not None:
        from saferplaces.audit.services import audit_record

        audit_record(
            actor=user,
            verb="access.hidden_object",
            target=hidden,
            partnership=partnership or _partnership_of(hidden),
        )
    raise Http404("No such page")


def _partnership_of(obj: Any) -> Any:
    from saferplaces.accounts.models import Partnership

    if isinstance(obj, Partnership):
        return obj
    return getattr(obj, "partnership", None)
