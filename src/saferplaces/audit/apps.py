from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "saferplaces.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from saferplaces.audit import signals  # noqa: F401
