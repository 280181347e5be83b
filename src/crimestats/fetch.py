"""Download data.police.uk archives and ONS files (for users with internet; tests use file://).

The opener and base URL are parameters, so tests serve files they made themselves and nothing
here touches the network unless the caller asks for it.
"""

from __future__ import annotations

import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

from crimestats.ingest.names import parse_file_name
from crimestats.months import add_months, month_label, month_range, parse_month

POLICE_ARCHIVE_URL = "https://data.police.uk/data/archive/"
# A monthly archive holds about three years of every force (methods reference §1.5).
ARCHIVE_SPAN_MONTHS = 36

# Files `fetch-ons` downloads by default: name saved under ons/ -> URL. ONS Open Geography
# lookups and boundaries move between portal releases, so pass a manifest for those (see
# docs/data-import.md); the MHCLG IoD2019 file below has had a stable address since 2019.
ONS_SOURCES: dict[str, str] = {
    "File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv": (
        "https://assets.publishing.service.gov.uk/government/uploads/system/uploads/"
        "attachment_data/file/845345/"
        "File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv"
    ),
}

Opener = Callable[[str], IO[bytes]]


@dataclass(frozen=True)
class FetchResult:
    """Files written, archives used and requested months that no archive held."""

    files: list[str]
    archives: list[str]
    missing_months: list[str]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dictionary."""
        return asdict(self)


def download(url: str, target: Path, *, opener: Opener = urllib.request.urlopen) -> Path:
    """Stream ``url`` to ``target`` (written under a temporary name, then renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".part") as tmp:
        try:
            with opener(url) as response:
                shutil.copyfileobj(response, tmp, length=1 << 20)
        except BaseException:
            tmp.close()
            Path(tmp.name).unlink(missing_ok=True)
            raise
    Path(tmp.name).replace(target)
    return target


def fetch_police_archives(
    force: str,
    first: date,
    last: date,
    dest: Path,
    *,
    base_url: str = POLICE_ARCHIVE_URL,
    opener: Opener = urllib.request.urlopen,
) -> FetchResult:
    """Download police.uk monthly archives and extract one force's files for a range of months.

    Parameters
    ----------
    force : str
        Force slug as in the file names, e.g. ``leicestershire``.
    first, last : date
        Inclusive month range.
    dest : Path
        Files go to ``dest/<archive>/YYYY-MM/YYYY-MM-<force>-<kind>.csv`` (the archive layout,
        ready for ``saferplaces data import dest``).
    base_url : str
        Where ``YYYY-MM.zip`` archives are served.
    opener : callable
        ``urllib.request.urlopen`` or a stand-in for tests.

    Returns
    -------
    FetchResult

    Notes
    -----
    The archive named after month M holds about the 36 months up to M for every force, so the
    newest archive is tried first and older ones only for months it does not reach. Only the
    requested force's members are extracted; the archive itself is deleted afterwards.
    """
    force = force.lower()
    wanted = {month_label(m) for m in month_range(first, last)}
    remaining = set(wanted)
    written: list[str] = []
    archives: list[str] = []
    notes: list[str] = []
    archive_month = last.replace(day=1)
    tried = 0
    while remaining and tried < 6:
        tried += 1
        label = month_label(archive_month)
        url = base_url.rstrip("/") + f"/{label}.zip"
        with tempfile.TemporaryDirectory() as tmp:
            try:
                zipped = download(url, Path(tmp) / f"{label}.zip", opener=opener)
            except (urllib.error.URLError, OSError) as error:
                notes.append(f"{url}: not available ({error})")
                archive_month = add_months(archive_month, -1)
                continue
            archives.append(label)
            with zipfile.ZipFile(zipped) as archive:
                for member in archive.namelist():
                    try:
                        name = parse_file_name(member)
                    except ValueError:
                        continue
                    if name.force != force or name.month_label not in remaining:
                        continue
                    target = dest / label / name.month_label / member.rsplit("/", 1)[-1]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(member) as source, open(target, "wb") as out:
                        shutil.copyfileobj(source, out, length=1 << 20)
                    written.append(str(target))
        found = {Path(f).parent.name for f in written}
        remaining -= found
        older = sorted(
            m
            for m in remaining
            if m < month_label(add_months(archive_month, 1 - ARCHIVE_SPAN_MONTHS))
        )
        if not older:
            break
        archive_month = add_months(min(parse_month(m) for m in older), ARCHIVE_SPAN_MONTHS - 1)
    return FetchResult(sorted(written), archives, sorted(remaining), notes)


def fetch_ons_files(
    dest: Path,
    *,
    sources: dict[str, str] | None = None,
    opener: Opener = urllib.request.urlopen,
) -> FetchResult:
    """Download ONS / MHCLG files to ``dest/ons/<name>``.

    Parameters
    ----------
    dest : Path
        A folder laid out like the shared data (``ons/``, ``boundaries/``), ready for
        ``saferplaces data geography --from dest``.
    sources : dict, optional
        File name -> URL; defaults to :data:`ONS_SOURCES`. A name may include a sub-folder
        (``boundaries/lsoa/all.geojson``).
    opener : callable
        ``urllib.request.urlopen`` or a stand-in for tests.
    """
    written = []
    for name, url in (ONS_SOURCES if sources is None else sources).items():
        target = dest / name if "/" in name else dest / "ons" / name
        written.append(str(download(url, target, opener=opener)))
    return FetchResult(written, [], [])
