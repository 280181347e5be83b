from django.contrib import admin
from django.http import HttpRequest

from saferplaces.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody changes the audit log through the application."""

    list_display = ("occurred_at", "verb", "actor", "partnership", "object_type", "ip_address")
    list_filter = ("action", "verb")
    search_fields = ("verb", "object_id")
    date_hierarchy = "occurred_at"

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
