"""Plan indicators benchmark: refresh of every bound indicator, and the board pack PDF.

A fresh process sets Django up on an in-memory database, makes the demo partnership with a plan
of 4 priorities and 40 actions (two milestones each), 15 indicators (11 bound to the crime data
as in ``saferplaces_demo_indicators``, 4 manual with values) and one meeting, then times:

- **refresh**: :func:`saferplaces.indicators.tasks.refresh_run` for the partnership (every bound
  indicator for every month held, RAG judged, values saved), first with the engine not yet open
  (as a task worker after an import) and again with it open;
- **board pack**: :func:`saferplaces.indicators.boardpack.board_pack_build_run` (HTML, 15
  charts, PDF by WeasyPrint, stored).

Run: ``python -m benchmarks.indicators [--data-dir DIR | --shared-data DIR] [--runs N]``; prints
a markdown section. Targets (issue 14): refresh < 5 s, board pack < 15 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _setup(data_dir: str) -> Any:
    os.environ["DJANGO_SETTINGS_MODULE"] = "saferplaces.config.settings.test"
    os.environ["SAFERPLACES_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DATA_DIR = Path(data_dir)
    call_command("migrate", verbosity=0)
    from saferplaces.accounts.models import Membership, Organisation, Partnership, User
    from saferplaces.plans.models import Action, Milestone, Plan, Priority

    partnership = Partnership.objects.create(
        name="North West Leicestershire Community Safety Partnership",
        gss_code="E22000170",
        lad_codes=["E07000134"],
        police_force="leicestershire",
    )
    council = Organisation.objects.create(
        partnership=partnership,
        name="Council",
        type="council",
        statutory_status="responsible_authority",
    )
    manager = User.objects.create(email="manager@example.org", full_name="Manager")
    Membership.objects.create(user=manager, organisation=council, role="partnership_manager")
    plan = Plan.objects.create(
        partnership=partnership,
        title="Community Safety Plan",
        start_year=2026,
        end_year=2029,
        status="published",
    )
    for order, (category, title) in enumerate(
        (
            ("violent-crime", "Violence and sexual offences"),
            ("anti-social-behaviour", "Anti-social behaviour"),
            ("burglary", "Burglary"),
            ("robbery", "Robbery"),
        )
    ):
        priority = Priority.objects.create(
            plan=plan,
            title=title,
            order=order,
            assessment_category=category,
            lead_organisation=council,
        )
        for n in range(10):
            action = Action.objects.create(
                priority=priority,
                key_activity=f"Action {n}",
                intervention_level="prevention",
                order=n,
            )
            action.organisations.set([council])
            for k in range(2):
                Milestone.objects.create(
                    action=action, title=f"Step {k}", due_date=date(2026, 3 + 3 * k, 1)
                )
    return partnership, plan, manager


def _indicators(partnership: Any, plan: Any, manager: Any) -> None:
    """The demo command's indicators (neighbourhood ones on the same LSOAs as the demo's)."""
    from saferplaces.accounts.permissions import roles_in_partnership
    from saferplaces.indicators import services
    from saferplaces.indicators.management.commands import saferplaces_demo_indicators as demo
    from saferplaces.neighbourhoods.management.commands.saferplaces_demo_neighbourhood import (
        LSOA_CODES,
    )
    from saferplaces.neighbourhoods.models import Neighbourhood

    roles = roles_in_partnership(manager, partnership)
    hood = Neighbourhood.objects.create(
        partnership=partnership,
        owner_organisation=manager.memberships.first().organisation,
        name=demo.NEIGHBOURHOOD,
        baseline_month=date(2024, 1, 1),
        sharing="partnership",
        lsoa_codes=list(LSOA_CODES),
    )
    priorities = {p.assessment_category: p for p in plan.priorities.all()}
    for category, name, area_kind, cats, measure, unit, change in demo.BOUND:
        area: dict[str, Any] = {"kind": area_kind}
        if area_kind == "wards":
            area["wards"] = demo.COALVILLE_WARDS
        if area_kind == "neighbourhood":
            area["neighbourhood_id"] = str(hood.pk)
        services.indicator_create(
            plan=plan,
            by=manager,
            roles=roles,
            data={
                "name": name,
                "priority": priorities[category],
                "kind": "bound",
                "unit": unit,
                "direction": "lower",
                "frequency": "monthly",
                "baseline_value": 100.0,
                "baseline_month": demo.BASELINE_MONTH,
                "target_value": 100.0 * (1 + change),
                "target_date": demo.TARGET_DATE,
                "measure": {"area": area, "categories": cats, "measure": measure},
            },
        )
    for category, name, unit, direction, baseline, target, values in demo.MANUAL:
        indicator = services.indicator_create(
            plan=plan,
            by=manager,
            roles=roles,
            data={
                "name": name,
                "priority": priorities[category],
                "kind": "manual",
                "unit": unit,
                "direction": direction,
                "frequency": "quarterly",
                "baseline_value": baseline,
                "baseline_month": date(2024, 12, 1),
                "target_value": target,
                "target_date": demo.TARGET_DATE,
            },
        )
        for month, value, low, high in values:
            services.indicator_value_enter(
                indicator=indicator,
                by=manager,
                roles=roles,
                organisation_ids=set(),
                month=month,
                value=value,
                low=low,
                high=high,
                note=demo.EXAMPLE,
            )


def _child(data_dir: str) -> dict[str, Any]:
    partnership, plan, manager = _setup(data_dir)
    _indicators(partnership, plan, manager)
    from saferplaces.indicators import meetings
    from saferplaces.indicators.boardpack import board_pack_build_run
    from saferplaces.indicators.models import BoardPack, Indicator, IndicatorValue, Meeting
    from saferplaces.indicators.tasks import refresh_run

    timings: dict[str, Any] = {}
    for label in ("refresh_cold", "refresh_warm"):
        wall, cpu = time.perf_counter(), _cpu()
        outcome = refresh_run(partnership_id=str(partnership.pk))
        timings[label] = (time.perf_counter() - wall, _cpu() - cpu)
    timings["bound"] = len(outcome)
    timings["indicators"] = Indicator.objects.count()
    timings["values"] = IndicatorValue.objects.count()
    meeting = Meeting.objects.create(
        partnership=partnership, plan=plan, date=date(2026, 3, 12), title="Board"
    )
    pack = meetings.board_pack_request(
        meeting=meeting, by=manager, roles={"partnership_manager"}, enqueue=False
    )
    wall, cpu = time.perf_counter(), _cpu()
    status = board_pack_build_run(pack_id=str(pack.pk))
    timings["board_pack"] = (time.perf_counter() - wall, _cpu() - cpu)
    pack = BoardPack.objects.get(pk=pack.pk)
    timings["pack_status"] = status
    timings["pdf_bytes"] = len(bytes(pack.pdf or b""))
    return timings


def measure(data_dir: Path, runs: int) -> list[dict[str, Any]]:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.indicators", "--child", str(data_dir)],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(REPO / "src"), "SAFERPLACES_LOG_LEVEL": "WARNING"},
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def markdown(results: list[dict[str, Any]]) -> str:
    def row(name: str, key: str, target: str) -> str:
        walls = [r[key][0] for r in results]
        cpus = [r[key][1] for r in results]
        return (
            f"| {name} | {statistics.median(walls):.2f} s | {max(walls):.2f} s | "
            f"{statistics.median(cpus):.2f} s | {target} |"
        )

    first = results[0]
    return "\n".join(
        [
            "## Plan indicators and board pack",
            "",
            f"Demo partnership (North West Leicestershire, real police.uk data): a plan of 4 "
            f"priorities and 40 actions, {first['indicators']} indicators ({first['bound']} bound "
            f"to the crime data, {first['values']} monthly values in all), one meeting. "
            f"{len(results)} fresh processes; load average when done "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.",
            "",
            "| step | median (wall) | worst | CPU | target |",
            "| --- | ---: | ---: | ---: | --- |",
            row("Refresh every bound indicator (engine not yet open)", "refresh_cold", "< 5 s"),
            row("Refresh again (engine open)", "refresh_warm", "–"),
            row("Board pack: HTML, 15 charts, PDF, stored", "board_pack", "< 15 s"),
            "",
            f"Board pack PDF: {first['pdf_bytes'] / 1024:,.0f} KB ({first['pack_status']}).",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, help="a store with the demo data already loaded")
    parser.add_argument(
        "--shared-data",
        type=Path,
        default=Path(os.environ.get("SAFERPLACES_SHARED_DATA", REPO.parent / "shared" / "data")),
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        sys.stdout.write(json.dumps(_child(args.child)) + "\n")
        return
    if args.data_dir is not None:
        sys.stdout.write(markdown(measure(args.data_dir, args.runs)))
        return
    from saferplaces.analytics.data_loading import load_demo_data

    with tempfile.TemporaryDirectory(prefix="saferplaces-bench-indicators-") as tmp:
        folder = Path(tmp) / "data"
        load_demo_data(data_dir=folder, shared_data=args.shared_data)
        sys.stdout.write(markdown(measure(folder, args.runs)))


if __name__ == "__main__":
    main()
