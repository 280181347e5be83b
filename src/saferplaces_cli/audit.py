"""``saferplaces audit``: checks on the web application's audit log.

The rest of the command line does not need Django; this sub-command sets it up only when run.
"""

from __future__ import annotations

import os

import typer

audit_app = typer.Typer(help="Check the web application's audit log.", no_args_is_help=True)


def _setup_django() -> None:
    import django
    from django.apps import apps

    if apps.ready:
        return
    env = os.environ.get("SAFERPLACES_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"saferplaces.config.settings.{env}")
    django.setup()


@audit_app.command()
def verify() -> None:
    """Check the audit log's hash chain; exit 1 and name the first broken link if broken.

    Uses the same settings as manage.py (SAFERPLACES_ENV, DATABASE_URL, SAFERPLACES_DATA_DIR).
    """
    _setup_django()
    from saferplaces.audit.selectors import audit_chain_report, audit_chain_verify

    verification = audit_chain_verify()
    report = audit_chain_report(verification)
    if not verification.intact:
        typer.echo(report, err=True)
        raise typer.Exit(1)
    typer.echo(report)
