"""The admin site: read-only for partnerships, organisations and memberships; audited for users.

Every change to partnerships, organisations and memberships goes through the staff pages, whose
services check the rules (a partnership keeps a manager) and write the audit log. The admin
keeps one job the staff pages do not have: granting or removing system administrator rights
and (de)activating accounts, done here through ``user_change_by_admin``, which applies the same
rules and writes an audit event.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from saferplaces.accounts import permissions
from saferplaces.accounts.models import (
    BackupCodeDevice,
    Membership,
    Organisation,
    Partnership,
    User,
)
from saferplaces.accounts.services import LAST_MANAGER
from saferplaces.audit.services import audit_record
from saferplaces.core.exceptions import ApplicationError

NOT_YOURSELF = (
    "You cannot remove your own administrator rights or deactivate your own account. "
    "Ask another system administrator."
)
ADMIN_FIELDS = ("full_name", "is_active", "is_system_admin")
VERBS = {
    ("is_system_admin", True): "user.system_admin_granted",
    ("is_system_admin", False): "user.system_admin_removed",
    ("is_active", True): "user.reactivated",
    ("is_active", False): "user.deactivated",
}


def _user_change_problem(*, by: Any, user: User, changes: dict[str, Any]) -> str | None:
    """Why these changes to ``user`` are refused, or None when they are allowed."""
    if user.pk == by.pk and ("is_system_admin" in changes or "is_active" in changes):
        return NOT_YOURSELF
    if changes.get("is_active") is False:
        managed = Membership.objects.filter(user=user, role=Membership.Role.PARTNERSHIP_MANAGER)
        for partnership_id in managed.values_list("organisation__partnership_id", flat=True):
            others = (
                Membership.objects.filter(
                    organisation__partnership_id=partnership_id,
                    role=Membership.Role.PARTNERSHIP_MANAGER,
                    user__is_active=True,
                )
                .exclude(user=user)
                .exists()
            )
            if not others:
                return f"{LAST_MANAGER} Make someone else a manager first."
    return None


@transaction.atomic
def user_change_by_admin(*, by: Any, user: User, changes: dict[str, Any]) -> User:
    """Change the fields the admin site may change, under the rules, and audit each change."""
    if not permissions.can_use_admin_site(by):
        raise PermissionDenied("Only a system administrator can change accounts.")
    unknown = set(changes) - set(ADMIN_FIELDS)
    if unknown:
        raise ApplicationError(f"The admin site cannot change {sorted(unknown)}.")
    stored = User.objects.select_for_update().get(pk=user.pk)
    changes = {k: v for k, v in changes.items() if getattr(stored, k) != v}
    problem = _user_change_problem(by=by, user=stored, changes=changes)
    if problem:
        raise ApplicationError(problem)
    for field, value in changes.items():
        old = getattr(stored, field)
        setattr(stored, field, value)
        verb = VERBS.get((field, bool(value)), "user.changed")
        audit_record(
            actor=by,
            verb=verb,
            target=stored,
            summary={"field": field, "change": [old, value], "via": "admin site"},
        )
    if changes:
        stored.full_clean()
        stored.save(update_fields=list(changes))
    return stored


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: changes go through the staff pages and their services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UserAdminForm(forms.ModelForm):
    request: HttpRequest

    class Meta:
        model = User
        fields = ADMIN_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        changes = {field: data.get(field) for field in self.changed_data if field in ADMIN_FIELDS}
        problem = _user_change_problem(by=self.request.user, user=self.instance, changes=changes)
        if problem:
            raise ValidationError(problem)
        return data


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    form = UserAdminForm
    list_display = ("email", "full_name", "is_active", "is_system_admin", "last_login")
    list_filter = ("is_active", "is_system_admin")
    search_fields = ("email", "full_name")
    fields = ("email", *ADMIN_FIELDS, "last_login", "date_joined")
    readonly_fields = ("email", "last_login", "date_joined")

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New people are invited from a partnership's members page (audited, e-mailed).
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Accounts with audit events are kept; deactivate instead.
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        user_change_by_admin(by=request.user, user=obj, changes=changes)


@admin.register(Partnership)
class PartnershipAdmin(ReadOnlyAdmin):
    list_display = ("name", "gss_code", "police_force")
    search_fields = ("name", "gss_code")


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "partnership", "type", "statutory_status")
    list_filter = ("type", "statutory_status", "partnership")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation__partnership")


@admin.register(BackupCodeDevice)
class BackupCodeDeviceAdmin(admin.ModelAdmin):
    """Delete a lost set here; the codes themselves are only hashes and are never shown."""

    list_display = ("user", "name", "confirmed", "remaining")
    raw_id_fields = ("user",)
    fields = ("user", "name", "confirmed")

    @admin.display(description="unused codes")
    def remaining(self, obj: BackupCodeDevice) -> int:
        return obj.codes.count()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made by the user (Your account), so the codes are shown to them only
