"""``saferplaces stats``: ask the measures layer a question from the command line.

A thin shell: parse the options, open the store and an engine, call one ``crimestats`` function
and print its result and provenance as JSON, CSV or a terminal table. No statistics here.
"""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import duckdb
import typer
from rich.console import Console

from crimestats.store import Store, resolve_data_dir

if TYPE_CHECKING:
    from crimestats.engines import Engine


class _OnFirstUse:
    """A module imported when a command first uses it, not when the command line starts.

    The measures pull in SciPy, statsmodels and Ibis (about 1.7 s); `saferplaces data ...` and
    `--help` never need them.
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)


measures = _OnFirstUse("crimestats.measures")
_engines = _OnFirstUse("crimestats.engines")
_profile = _OnFirstUse("crimestats.profile")
_provenance = _OnFirstUse("crimestats.provenance")
_serialise = _OnFirstUse("crimestats.serialise")
_report = _OnFirstUse("saferplaces_cli.report")

stats_app = typer.Typer(
    help="Crime statistics for an area: counts, rates, change, trends, hot spots, harm, outcomes.",
    no_args_is_help=True,
)


class OutputFormat(StrEnum):
    """How to print a result."""

    table = "table"
    json = "json"
    csv = "csv"


class EngineName(StrEnum):
    """Which engine runs the measures."""

    duckdb = "duckdb"
    spark = "spark"


AreaOpt = Annotated[
    str,
    typer.Option(
        "--area",
        "-a",
        help="CSP (E22…), LAD (E06/E07…), ward (E05…), LSOA (E01…) code, 'lads:CODE,CODE' "
        "(districts together), "
        "'lsoas:CODE,CODE', or a GeoJSON file with a polygon.",
    ),
]
FromOpt = Annotated[str | None, typer.Option("--from", help="First month, YYYY-MM.")]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="Last month, YYYY-MM (default: latest month held).")
]
CategoryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--category", "-c", help="Category slug or group (all-crime, asb, acquisitive …); repeat."
    ),
]
ForceOpt = Annotated[
    list[str] | None, typer.Option("--force", help="Only rows recorded by this force; repeat.")
]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
DataDirOpt = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data folder (default $SAFERPLACES_DATA_DIR or ./var)."),
]
EngineOpt = Annotated[EngineName, typer.Option("--engine", help="duckdb (default) or spark.")]
TableOpt = Annotated[
    str | None, typer.Option("--table", help="CSV: which table of the result to write.")
]
MonthsOpt = Annotated[int | None, typer.Option("--months", help="Length of the period in months.")]


def _area_spec(area: str) -> Any:
    path = Path(area)
    if area.lower().endswith((".geojson", ".json")):
        if not path.exists():
            raise ValueError(f"no such GeoJSON file: {area}")
        import json

        return json.loads(path.read_text("utf-8"))
    return area


@contextmanager
def _engine(data_dir: Path | None, engine: EngineName) -> Iterator[Engine]:
    folder = resolve_data_dir(data_dir)
    if not folder.exists():
        raise ValueError(f"no data folder at {folder}: run `saferplaces data import` first")
    store = Store(folder)
    if not store.partitions("street"):
        raise ValueError(f"no street data in {folder}: run `saferplaces data import PATH` first")
    if not store.geography_loaded():
        raise ValueError(
            f"no geography in {folder}: run `saferplaces data geography --from DIR` first"
        )
    # The engine starts (and on close stops) a local Spark session tuned for this machine.
    opened = _engines.open_engine(store, engine.value)
    try:
        yield opened
    finally:
        opened.close()


def _emit(result: Any, output: OutputFormat, table: str | None) -> None:
    if output is OutputFormat.json:
        typer.echo(_serialise.to_json(result))
        return
    if output is OutputFormat.csv:
        typer.echo(_serialise.to_csv(result, table), nl=False)
        for line in _provenance.describe(result.provenance):
            typer.echo(f"# {line}", err=True)
        return
    console = Console(width=max(shutil.get_terminal_size((120, 20)).columns, 100))
    for renderable in _report.to_report(result):
        console.print(renderable)


def _run(
    call: Callable[[Engine, datetime], Any],
    data_dir: Path | None,
    engine: EngineName,
    output: OutputFormat,
    table: str | None,
) -> None:
    try:
        with _engine(data_dir, engine) as opened:
            # The command line is where the clock is read; crimestats takes it as computed_at.
            result = call(opened, datetime.now(UTC))  # noqa: TID251
        _emit(result, output, table)
    except (ValueError, FileNotFoundError, duckdb.Error) as error:
        message = " ".join(str(error).split())  # always one line
        typer.echo(f"Error: {message}", err=True)
        raise typer.Exit(2) from None


def _period(
    first: str | None, last: str | None, months: int | None, default: int
) -> dict[str, Any]:
    return {"first": first, "last": last, "months": months or default}


def _cats(category: list[str] | None) -> Any:
    return list(category) if category else None


def _simple(name: str, default_months: int, doc: str) -> None:
    """A command ``name`` that calls ``crimestats.measures.<name>`` with the usual options."""

    def command(
        area: AreaOpt,
        first: FromOpt = None,
        last: ToOpt = None,
        months: MonthsOpt = None,
        category: CategoryOpt = None,
        force: ForceOpt = None,
        output: FormatOpt = OutputFormat.table,
        data_dir: DataDirOpt = None,
        engine: EngineOpt = EngineName.duckdb,
        table: TableOpt = None,
    ) -> None:
        _run(
            lambda e, now: getattr(measures, name)(
                e, _area_spec(area), **_period(first, last, months, default_months),
                categories=_cats(category), forces=force, computed_at=now,
            ),  # fmt: skip
            data_dir, engine, output, table,
        )  # fmt: skip

    command.__doc__ = doc
    stats_app.command(name)(command)


_simple(
    "counts",
    12,
    "Counts by month (gaps for missing months), category, LSOA, ward, force.",
)
_simple(
    "trend",
    36,
    "Rolling 12 months; seasonal Kendall trend test with Sen's slope interval and checks.",
)
_simple(
    "seasonal",
    36,
    "Seasonal index, shown only when a test finds a seasonal pattern (needs 3 years).",
)
_simple(
    "control",
    12,
    "Control chart of recent months against the same months of 3 years (dispersion-aware).",
)
_simple("hotspots", 12, "Gi* hot spots, top LSOAs, repeat map points, concentration.")
_simple(
    "outcomes",
    12,
    "Last outcomes by category and group; positive outcome share.",
)


ComparatorOpt = Annotated[
    str,
    typer.Option("--comparator", help="rest-of-force (default), force, loaded, peers:CODE,CODE."),
]


@stats_app.command("rates")
def rates_command(
    area: AreaOpt,
    comparator: ComparatorOpt = "rest-of-force",
    first: FromOpt = None,
    last: ToOpt = None,
    months: MonthsOpt = None,
    category: CategoryOpt = None,
    force: ForceOpt = None,
    output: FormatOpt = OutputFormat.table,
    data_dir: DataDirOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    table: TableOpt = None,
) -> None:
    """Rate per 1,000 residents with exact Poisson interval, beside the rest of the force area."""

    def call(e: Engine, now: datetime) -> Any:
        spec = _area_spec(area)
        period = _period(first, last, months, 12)
        options = {"categories": _cats(category), "forces": force, "computed_at": now}
        rate = measures.rates(e, spec, **period, **options)
        comparison = measures.compare(e, spec, comparator, **period, **options)
        return _serialise.RatesReport.of(rate, comparison)

    _run(call, data_dir, engine, output, table)


@stats_app.command("compare")
def compare_command(
    area: AreaOpt,
    comparator: ComparatorOpt = "rest-of-force",
    first: FromOpt = None,
    last: ToOpt = None,
    months: MonthsOpt = None,
    category: CategoryOpt = None,
    force: ForceOpt = None,
    output: FormatOpt = OutputFormat.table,
    data_dir: DataDirOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    table: TableOpt = None,
) -> None:
    """Compare the area's rate with a comparator: rate ratio, exact interval and test."""
    _run(
        lambda e, now: measures.compare(
            e, _area_spec(area), comparator, **_period(first, last, months, 12),
            categories=_cats(category), forces=force, computed_at=now,
        ),  # fmt: skip
        data_dir, engine, output, table,
    )  # fmt: skip


