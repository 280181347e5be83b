"""Chain every audit event to the one before it (docs/adr/0004, issue #12).

Adds ``sequence``, ``previous_hash`` and ``row_hash`` (and ``subject``, the account an event is
about), chains the existing events in time order, and adds the chain head and the table that
counts repeated anonymous refusals.

SQLite rebuilds a table to add a NOT NULL column, and a rebuilt table loses its triggers, so
the append-only triggers of 0002 are dropped first (the rows must be updated once, to chain
them) and created again at the end.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from saferplaces.audit import chain

SQLITE_TRIGGERS = [
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
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]
POSTGRES_TRIGGERS = [
    """
    CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()
    """,
]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"No append-only triggers for {schema_editor.connection.vendor}; add them here."
            )
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


# Where the chain starts: event 1 after "", until a retention job deletes the oldest events and
# moves the start to the first event it keeps (docs/admin-guide.md). Kept in audit_maintenance,
# which the web application's database role may only read.
CHAIN_START_ADD = [
    "ALTER TABLE audit_maintenance ADD COLUMN chain_start_sequence bigint NOT NULL DEFAULT 1",
    "ALTER TABLE audit_maintenance ADD COLUMN chain_start_hash varchar(64) NOT NULL DEFAULT ''",
]
CHAIN_START_DROP = [
    "ALTER TABLE audit_maintenance DROP COLUMN chain_start_hash",
    "ALTER TABLE audit_maintenance DROP COLUMN chain_start_sequence",
]
add_chain_start = _run({"sqlite": CHAIN_START_ADD, "postgresql": CHAIN_START_ADD})
drop_chain_start = _run({"sqlite": CHAIN_START_DROP, "postgresql": CHAIN_START_DROP})
drop_triggers = _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})
create_triggers = _run({"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS})


def _subject_id(object_type, object_id):
    if object_type != "accounts.user":
        return None
    try:
        return uuid.UUID(object_id)
    except ValueError:
        return None


def chain_existing_events(apps, schema_editor):
    """Number the events in time order, fill in ``subject`` and chain them; set the head."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    previous_hash, sequence = "", 0
    # Ids first, then rows a chunk at a time: never update a table while a cursor walks it.
    ids = list(AuditEvent.objects.order_by("occurred_at", "id").values_list("id", flat=True))
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        rows = AuditEvent.objects.in_bulk(chunk)
        for event_id in chunk:
            previous_hash = _chain_one(AuditEvent, rows[event_id], sequence + 1, previous_hash)
            sequence += 1
    AuditChainHead.objects.update_or_create(
        pk=1, defaults={"sequence": sequence, "last_hash": previous_hash}
    )


def _chain_one(AuditEvent, event, sequence, previous_hash):
    event.subject_id = _subject_id(event.object_type, event.object_id)
    event.sequence = sequence
    event.previous_hash = previous_hash
    row = {name: getattr(event, name) for name in chain.HASHED_FIELDS}
    event.row_hash = chain.row_hash(row)
    AuditEvent.objects.filter(pk=event.pk).update(
        subject_id=event.subject_id,
        sequence=sequence,
        previous_hash=previous_hash,
        row_hash=event.row_hash,
    )
    return event.row_hash


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_triggers, create_triggers),
        migrations.RunPython(add_chain_start, drop_chain_start),
        migrations.AddField(
            model_name="auditevent",
            name="subject",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="occurred_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False
            ),
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("sequence", models.BigIntegerField(default=0)),
                ("last_hash", models.CharField(blank=True, max_length=64)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)), name="audit_chain_one_head"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="RefusalWindow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("verb", models.CharField(max_length=64)),
                ("ip_address", models.GenericIPAddressField()),
                ("page", models.CharField(max_length=200)),
                ("last_written_at", models.DateTimeField()),
                ("not_written", models.PositiveIntegerField(default=0)),
                (
                    "last_event",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="audit.auditevent",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("verb", "ip_address", "page"), name="audit_refusal_window_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.BigIntegerField(editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
