"""The admin site: read-only for partnerships, organisations and memberships; audited for users.

Every change to partnerships, organisations and memberships goes through the staff pages, whose
services check the rules (a partnership keeps a manager) and write the audit log. The admin
keeps one job the staff pages do not have: granting or removing system administrator rights
and (de)activating accounts, done through ``services.user_change_by_admin``. Second-factor
devices (django-otp) and sign-in lockout records (django-axes) are read-only; deleting a lost
device or unlocking an account goes through an audited service. This module only wires pages
to services: it holds no rule and writes no audit event itself.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferplaces.accounts.models import (
    BackupCodeDevice,
    Membership,
    Organisation,
    Partnership,
    User,
)
from saferplaces.accounts.services import (
    ADMIN_FIELDS,
    lockout_clear_by_admin,
    two_factor_device_delete_by_admin,
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


class DeviceAdminMixin:
    """A second factor is shown read-only; deleting one (a lost phone or code list) is audited.

    Added only by its owner (Your account), so secrets are never chosen or seen by anyone else.
    """

    actions: tuple[str, ...] = ()  # the site-wide "delete selected" stays, routed below

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        two_factor_device_delete_by_admin(by=request.user, device=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for device in queryset:
            two_factor_device_delete_by_admin(by=request.user, device=device)


@admin.register(BackupCodeDevice)
class BackupCodeDeviceAdmin(DeviceAdminMixin, admin.ModelAdmin):
    """Delete a lost set here; the codes themselves are only hashes and are never shown."""

    list_display = ("user", "name", "confirmed", "remaining")
    search_fields = ("user__email",)
    fields = ("user", "name", "confirmed")

    @admin.display(description="unused codes")
    def remaining(self, obj: BackupCodeDevice) -> int:
        return obj.codes.count()


class TOTPDeviceReadOnlyAdmin(DeviceAdminMixin, TOTPDeviceAdmin):
    pass


class StaticDeviceReadOnlyAdmin(DeviceAdminMixin, StaticDeviceAdmin):
    pass


class LockoutAdminMixin:
    """Sign-in failure records: read-only; axes' own clean-up action is not offered."""

    actions: tuple[str, ...] = ()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AccessAttemptUnlockAdmin(LockoutAdminMixin, AccessAttemptAdmin):
    """Deleting a record unlocks that e-mail address (or IP address), with an audit event."""

    def delete_model(self, request: HttpRequest, obj: AccessAttempt) -> None:
        lockout_clear_by_admin(by=request.user, attempt=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for attempt in queryset:
            lockout_clear_by_admin(by=request.user, attempt=attempt)


class AccessLogReadOnlyAdmin(LockoutAdminMixin, AccessLogAdmin):
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # purged on a schedule by an audited command (docs/security.md)


class AccessFailureLogReadOnlyAdmin(LockoutAdminMixin, AccessFailureLogAdmin):
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Django's groups: the user model has no groups or permissions (``User.has_perm``), so the
# page could only edit rows that mean nothing, unaudited.
import_module("django.contrib.auth.admin")  # registers Group; make sure that came first
if admin.site.is_registered(Group):
    admin.site.unregister(Group)

# django-otp and django-axes register editable pages of their own; replace them.
for _model, _model_admin in (
    (TOTPDevice, TOTPDeviceReadOnlyAdmin),
    (StaticDevice, StaticDeviceReadOnlyAdmin),
    (AccessAttempt, AccessAttemptUnlockAdmin),
    (AccessLog, AccessLogReadOnlyAdmin),
    (AccessFailureLog, AccessFailureLogReadOnlyAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)
