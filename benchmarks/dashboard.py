"""Dashboard benchmark: server time of /staff/crime/ on the real North West Leicestershire data.

Each first view is timed in a fresh process (Django set up, an empty cache): after the WSGI
module's warm-up (``saferplaces.analytics.warmup``) has run, which is what the first person to
open the dashboard after a server start gets; with only its imports done (a view that arrives
while it is still computing); and with no warm-up at all. Warm is the median of further views of
the same filters (cached figures), and "new filters" of filters not seen before (the engine is
open; the figures are computed).

Run: ``python -m benchmarks.dashboard [--shared-data DIR]``; prints a markdown section.
Targets (issue 13): warm < 300 ms, first view after a server start < 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MODES = ("warm-up", "imports", "none")
NEW_FILTERS = (
    "period=month&month=2025-06&category=burglary",
    "area=E05010091",
    "period=custom&start=2025-02&end=2025-05&category=violence",
    "period=month&month=2025-03&category=shoplifting",
    "category=asb",
)


def _child(data_dir: str, warm_reps: int, mode: str) -> dict[str, Any]:
    """Runs in a fresh interpreter: set Django up, sign a member in, time the views.

    ``mode``: ``none`` (nothing done at start-up), ``imports`` (the engine's libraries imported,
    as the WSGI module's warm-up does first) or ``warm-up`` (its warm-up finished: figures
    cached).
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "saferplaces.config.settings.test"
    os.environ["SAFERPLACES_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = "sqlite://:memory:"  # never a file in the data folder
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.DATA_DIR = Path(data_dir)
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    from saferplaces.accounts.models import Membership, Organisation, Partnership, User

    partnership = Partnership.objects.create(
        name="North West Leicestershire Community Safety Partnership", gss_code="E22000170",
        lad_codes=["E07000134"], police_force="leicestershire",
    )  # fmt: skip
    organisation = Organisation.objects.create(
        partnership=partnership,
        name="Council",
        type="council",
        statutory_status="responsible_authority",
    )
    user = User.objects.create_user(email="analyst@example.org", password="x" * 20)
    Membership.objects.create(user=user, organisation=organisation, role="analyst")
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    def timed(query: str = "") -> float:
        started = time.perf_counter()
        response = client.get("/staff/crime/" + (f"?{query}" if query else ""))
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"/staff/crime/?{query} gave {response.status_code}")
        return elapsed

    if mode in ("imports", "warm-up"):
        from saferplaces.analytics import warmup

        warmup.import_engine() if mode == "imports" else warmup.warm_up()
    cold = timed()
    warm = [timed() for _ in range(warm_reps)]
    fresh = [timed(query) for query in NEW_FILTERS]
    geojson = client.get("/staff/crime/map/geojson/")  # the partnership's map, default months
    if geojson.status_code != 200:
        raise RuntimeError(f"the map GeoJSON gave {geojson.status_code}")
    return {"cold": cold, "warm": warm, "fresh": fresh, "geojson_bytes": len(geojson.content)}


def _demo_store(shared_data: Path, folder: Path) -> Path:
    from saferplaces.analytics.data_loading import load_demo_data

    load_demo_data(data_dir=folder, shared_data=shared_data)
    return folder


def measure(shared_data: Path, runs: int = 3, warm_reps: int = 10) -> dict[str, Any]:
    """Cold, warm and new-filter times over ``runs`` fresh processes on the demo store."""
    with tempfile.TemporaryDirectory(prefix="saferplaces-bench-dashboard-") as tmp:
        data_dir = _demo_store(shared_data, Path(tmp) / "data")
        results: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
        for _ in range(runs):
            for mode in MODES:
                out = subprocess.run(
                    [sys.executable, "-m", "benchmarks.dashboard", "--child", str(data_dir),
                     "--warm-reps", str(warm_reps), "--mode", mode],
                    cwd=REPO, capture_output=True, text=True, check=True,
                    env={**os.environ, "PYTHONPATH": str(REPO / "src")},
                )  # fmt: skip
                results[mode].append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {
        **{f"cold-{mode}": [r["cold"] for r in results[mode]] for mode in MODES},
        "warm": [t for mode in MODES for r in results[mode] for t in r["warm"]],
        "fresh": [t for mode in MODES for r in results[mode] for t in r["fresh"]],
        "geojson_bytes": max(r["geojson_bytes"] for mode in MODES for r in results[mode]),
    }


def markdown(figures: dict[str, Any]) -> str:
    warm, fresh = figures["warm"], figures["fresh"]
    after, imports, none = (figures[f"cold-{mode}"] for mode in MODES)

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:,.0f} ms"

    rows = [
        ("First view after a server start (its warm-up done)", statistics.median(after),
         max(after), "< 1.5 s", len(after)),
        ("First view, libraries imported, figures not yet computed", statistics.median(imports),
         max(imports), "–", len(imports)),
        ("First view with no warm-up at all (imports and figures)", statistics.median(none),
         max(none), "–", len(none)),
        ("Warm: the same filters again (cached)", statistics.median(warm), max(warm),
         "< 300 ms", len(warm)),
        ("New filters, engine open (computed)", statistics.median(fresh), max(fresh), "–",
         len(fresh)),
    ]  # fmt: skip
    lines = [
        "## Crime data dashboard (server time)",
        "",
        "Django test client on `/staff/crime/`, North West Leicestershire (E07000134), the demo "
        "store (Leicestershire and Derbyshire police.uk archives from the shared data pack). "
        "Server time from request to response, page rendered. Load average when done: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other work on the machine slows "
        "every row).",
        "",
        "| view | median | worst | target | views |",
        "| --- | ---: | ---: | --- | ---: |",
        *[
            f"| {name} | {ms(mid)} | {ms(worst)} | {target} | {n} |"
            for name, mid, worst, target, n in rows
        ],  # fmt: skip
        "",
        f"Map GeoJSON for the partnership (60 LSOAs, simplified boundaries, figures): "
        f"{figures['geojson_bytes'] / 1024:,.1f} KB (target < 200 KB).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared-data", type=Path,
                        default=Path(os.environ.get("SAFERPLACES_SHARED_DATA",
                                                    REPO.parent / "shared" / "data")))  # fmt: skip
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--warm-reps", type=int, default=10)
    parser.add_argument("--mode", choices=MODES, default="warm-up", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        sys.stdout.write(json.dumps(_child(args.child, args.warm_reps, args.mode)) + "\n")
        return
    sys.stdout.write(markdown(measure(args.shared_data, runs=args.runs, warm_reps=args.warm_reps)))


if __name__ == "__main__":
    main()
