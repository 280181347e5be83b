"""Loading crime data into the data folder for a demo or a fresh installation.

Real police.uk and ONS files are used when the shared data folder is present; otherwise a small,
clearly labelled synthetic dataset is generated so the pages have something to show. Either way
the work is done by ``crimestats``; this module only decides what to load and reports it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crimestats import synthetic
from crimestats.store import Store

# The demo partnership sits in the Leicestershire force area; Derbyshire borders it and records
# some crimes located in North West Leicestershire, so both forces are loaded.
DEMO_FORCES = ("leicestershire", "derbyshire")
# Written after a successful load: which archives went in, so a second run can skip the import.
MARKER = "demo-data.json"
# Where the crime store and the geography live inside the data folder (crimestats' layout).
STORE_FOLDER = "store"
GEOGRAPHY_FOLDER = "geography"
REAL = "real"
SYNTHETIC = "synthetic"


@dataclass(frozen=True)
class DemoDataReport:
    source: str  # REAL or SYNTHETIC
    data_dir: Path
    shared_data: Path | None = None
    skipped: bool = False  # nothing to do: the same data was already loaded
    messages: list[str] = field(default_factory=list)

    @property
    def headline(self) -> str:
        if self.source == REAL:
            return f"Crime data: REAL police.uk and ONS data from {self.shared_data}"
        return "Crime data: GENERATED DEMO DATA (synthetic; every figure is labelled so)"


def _archives(shared_data: Path) -> list[Path]:
    folder = shared_data / "police-uk"
    return sorted(path for path in folder.glob("*.zip") if path.name.split("-")[0] in DEMO_FORCES)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fingerprint(archives: list[Path]) -> list[dict[str, Any]]:
    return [{"name": path.name, "sha256": _sha256(path)} for path in archives]


def _read_marker(data_dir: Path) -> dict[str, Any]:
    try:
        return dict(json.loads((data_dir / MARKER).read_text("utf-8")))
    except (OSError, ValueError):
        return {}


def _write_marker(data_dir: Path, content: dict[str, Any]) -> None:
    path = data_dir / MARKER
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(content, indent=2), "utf-8")
    temporary.replace(path)


def _load_real(data_dir: Path, shared_data: Path, store: Store) -> DemoDataReport:
    from crimestats.geography.build import load_geography
    from crimestats.ingest import import_paths

    messages = []
    archives = _archives(shared_data)
    fingerprint = _fingerprint(archives)
    marker = _read_marker(data_dir)
    if (
        marker.get("source") == REAL
        and marker.get("archives") == fingerprint
        and marker.get("catalogue_version") == store.catalogue_version()
        and store.geography_loaded()
    ):
        messages.append(
            f"Already loaded: the {len(archives)} police.uk archives are unchanged since the "
            "last run, so nothing was imported."
        )
        return DemoDataReport(REAL, data_dir, shared_data, skipped=True, messages=messages)
    if not store.geography_loaded():
        summary = load_geography(shared_data, data_dir)
        messages.append("Loaded the ONS geography, population and boundaries.")
        messages.extend(f"Warning: {warning}" for warning in summary.warnings)
    result = import_paths(archives, data_dir)
    totals = result.to_dict()
    messages.append(
        f"Imported {len(archives)} police.uk archives "
        f"({', '.join(path.name for path in archives)}): "
        f"{totals.get('rows_accepted', 0):,} rows accepted, "
        f"{totals.get('rows_rejected', 0):,} rejected."
    )
    if totals.get("exit_code", 0) == 0:
        _write_marker(
            data_dir,
            {
                "source": REAL,
                "shared_data": str(shared_data),
                "archives": fingerprint,
                "catalogue_version": store.catalogue_version(),
            },
        )
    else:
        messages.append("Warning: some files failed to import; the next run will try again.")
    return DemoDataReport(REAL, data_dir, shared_data, messages=messages)


def _load_synthetic(data_dir: Path, shared_data: Path | None, store: Store) -> DemoDataReport:
    forces = {partition.force for partition in store.partitions("street")}
    if forces and store.geography_loaded():
        if not all(synthetic.is_synthetic_force(force) for force in forces):
            message = (
                f"The shared data folder was not found, but {data_dir} already holds real "
                "police.uk data; it is kept and nothing was generated."
            )
            return DemoDataReport(REAL, data_dir, shared_data, skipped=True, messages=[message])
        message = "Already loaded: the generated demo data is in place; nothing to do."
        return DemoDataReport(SYNTHETIC, data_dir, shared_data, skipped=True, messages=[message])
    synthetic.generate_demo_dataset(data_dir)
    messages = [
        "The shared data folder was not found"
        + (f" at {shared_data}" if shared_data else "")
        + ", so SaferPlaces made GENERATED DEMO DATA instead. Every figure it shows is"
        " synthetic and labelled so. Import real data with `saferplaces data import`."
    ]
    _write_marker(data_dir, {"source": SYNTHETIC, "catalogue_version": store.catalogue_version()})
    return DemoDataReport(SYNTHETIC, data_dir, shared_data, messages=messages)


def _drop_generated(data_dir: Path) -> bool:
    """Remove generated crime data and geography once real data is there to replace them.

    Someone who ran ``make run`` before the shared data was in place has generated data in the
    store; importing the real files beside it would mix synthetic forces and a synthetic
    geography with the real ones. Generated data is disposable by definition, so it goes; the
    web app's own database (people, plans, assessments) is not touched.
    """
    if _read_marker(data_dir).get("source") != SYNTHETIC:
        return False
    for folder in (STORE_FOLDER, GEOGRAPHY_FOLDER):
        shutil.rmtree(data_dir / folder, ignore_errors=True)
    (data_dir / MARKER).unlink(missing_ok=True)
    return True


def load_demo_data(*, data_dir: Path, shared_data: Path | None) -> DemoDataReport:
    """Load real data from ``shared_data`` if it exists, else generate synthetic demo data.

    Safe to run repeatedly: a second run with the same archives imports nothing (their
    checksums are kept in ``data_dir / MARKER``), and a re-import replaces force-months, never
    double counts.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    if shared_data is not None and (shared_data / "police-uk").is_dir():
        replaced = _drop_generated(data_dir)
        report = _load_real(data_dir, shared_data, Store(data_dir))
        if replaced:
            report.messages.insert(0, "Replaced the generated demo data with the real data.")
        return report
    store = Store(data_dir)
    return _load_synthetic(data_dir, shared_data, store)
