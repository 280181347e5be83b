from typing import Any

from django.contrib import admin

from saferplaces.accounts.models import (
    BackupCodeDevice,
    Membership,
    Organisation,
    Partnership,
    User,
)


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "full_name", "is_active", "is_system_admin", "last_login")
    list_filter = ("is_active", "is_system_admin")
    search_fields = ("email", "full_name")
    fields = ("email", "full_name", "is_active", "is_system_admin", "last_login", "date_joined")
    readonly_fields = ("last_login", "date_joined")


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "gss_code", "police_force")
    search_fields = ("name", "gss_code")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "partnership", "type", "statutory_status")
    list_filter = ("type", "statutory_status", "partnership")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation__partnership")
    raw_id_fields = ("user",)


@admin.register(BackupCodeDevice)
class BackupCodeDeviceAdmin(admin.ModelAdmin):
    """Delete a lost set here; the codes themselves are only hashes and are never shown."""

    list_display = ("user", "name", "confirmed", "remaining")
    raw_id_fields = ("user",)
    fields = ("user", "name", "confirmed")

    @admin.display(description="unused codes")
    def remaining(self, obj: BackupCodeDevice) -> int:
        return obj.codes.count()

    def has_add_permission(self, request: Any) -> bool:
        return False  # made by the user (Your account), so the codes are shown to them only
