"""``saferplaces stats``: ask the measures layer a question from the command line.

A thin shell: parse the options, open the store and an engine, call one ``crimestats`` function
and print its result and provenance as JSON, CSV or a terminal table. No statistics here.
"""

from __future__ import annotations

import importlib
import inspect
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import duckdb
import typer
from rich.console import Console

from crimestats.query import Query, parse_period
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

ComparatorOpt = Annotated[
    str,
    typer.Option("--comparator", help="rest-of-force (default), force, loaded, peers:CODE,CODE."),
]


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


def build_query(
    area: str,
    *,
    first: str | None = None,
    last: str | None = None,
    months: int | None = None,
    category: list[str] | None = None,
    force: list[str] | None = None,
    comparator: str = "rest-of-force",
) -> Query:
    """The :class:`~crimestats.query.Query` the query options describe (months as typed)."""
    return Query.from_strings(
        _area_spec(area), first=first, last=last, months=months, categories=category or None,
        forces=force or None, comparator=comparator,
    )  # fmt: skip


def _option(
    name: str, annotation: Any, default: Any = inspect.Parameter.empty
) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                             default=default)  # fmt: skip


# The options that describe the question, declared once: each command takes the ones it uses.
QUERY_OPTIONS: dict[str, inspect.Parameter] = {
    "area": _option("area", AreaOpt),
    "first": _option("first", FromOpt, None),
    "last": _option("last", ToOpt, None),
    "months": _option("months", MonthsOpt, None),
    "category": _option("category", CategoryOpt, None),
    "force": _option("force", ForceOpt, None),
    "comparator": _option("comparator", ComparatorOpt, "rest-of-force"),
}
OUTPUT_OPTIONS: dict[str, inspect.Parameter] = {
    "output": _option("output", FormatOpt, OutputFormat.table),
    "data_dir": _option("data_dir", DataDirOpt, None),
    "engine": _option("engine", EngineOpt, EngineName.duckdb),
    "table": _option("table", TableOpt, None),
}
PERIOD = ("first", "last", "months")
ALL_QUERY = (*PERIOD, "category", "force")

Ask = Callable[..., Any]


def _command(name: str, uses: tuple[str, ...] = ALL_QUERY) -> Callable[[Ask], Ask]:
    """Register ``ask(engine, query, now, **own_options)`` as ``saferplaces stats NAME``.

    The command's options are ``--area``, the query options named in ``uses`` (from
    :data:`QUERY_OPTIONS`), the ask's own keyword options (after its first three parameters),
    then the output options; the ask's docstring is the command's help.
    """

    def register(ask: Ask) -> Ask:
        # Own options are annotated with this module's Annotated aliases (by name: annotations
        # are strings here, and evaluating them all would import the engine for its type).
        own = [
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=globals()[p.annotation])
            for p in list(inspect.signature(ask).parameters.values())[3:]
        ]
        query_names = ("area", *uses)

        def command(**options: Any) -> None:
            asked = {key: options.pop(key) for key in query_names}
            shown = {key: options.pop(key) for key in OUTPUT_OPTIONS}
            _run(
                lambda e, now: ask(e, build_query(**asked), now, **options),
                shown["data_dir"], shown["engine"], shown["output"], shown["table"],
            )  # fmt: skip

        parameters = [
            *(QUERY_OPTIONS[key] for key in query_names),
            *own,
            *OUTPUT_OPTIONS.values(),
        ]
        command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        command.__doc__ = ask.__doc__
        command.__name__ = f"{name}_command"
        stats_app.command(name)(command)
        return ask

    return register


@_command("counts")
def _counts(engine: Engine, query: Query, now: datetime) -> Any:
    """Counts by month (gaps for missing months), category, LSOA, ward, force."""
    return measures.counts(engine, query, computed_at=now)


@_command("trend")
def _trend(engine: Engine, query: Query, now: datetime) -> Any:
    """Rolling 12 months; seasonal Kendall trend test with Sen's slope interval and checks."""
    return measures.trend(engine, query, computed_at=now)


