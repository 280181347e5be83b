"""The ``saferplaces`` command."""

from __future__ import annotations

import typer

from saferplaces_cli.assessment import assessment_app
from saferplaces_cli.audit import audit_app
from saferplaces_cli.data import data_app
from saferplaces_cli.stats import stats_app

app = typer.Typer(
    help="SaferPlaces: crime data and analysis for Community Safety Partnerships.",
    no_args_is_help=True,
    # Usage errors as plain click text, not a rich panel that wraps paths at the panel's width.
    rich_markup_mode=None,
)
app.add_typer(data_app, name="data")
app.add_typer(stats_app, name="stats")
app.add_typer(audit_app, name="audit")
app.add_typer(assessment_app, name="assessment")

if __name__ == "__main__":  # pragma: no cover
    app()
