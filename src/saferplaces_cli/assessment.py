"""``saferplaces assessment build``: draft a strategic assessment unattended.

A thin shell: parse the options, open the store, call
:func:`saferplaces_reports.assessment.build_assessment` and write the HTML, PDF and XLSX. One
line and exit code 1 for an unknown area or a period with no data; paths are printed whole
(``typer.echo``, never wrapped).
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer

from crimestats.store import Store, resolve_data_dir

assessment_app = typer.Typer(
    help="Strategic assessment: draft it from the data as HTML, PDF and XLSX.",
    no_args_is_help=True,
)

OUTPUTS = ("assessment.html", "assessment.pdf", "assessment.xlsx")


def _fail(message: str) -> None:
    typer.echo(f"Error: {' '.join(message.split())}", err=True)  # always one line
    raise typer.Exit(1)


def _months(first: str | None, last: str | None) -> tuple[Any, int]:
    """The last month and the period length from --from/--to (both optional)."""
    from crimestats.months import index_of, parse_month

    end = parse_month(last) if last else None
    if first is None:
        return end, 12
    start = parse_month(first)
    if end is None:
        raise ValueError("--from needs --to (the last month of the assessment period)")
    months = index_of(end) - index_of(start) + 1
    if months < 1:
        raise ValueError(f"--from {first} is after --to {last}")
    if months > 24:
        raise ValueError("the assessment period may be at most 24 months (--from … --to)")
    return end, months


@assessment_app.command("build")
def build_command(
    area: Annotated[
        str,
        typer.Option("--area", "-a", help="CSP (E22…), district (E06/E07…) or other area code."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the three files to.")],
    first: Annotated[
        str | None, typer.Option("--from", help="First month, YYYY-MM (default: 12 months).")
    ] = None,
    last: Annotated[
        str | None,
        typer.Option("--to", help="Last month, YYYY-MM (default: latest month held)."),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Data folder (default $SAFERPLACES_DATA_DIR or ./var)."),
    ] = None,
) -> None:
    """Write assessment.html, assessment.pdf and assessment.xlsx for an area and period."""
    try:
        end, months = _months(first, last)
        folder = resolve_data_dir(data_dir)
        store = Store(folder)
        if not folder.exists() or not store.partitions("street"):
            raise ValueError(f"no street data in {folder}: run `saferplaces data import` first")
        assessment = importlib.import_module("saferplaces_reports.assessment")
        options = assessment.AssessmentOptions(
            area=area, last_month=end, months=months, trend_months=max(36, months)
        )
        # The command line is where the clock is read; the document takes it as built_at.
        now = datetime.now(UTC)  # noqa: TID251
        doc = assessment.build_assessment(store, options, now=now)
        out.mkdir(parents=True, exist_ok=True)
        html, pdf, xlsx = (out / name for name in OUTPUTS)
        html.write_text(assessment.render_html(doc), encoding="utf-8")
        pdf.write_bytes(assessment.render_pdf(doc))
        xlsx.write_bytes(assessment.render_xlsx(doc))
    except (ValueError, FileNotFoundError, duckdb.Error, OSError) as error:
        _fail(str(error))
        return
    typer.echo(f"{doc.title}")
    for path in (html, pdf, xlsx):
        typer.echo(f"Wrote {path}")
