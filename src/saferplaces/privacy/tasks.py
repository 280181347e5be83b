"""The retention schedule as a background task (the task worker, or cron: docs/admin-guide.md)."""

from __future__ import annotations

from django_tasks import task


@task()
def retention_apply() -> dict[str, int]:
    """Run every registered retention rule once; audited with the counts."""
    from saferplaces.privacy.services import retention_run

    return retention_run()