@_command("seasonal")
def _seasonal(engine: Engine, query: Query, now: datetime) -> Any:
    """Seasonal index, shown only when a test finds a seasonal pattern (needs 3 years)."""
    return measures.seasonal(engine, query, computed_at=now)


@_command("control")
def _control(engine: Engine, query: Query, now: datetime) -> Any:
    """Control chart of recent months against the same months of 3 years (dispersion-aware)."""
    return measures.control(engine, query, computed_at=now)


@_command("hotspots")
def _hotspots(engine: Engine, query: Query, now: datetime) -> Any:
    """Gi* hot spots, top LSOAs, repeat map points, concentration."""
    return measures.hotspots(engine, query, computed_at=now)


@_command("outcomes")
def _outcomes(engine: Engine, query: Query, now: datetime) -> Any:
    """Last outcomes by category and group; positive outcome share."""
    return measures.outcomes(engine, query, computed_at=now)


@_command("rates", (*ALL_QUERY, "comparator"))
def _rates(engine: Engine, query: Query, now: datetime) -> Any:
    """Rate per 1,000 residents with exact Poisson interval, beside the rest of the force area."""
    rate = measures.rates(engine, query, computed_at=now)
    comparison = measures.compare(engine, query, computed_at=now)
    return _serialise.RatesReport.of(rate, comparison)


@_command("compare", (*ALL_QUERY, "comparator"))
def _compare(engine: Engine, query: Query, now: datetime) -> Any:
    """Compare the area's rate with a comparator: rate ratio, exact interval and test."""
    return measures.compare(engine, query, computed_at=now)


def _two(text: str | None, name: str) -> tuple[date, date] | None:
    if text is None:
        return None
    parts = text.split(":")
    if len(parts) != 2:
        raise ValueError(f"{name} must be FIRST:LAST, e.g. 2024-01:2024-12")
    return parse_period(parts[0], parts[1], name)


Period1Opt = Annotated[str | None, typer.Option("--period1", help="Earlier period FIRST:LAST.")]
Period2Opt = Annotated[str | None, typer.Option("--period2", help="Later period FIRST:LAST.")]


@_command("change", ("last", "months", "category", "force"))
def _change(
    engine: Engine, query: Query, now: datetime, period1: Period1Opt = None,
    period2: Period2Opt = None,
) -> Any:  # fmt: skip
    """Change between two periods (default latest 12 vs previous 12 months), allowing for
    overdispersion; the Poisson E-test and exact test are shown beside it."""
    return measures.change(
        engine, query, period_1=_two(period1, "--period1"), period_2=_two(period2, "--period2"),
        computed_at=now,
    )  # fmt: skip


IncludeProactiveOpt = Annotated[
    bool, typer.Option("--include-proactive", help="Add drugs and weapons to the total.")
]
WeightsOpt = Annotated[str, typer.Option("--weights", help="Harm weights version.")]


@_command("harm", (*PERIOD, "force"))
def _harm(
    engine: Engine, query: Query, now: datetime, include_proactive: IncludeProactiveOpt = False,
    weights: WeightsOpt = "cchi-v1.1",
) -> Any:  # fmt: skip
    """Harm-weighted totals and rankings by category and LSOA, beside counts."""
    return measures.harm(
        engine, query, weights_version=weights, include_proactive=include_proactive,
        computed_at=now,
    )  # fmt: skip


@_command("quality", (*PERIOD, "force"))
def _quality(engine: Engine, query: Query, now: datetime) -> Any:
    """Data quality: months present and missing, unlocated rows, repeated IDs, vintages."""
    return measures.quality(engine, query, computed_at=now)


@_command("profile", ("last", "months", "comparator", "force"))
def _profile_command(engine: Engine, query: Query, now: datetime) -> Any:
    """Every question for one area (a CSP profile), 36 months ending at the latest month."""
    return _profile.csp_profile(engine, query, computed_at=now)


def main() -> None:  # pragma: no cover - for `python -m saferplaces_cli.stats`
    """Run the stats commands on their own."""
    stats_app(sys.argv[1:])
