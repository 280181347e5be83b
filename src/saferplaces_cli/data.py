"""``saferplaces data``: import, geography, fetch and status. Parses, calls crimestats, prints."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from crimestats.fetch import fetch_ons_files, fetch_police_archives
from crimestats.geography import GeographySummary, load_geography
from crimestats.ingest import ImportSummary, import_paths, parse_month
from crimestats.store import Store, resolve_data_dir, shared_data_dir

data_app = typer.Typer(
    help="Import police.uk data and ONS geography into the data folder.", no_args_is_help=True
)

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Data folder (default: $SAFERPLACES_DATA_DIR, else ./var).",
        file_okay=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON summary instead.")]

# Messages name files and rows: rich must never wrap them (a path broken over two lines cannot
# be copied or grepped), so lines are soft-wrapped (left to the terminal) and never parsed for
# markup, whatever the width (COLUMNS, a terminal, or a pipe, where rich assumes 80 columns).
out = Console(soft_wrap=True, markup=False, highlight=False)
err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)


def _flag(label: str, style: str, message: str) -> None:
    """One line on stderr: a coloured ``label`` and the message as plain text (no markup)."""
    err.print(Text.assemble((label, style), " ", message))


def _print_json(payload: dict[str, object]) -> None:
    typer.echo(json.dumps(payload, indent=2, default=str))


def _print_geography(summary: GeographySummary) -> None:
    if summary.unchanged:
        out.print("Geography unchanged, skipped: the same input files are already loaded.")
    out.print(
        f"Geography loaded: {summary.lsoas} LSOAs (2021) in {len(summary.lads)} local authorities; "
        f"population years {summary.population_years}; "
        f"2011→2021 changes {summary.lsoa11_changes}; {summary.neighbour_pairs} neighbour pairs."
    )
    for island in summary.islands:
        out.print(f"  island {island['lsoa21_code']} attached to {island['attached_to']}")
    for warning in summary.warnings:
        _flag("Warning:", "yellow", warning)


def _print_import(summary: ImportSummary) -> None:
    for result in summary.files:
        if result.status == "failed":
            _flag("Error:", "red", str(result.error))
    out.print(
        f"Imported {summary.files_imported} of {len(summary.files)} files: "
        f"{summary.rows_accepted:,} rows accepted, {summary.rows_rejected:,} rejected "
        f"({summary.seconds:.1f} s, {summary.rows_per_second:,.0f} rows/s)."
    )
    if summary.files_unchanged:
        out.print(
            f"Unchanged, skipped: {summary.files_unchanged} files identical to the stored "
            f"force-months ({summary.rows_unchanged:,} rows already held); use --reimport to "
            "convert them again."
        )
    if summary.months:
        out.print(
            f"Months {summary.months[0]} … {summary.months[-1]} ({len(summary.months)} held); "
            f"forces: {', '.join(summary.forces)}."
        )
    out.print(
        f"Rows without a location: {summary.unlocated_rows:,}; outside the loaded geography: "
        f"{summary.outside_geography_rows:,}; repeated Crime IDs: "
        f"{summary.repeated_crime_id_rows:,}; mapped from 2011 LSOAs: {summary.lsoa2011_rows:,}."
    )
    for reason, count in summary.rejected_by_reason.items():
        lines = ", ".join(
            f"{e['file']}:{e['line']}" for e in summary.rejected_examples.get(reason, [])[:5]
        )
        _flag("Rejected", "yellow", f"{count:,} rows: {reason} (first: {lines})")
    for warning in summary.warnings:
        _flag("Warning:", "yellow", warning)


@data_app.command("import")
def import_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="police.uk CSV files, month folders, archive trees or .zip files."),
    ],
    data_dir: DataDirOption = None,
    as_json: JsonOption = False,
    geography: Annotated[
        Path | None,
        typer.Option(
            "--geography",
            help="Folder with ons/ and boundaries/ to load first if no geography is loaded "
            "(default: $SAFERPLACES_SHARED_DATA).",
            file_okay=False,
        ),
    ] = None,
    reimport: Annotated[
        bool,
        typer.Option(
            "--reimport",
            help="Convert and replace every file, even one identical to its stored force-month.",
        ),
    ] = False,
) -> None:
    """Import police.uk street, outcomes and stop-and-search files.

    Each file replaces its force-month in the store; a file identical (sha256) to the one its
    stored force-month was made from is skipped as unchanged. Exit code 0 when every file
    imported or was unchanged (even with rejected rows, reported as a warning), 1 when any file
    failed, 2 for usage errors.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise typer.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="PATH")
    folder = resolve_data_dir(data_dir)
    if not Store(folder).geography_loaded():
        source = geography or shared_data_dir()
        if source is not None and (source / "boundaries" / "lsoa").is_dir():
            loaded = load_geography(source, folder)
            if not as_json:
                _print_geography(loaded)
    if as_json or not sys.stdout.isatty():
        summary = import_paths(list(paths), folder, reimport=reimport)
    else:
        with Progress(
            TextColumn("Importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=out,
            transient=True,
        ) as bar:
            task = bar.add_task("", total=None)

            def progress(done: int, total: int, file: str, rows: int) -> None:
                bar.update(task, completed=done, total=total, description=file)

            summary = import_paths(list(paths), folder, progress=progress, reimport=reimport)
    if as_json:
        _print_json(summary.to_dict())
    else:
        _print_import(summary)
    raise typer.Exit(summary.exit_code)


@data_app.command("geography")
def geography_command(
    source: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Folder laid out like the shared data: ons/ and boundaries/lsoa/ "
            "(default: $SAFERPLACES_SHARED_DATA).",
            file_okay=False,
        ),
    ] = None,
    data_dir: DataDirOption = None,
    mid_year: Annotated[
        list[Path] | None,
        typer.Option(
            "--mid-year",
            help="ONS mid-year LSOA 2021 population sheet saved as CSV (repeatable).",
            dir_okay=False,
        ),
    ] = None,
    as_json: JsonOption = False,
    reload: Annotated[
        bool,
        typer.Option("--reload", help="Rebuild even when the same input files are loaded."),
    ] = False,
) -> None:
    """Load ONS lookups, population, IMD and 2021 LSOA boundaries into the data folder.

    Loading the same input files again (by content) is skipped and reported as unchanged.
    """
    folder_from = source or shared_data_dir()
    if folder_from is None:
        raise typer.BadParameter(
            "give --from DIR or set SAFERPLACES_SHARED_DATA", param_hint="--from"
        )
    if not (folder_from / "boundaries" / "lsoa").is_dir():
        raise typer.BadParameter(
            f"{folder_from} has no boundaries/lsoa/ folder", param_hint="--from"
        )
    try:
        summary = load_geography(
            folder_from,
            resolve_data_dir(data_dir),
            mid_year_files=tuple(mid_year or ()),
            reload=reload,
        )
    except ValueError as error:
        _flag("Error:", "red", str(error))
        raise typer.Exit(1) from None
    if as_json:
        _print_json(summary.to_dict())
    else:
        _print_geography(summary)