def _two(text: str | None, name: str) -> tuple[str, str] | None:
    if text is None:
        return None
    parts = text.split(":")
    if len(parts) != 2:
        raise ValueError(f"{name} must be FIRST:LAST, e.g. 2024-01:2024-12")
    return parts[0].strip(), parts[1].strip()


@stats_app.command("change")
def change_command(
    area: AreaOpt,
    period1: Annotated[
        str | None, typer.Option("--period1", help="Earlier period FIRST:LAST.")
    ] = None,
    period2: Annotated[
        str | None, typer.Option("--period2", help="Later period FIRST:LAST.")
    ] = None,
    last: ToOpt = None,
    months: MonthsOpt = None,
    category: CategoryOpt = None,
    force: ForceOpt = None,
    output: FormatOpt = OutputFormat.table,
    data_dir: DataDirOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    table: TableOpt = None,
) -> None:
    """Change between two periods (default latest 12 vs previous 12 months), allowing for
    overdispersion; the Poisson E-test and exact test are shown beside it."""
    _run(
        lambda e, now: measures.change(
            e, _area_spec(area), period_1=_two(period1, "--period1"),
            period_2=_two(period2, "--period2"), last=last, months=months or 12,
            categories=_cats(category), forces=force, computed_at=now,
        ),  # fmt: skip
        data_dir, engine, output, table,
    )  # fmt: skip


