"""Loading crime data into the data folder for a demo or a fresh installation.

Real police.uk and ONS files are used when the shared data folder is present; otherwise a small,
clearly labelled synthetic dataset is generated so the pages have something to show. Either way
the work is done by ``crimestats``; this module only decides what to load and reports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from crimestats.geography.build import load_geography
from crimestats.ingest import import_paths
from crimestats.store import Store

# The demo partnership sits in the Leicestershire force area; Derbyshire borders it and records
# some crimes located in North West Leicestershire, so both forces are loaded.
DEMO_FORCES = ("leicestershire", "derbyshire")


@dataclass(frozen=True)
class DemoDataReport:
    source: str  # "real" or "synthetic"
    messages: list[str] = field(default_factory=list)


def _archives(shared_data: Path) -> list[Path]:
    folder = shared_data / "police-uk"
    return sorted(path for path in folder.glob("*.zip") if path.name.split("-")[0] in DEMO_FORCES)


def load_demo_data(*, data_dir: Path, shared_data: Path | None) -> DemoDataReport:
    """Load real data from ``shared_data`` if it exists, else generate synthetic demo data.

    Safe to run repeatedly: geography is loaded once, and a force-month already in the store is
    replaced only when its source file changed (the importer compares checksums), so a second run
    is quick and never double counts.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(data_dir)
    if shared_data is not None and (shared_data / "police-uk").is_dir():
        messages = [f"Using the real police.uk and ONS data in {shared_data}."]
        if not store.geography_loaded():
            summary = load_geography(shared_data, data_dir)
            messages.append("Loaded the ONS geography, population and boundaries.")
            messages.extend(f"Warning: {warning}" for warning in summary.warnings)
        archives = _archives(shared_data)
        result = import_paths(archives, data_dir)
        totals = result.to_dict()
        messages.append(
            f"Imported {len(archives)} police.uk archives: "
            f"{totals.get('rows_accepted', 0):,} rows accepted, "
            f"{totals.get('rows_rejected', 0):,} rejected."
        )
        return DemoDataReport(source="real", messages=messages)

    from crimestats.synthetic import generate_demo_dataset

    messages = [
        "The shared data folder was not found"
        + (f" at {shared_data}" if shared_data else "")
        + ", so SaferPlaces is using GENERATED DEMO DATA. Every figure it shows is synthetic"
        " and labelled so. Import real data with `saferplaces data import`."
    ]
    if not store.partitions("street"):
        generate_demo_dataset(data_dir)
        messages.append("Generated the synthetic demo dataset.")
    return DemoDataReport(source="synthetic", messages=messages)
