"""Refuse UPDATE and DELETE on the audit table in the database itself (docs/adr/0004).

A row in ``audit_maintenance`` (a plain table, not a Django model, so ``flush`` leaves it alone)
opens a window for DELETE only: used by a retention job run by the database administrator,
and by the test runner's flush between transactional tests. UPDATE is never allowed.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE TABLE IF NOT EXISTS audit_maintenance (allow_delete INTEGER NOT NULL DEFAULT 0)",
    "INSERT INTO audit_maintenance (allow_delete) SELECT 0 "
    "WHERE NOT EXISTS (SELECT 1 FROM audit_maintenance)",
    """
    CREATE TRIGGER audit_auditevent_no_update
    BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit_auditevent is append-only: UPDATE refused');
    END
    """,
    """
    CREATE TRIGGER audit_auditevent_no_delete
    BEFORE DELETE ON audit_auditevent
    WHEN (SELECT COALESCE(MAX(allow_delete), 0) FROM audit_maintenance) = 0
    BEGIN
        SELECT RAISE(ABORT, 'audit_auditevent is append-only: DELETE refused');
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
    "DROP TABLE IF EXISTS audit_maintenance",
]

POSTGRES_FORWARD = [
    "CREATE TABLE IF NOT EXISTS audit_maintenance (allow_delete boolean NOT NULL DEFAULT false)",
    "INSERT INTO audit_maintenance (allow_delete) SELECT false "
    "WHERE NOT EXISTS (SELECT 1 FROM audit_maintenance)",
    """
    CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_maintenance WHERE allow_delete) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
    "DROP TABLE IF EXISTS audit_maintenance",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"No append-only triggers for {schema_editor.connection.vendor}; add them here."
            )
        # A plain cursor with no parameters: the PL/pgSQL body contains a literal '%'.
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