@stats_app.command("harm")
def harm_command(
    area: AreaOpt,
    first: FromOpt = None,
    last: ToOpt = None,
    months: MonthsOpt = None,
    include_proactive: Annotated[
        bool, typer.Option("--include-proactive", help="Add drugs and weapons to the total.")
    ] = False,
    weights: Annotated[str, typer.Option("--weights", help="Harm weights version.")] = "cchi-v1.1",
    force: ForceOpt = None,
    output: FormatOpt = OutputFormat.table,
    data_dir: DataDirOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    table: TableOpt = None,
) -> None:
    """Harm-weighted totals and rankings by category and LSOA, beside counts."""
    _run(
        lambda e, now: measures.harm(
            e, _area_spec(area), **_period(first, last, months, 12), forces=force,
            weights_version=weights, include_proactive=include_proactive, computed_at=now,
        ),  # fmt: skip
        data_dir, engine, output, table,
    )  # fmt: skip


@stats_app.command("quality")
def quality_command(
    area: AreaOpt,
    first: FromOpt = None,
    last: ToOpt = None,
    months: MonthsOpt = None,
    force: ForceOpt = None,
    output: FormatOpt = OutputFormat.table,
    data_dir: DataDirOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    table: TableOpt = None,
) -> None:
    """Data quality: months present and missing, unlocated rows, repeated IDs, vintages."""
    _run(
        lambda e, now: measures.quality(
            e, _area_spec(area), **_period(first, last, months, 36), forces=force, computed_at=now
        ),
        data_dir, engine, output, table,
    )  # fmt: skip


@stats_app.command("profile")
def profile_command(
    area: AreaOpt,
    last: ToOpt = None,
    months: MonthsOpt = None,
    comparator: ComparatorOpt = "rest-of-force",
    force: ForceOpt = None,
    output: FormatOpt = OutputFormat.table,
    data_dir: DataDirOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    table: TableOpt = None,
) -> None:
    """Every question for one area (a CSP profile), 36 months ending at the latest month."""
    _run(
        lambda e, now: _profile.csp_profile(
            e, _area_spec(area), months=months or 36, last=last, comparator=comparator,
            forces=force, computed_at=now,
        ),  # fmt: skip
        data_dir, engine, output, table,
    )  # fmt: skip


def main() -> None:  # pragma: no cover - for `python -m saferplaces_cli.stats`
    """Run the stats commands on their own."""
    stats_app(sys.argv[1:])
