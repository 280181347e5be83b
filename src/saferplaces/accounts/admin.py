"""The admin site: read-only for partnerships, organisations and memberships; audited for users.

Every change to partnerships, organisations and memberships goes through the staff pages, whose
services check the rules (a partnership keeps a manager) and write the audit log. The admin
keeps one job the staff pages do not have: granting or removing system administrator rights
and (de)activating accounts, done through ``services.user_change_by_admin``. This module only
wires pages to services: it holds no rule and writes no audit event itself.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from saferplaces.accounts.models import (
    BackupCodeDevice,
    Membership,
    Organisation,
    Partnership,
    User,
)
from saferplaces.accounts.services import (
    ADMIN_FIELDS,
    user_change_by_admin,
    user_change_problem,
)


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
        problem = user_change_problem(by=self.request.user, user=self.instance, changes=changes)
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
