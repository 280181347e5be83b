"""Background work: e-mailing an alert to its subscribers (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def alert_deliver(*, alert_id: str) -> dict[str, int]:
    """One e-mail per matching confirmed subscriber; safe to run again (each gets it once)."""
    from saferplaces.alerts.services import alert_deliver_run

    return alert_deliver_run(alert_id=alert_id)
