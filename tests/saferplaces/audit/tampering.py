"""Raw-SQL tampering helpers: what an attacker with the application's connection could do."""

from __future__ import annotations

from typing import Any

from django.db import connection

TABLE = "audit_auditevent"


def drop_append_only_triggers() -> None:
    """Drop the triggers inside the test's transaction (rolled back with it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER audit_auditevent_no_delete")
        else:
            cursor.execute(f"DROP TRIGGER audit_auditevent_append_only ON {TABLE}")


def execute(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