def _month_option(value: str, name: str) -> date:
    try:
        return parse_month(value)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint=name) from None


@data_app.command("fetch")
def fetch_command(
    force: Annotated[str, typer.Option("--force", help="Force slug, e.g. leicestershire.")],
    first: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")],
    last: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM.")],
    data_dir: DataDirOption = None,
    base_url: Annotated[
        str, typer.Option("--base-url", help="Where the YYYY-MM.zip archives are served.")
    ] = "https://data.police.uk/data/archive/",
    then_import: Annotated[
        bool, typer.Option("--import", help="Import the downloaded files straight away.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Download one force's monthly files from the data.police.uk archives."""
    start, end = _month_option(first, "--from"), _month_option(last, "--to")
    if start > end:
        raise typer.BadParameter("--from is after --to", param_hint="--from")
    folder = resolve_data_dir(data_dir)
    dest = folder / "downloads" / "police-uk"
    result = fetch_police_archives(force, start, end, dest, base_url=base_url)
    if as_json:
        _print_json(result.to_dict())
    else:
        out.print(
            f"Downloaded {len(result.files)} files from archives {result.archives} to {dest}."
        )
        for note in result.notes:
            _flag("Note:", "yellow", note)
        if result.missing_months:
            _flag("Warning:", "yellow", f"no files for months {result.missing_months}")
    if not result.files:
        raise typer.Exit(1)
    if then_import:
        summary = import_paths([Path(f) for f in result.files], folder)
        if as_json:
            _print_json(summary.to_dict())
        else:
            _print_import(summary)
        raise typer.Exit(summary.exit_code)


@data_app.command("fetch-ons")
def fetch_ons_command(
    data_dir: DataDirOption = None,
    manifest: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            help='JSON file {"name under ons/ or boundaries/...": "URL"} to download instead '
            "of the built-in list.",
            dir_okay=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Download ONS / MHCLG geography files into DATA_DIR/downloads/ons-data."""
    sources = None
    if manifest is not None:
        try:
            sources = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise typer.BadParameter(
                f"cannot read manifest: {error}", param_hint="--manifest"
            ) from None
    dest = resolve_data_dir(data_dir) / "downloads" / "ons-data"
    try:
        result = fetch_ons_files(dest, sources=sources)
    except OSError as error:
        _flag("Error:", "red", f"download failed: {error}")
        raise typer.Exit(1) from None
    if as_json:
        _print_json(result.to_dict())
    else:
        out.print(f"Downloaded {len(result.files)} files to {dest}.")
        out.print(f"Load them with: saferplaces data geography --from {dest}")


@data_app.command("status")
def status_command(data_dir: DataDirOption = None, as_json: JsonOption = False) -> None:
    """List the force-months held in the store."""
    store = Store(resolve_data_dir(data_dir))
    entries = store.entries()
    if as_json:
        _print_json(
            {
                "catalogue_version": store.catalogue_version(),
                "geography_loaded": store.geography_loaded(),
                "partitions": [asdict(e) for e in entries],
            }
        )
        return
    out.print(f"Geography loaded: {store.geography_loaded()}; {len(entries)} partitions.")
    for e in entries:
        out.print(f"  {e.kind:<12} {e.force:<16} {e.month}  {e.rows:>8,} rows  {e.source_file}")
