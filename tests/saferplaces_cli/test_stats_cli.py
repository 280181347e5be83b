"""``saferplaces stats``: readable tables, complete JSON, one CSV table, one-line errors.

Runs on the real-data store built once per process by ``tests/crimestats/measures/_realstore``.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
from pathlib import Path

import pytest
from tests.crimestats.measures._realstore import real_data_dir
from tests.crimestats.reference import NWL_2025_BY_TYPE, NWL_2025_CRIMES
from typer.testing import CliRunner

from saferplaces_cli.main import app

pytestmark = pytest.mark.realdata

NWL = "E07000134"
runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir() -> Path:
    return real_data_dir()


def _stats(data_dir: Path, *args: str):
    return runner.invoke(app, ["stats", *args, "--data-dir", str(data_dir)])


def _error_line(result) -> str:
    text = result.stderr if result.stderr else result.output
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


@pytest.fixture(scope="module")
def profile_table(data_dir: Path) -> str:
    result = _stats(data_dir, "profile", "-a", NWL, "--to", "2025-12", "--format", "table")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_profile_table_has_a_headed_section_per_question(profile_table):
    for heading in (
        "CSP profile", "Recorded crime by category", "Rate", "Comparison", "Change",
        "Trend", "Seasonality", "Control chart", "Hot spots", "Top LSOAs by count",
        "Top map points", "Harm", "Outcomes", "Data quality", "Provenance",
    ):  # fmt: skip
        assert heading in profile_table, heading
    assert "North West Leicestershire (E07000134, LAD, 60 LSOAs)" in profile_table
    assert "× the rest of Leicestershire force area" in profile_table
    assert "95 % CI" in profile_table
    assert "No test: period 1 has missing months" in profile_table
    assert "No trend test: too short for a trend test" in profile_table
    assert "gap" in profile_table  # missing months shown as gaps in the monthly table
    assert "Harm share" in profile_table  # harm beside the counts
    assert "leicestershire: 16 of 36 months present" in profile_table
    assert "counts.by_month" not in profile_table  # not a dump of dotted keys


def test_profile_json_is_complete_and_valid(data_dir):
    result = _stats(data_dir, "profile", "-a", NWL, "--to", "2025-12", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for section in ("counts", "asb", "rate", "comparison", "change", "trend", "seasonal",
                    "control", "hotspots", "harm", "outcomes", "quality"):  # fmt: skip
        assert "provenance" in data[section], section
    assert data["counts"]["by_month"][0] == {
        "month": "2023-01-01", "count": None, "status": data["counts"]["by_month"][0]["status"]
    }  # fmt: skip
    assert data["rate"]["provenance"]["population_year_used"] == 2021
    assert data["harm"]["provenance"]["weights_version"] == "cchi-v1.1"
    assert data["provenance"]["computed_at"]


def test_counts_csv_writes_one_named_table(data_dir):
    result = _stats(
        data_dir, "counts", "-a", NWL, "--from", "2025-01", "--to", "2025-12",
        "--format", "csv", "--table", "by_category", "--force", "leicestershire",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    counted = {r["crime_type"]: int(r["count"]) for r in rows}
    assert counted["violent-crime"] == NWL_2025_BY_TYPE["violent-crime"]
    assert sum(counted.values()) == NWL_2025_CRIMES
    assert "# Data: 2025-01 to 2025-12" in result.stderr


def test_compare_and_change_tables_read_as_sentences(data_dir):
    compare = _stats(data_dir, "compare", "-a", NWL, "--from", "2025-01", "--to", "2025-12")
    assert compare.exit_code == 0, compare.output
    assert "× the rest of Leicestershire force area" in compare.stdout
    change = _stats(
        data_dir, "change", "-a", NWL, "--period1", "2020-01:2020-12",
        "--period2", "2021-01:2021-12",
    )  # fmt: skip
    assert change.exit_code == 0, change.output
    assert "distinguishable from noise at the 95 % level" in change.stdout
    assert "E-test" in change.stdout


def test_change_reports_dispersion_and_keeps_the_poisson_result_beside_it(data_dir):
    # Issue 11, finding 1: Jan–Apr 2025 vs 2024 (−182) was "strong evidence" at p = 0.008.
    args = ["change", "-a", NWL, "--period1", "2024-01:2024-04", "--period2", "2025-01:2025-04"]
    table = _stats(data_dir, *args)
    assert table.exit_code == 0, table.output
    text = " ".join(table.stdout.split())
    assert "No change distinguishable from noise at the 95 % level" in text
    assert "strong evidence" not in text
    assert "dispersion phi = 6.41" in text
    assert "2019-12 to 2022-10" in text
    assert "E-test p = 0.008" in text  # the Poisson result, for transparency
    data = json.loads(_stats(data_dir, *args, "--format", "json").stdout)
    test = data["test"]
    assert test["test_kind"] == "wald"
    assert 0.1 < test["p"] < 0.5
    assert test["dispersion"]["phi"] == pytest.approx(6.4115, abs=1e-4)
    assert test["p_etest"] == pytest.approx(0.00808, abs=1e-4)
    assert data["dispersion_window"]["months"] == 35


def test_untested_or_unequal_change_has_no_difference_in_json(data_dir):
    # Issue 11, finding 4: "diff = 4245" comparing 4 months with 12.
    unequal = _stats(
        data_dir, "change", "-a", NWL, "--period1", "2024-01:2024-04",
        "--period2", "2025-01:2025-12", "--format", "json",
    )  # fmt: skip
    data = json.loads(unequal.stdout)
    assert data["diff"] is None
    assert "differ in length" in data["diff_reason"]
    assert data["test"]["diff_adjusted"] is not None
    missing = json.loads(_stats(data_dir, "change", "-a", NWL, "--format", "json").stdout)
    assert missing["tested"] is False
    assert missing["diff"] is None
    assert missing["diff_reason"].startswith("no test")


def test_rates_shows_the_rest_of_force_comparator_and_population_caveat(data_dir):
    result = _stats(data_dir, "rates", "-a", NWL, "--to", "2025-12")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "× the rest of Leicestershire force area" in text
    assert "does not include the uncertainty of the population figure" in text
    data = json.loads(_stats(data_dir, "rates", "-a", NWL, "--to", "2025-12", "-f", "json").stdout)
    assert data["rate"]["rate"] > 0  # the keys it always had
    assert data["comparison"]["comparator_kind"] == "rest-of-force"
    assert "does not include" in data["provenance"]["population_note"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["counts", "-a", "E07000999"], "not in the loaded geography"),
        (["counts", "-a", "NOT-A-CODE"], "unknown area"),
        (["counts", "-a", NWL, "--from", "2025-13"], "not a month"),
        (["counts", "-a", NWL, "-c", "burglaries"], "unknown crime categories"),
        (["counts", "-a", NWL, "--format", "csv", "--table", "nope"], "no table 'nope'"),
        (["change", "-a", NWL, "--period1", "2020-01"], "FIRST:LAST"),
        (
            ["change", "-a", NWL, "--period1", "2020-01:2020-13", "--period2", "2021-01:2021-12"],
            "--period1 end: '2020-13' is not a month",
        ),
        (["counts", "-a", NWL, "--months", "0"], "months must be at least 1"),
        (["rates", "-a", NWL, "--from", "2025-06", "--to", "2025-01"], "after it ends (2025-01)"),
        (["profile", "-a", NWL, "--to", "2025-13"], "last month: '2025-13' is not a month"),
    ],
)
def test_bad_input_gives_one_line_error(data_dir, args, message):
    result = _stats(data_dir, *args)
    assert result.exit_code != 0
    line = _error_line(result)
    assert line.startswith("Error:")
    assert message in line


def test_empty_data_folder_is_refused(tmp_path):
    result = runner.invoke(app, ["stats", "counts", "-a", NWL, "--data-dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "saferplaces data import" in _error_line(result)
    missing = runner.invoke(
        app, ["stats", "counts", "-a", NWL, "--data-dir", str(tmp_path / "nowhere")]
    )
    assert missing.exit_code != 0
    assert "no data folder" in _error_line(missing)


def test_every_stats_command_has_help_and_is_in_the_analysis_guide():
    from saferplaces_cli.stats import stats_app

    guide = (Path(__file__).resolve().parents[2] / "docs" / "analysis-guide.md").read_text("utf-8")
    commands = {c.name: c for c in stats_app.registered_commands}
    assert len(commands) == 12
    for name, command in commands.items():
        assert (command.callback.__doc__ or "").strip(), name
        assert f"saferplaces stats {name}" in guide, name


@pytest.mark.parametrize(
    ("command", "heading"),
    [
        ("rates", "crimes per 1,000 residents (95 % CI"),
        ("trend", "No trend test"),
        ("seasonal", "No seasonal index"),
        ("control", "Months charted"),
        ("hotspots", "Top LSOAs by count"),
        ("harm", "Harm by category"),
        ("outcomes", "Positive outcome"),
        ("quality", "months present"),
    ],
)
def test_each_question_prints_a_readable_section(data_dir, command, heading):
    result = _stats(data_dir, command, "-a", NWL, "--to", "2025-12")
    assert result.exit_code == 0, result.output
    assert heading in result.stdout
    assert "Provenance" in result.stdout


def test_hotspots_lists_every_significant_lsoa_and_json_agrees(data_dir):
    # Issue #12: "5 hot spot LSOAs" beside a table naming 3. Leicester has more hot and cold
    # spots than the top-10 table holds; every one must be named, and the JSON must agree.
    leicester = "E06000016"
    table = _stats(data_dir, "hotspots", "-a", leicester, "--to", "2025-12", "--format", "table")
    assert table.exit_code == 0, table.output
    data = json.loads(
        _stats(data_dir, "hotspots", "-a", leicester, "--to", "2025-12", "--format", "json").stdout
    )
    flagged = [r["lsoa21_code"] for r in data["lsoas"] if r["bin"]]
    assert len(flagged) > 10
    assert sorted(r["lsoa21_code"] for r in data["significant"]) == sorted(flagged)
    hot = sum(1 for r in data["lsoas"] if r["bin"] > 0)
    cold = sum(1 for r in data["lsoas"] if r["bin"] < 0)
    assert f"{hot} hot spot LSOAs and {cold} cold spot LSOAs" in table.stdout
    assert "Every hot and cold spot LSOA" in table.stdout
    for code in flagged:
        assert code in table.stdout, code


def test_hotspots_on_a_two_lsoa_ward_says_not_testable(data_dir):
    result = _stats(data_dir, "hotspots", "-a", "E05010091", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "no hot-spot test" in result.stdout


def test_query_options_are_declared_once_and_build_one_query():
    from crimestats.query import Query
    from saferplaces_cli.stats import QUERY_OPTIONS, build_query, stats_app

    commands = {c.name: c.callback for c in stats_app.registered_commands}
    for name in ("rates", "compare", "profile"):
        signature = inspect.signature(commands[name])
        for key in ("area", "last", "months", "comparator", "force"):
            assert signature.parameters[key] is QUERY_OPTIONS[key], (name, key)
    assert "first" not in inspect.signature(commands["profile"]).parameters
    assert build_query(
        NWL, first="2025-01", last="2025-12", category=["burglary,robbery"],
        force=["leicestershire"], comparator="force",
    ) == Query.from_strings(
        NWL, first="2025-01", last="2025-12", categories=("burglary", "robbery"),
        forces=("leicestershire",), comparator="force",
    )  # fmt: skip
    assert build_query(NWL, category=[], force=[]) == Query(NWL)  # not given: the defaults
