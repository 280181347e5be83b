"""The result of an import: per-file outcomes and totals, ready for JSON or a terminal."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

MAX_EXAMPLE_LINES = 20


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one input CSV.

    ``status`` is ``imported`` (its force-month replaced), ``unchanged`` (byte-identical to the
    file the stored force-month was made from, with the same geography: skipped, and the row
    counts are those of the stored month) or ``failed`` (store unchanged for it; ``error`` says
    why in one line). A file that would store nothing (no data rows, or every row rejected, as in
    a file whose Month column disagrees with its name) is ``failed``: a missing month is never
    written as zero, and never passes silently.
    """

    file: str
    source_file: str
    status: str
    kind: str | None = None
    force: str | None = None
    month: str | None = None
    rows_accepted: int = 0
    rows_rejected: int = 0
    unlocated_rows: int = 0
    outside_geography_rows: int = 0
    repeated_crime_id_rows: int = 0
    error: str | None = None


@dataclass(frozen=True)
class ImportSummary:
    """Totals of one ``import_paths`` call; ``to_dict()`` gives the ``--json`` output.

    Attributes
    ----------
    rejected_by_reason : dict
        Rows refused per reason code (see ``crimestats.ingest.schemas.REJECT_REASONS``).
    rejected_examples : dict
        Per reason, the first 20 ``{"file", "line"}`` refused.
    unlocated_rows : int
        Accepted rows without a map point / LSOA (kept, counted at force level only).
    outside_geography_rows : int
        Accepted rows with an LSOA outside the loaded geography (kept, ``lsoa21_code`` NULL).
    repeated_crime_id_rows : int
        Accepted rows whose non-blank Crime ID already appeared earlier in the same file.
    """

    import_id: str
    data_dir: str
    files: tuple[FileResult, ...]
    rows_accepted: int
    rows_rejected: int
    rejected_by_reason: dict[str, int]
    rejected_examples: dict[str, list[dict[str, object]]]
    months: list[str]
    forces: list[str]
    rows_by_kind: dict[str, int]
    unlocated_rows: int
    outside_geography_rows: int
    repeated_crime_id_rows: int
    lsoa2011_rows: int
    geography_loaded: bool
    warnings: list[str] = field(default_factory=list)
    rejects_file: str | None = None
    seconds: float = 0.0

    @property
    def files_imported(self) -> int:
        """Files whose force-month is now in the store."""
        return sum(1 for f in self.files if f.status == "imported")

    @property
    def files_unchanged(self) -> int:
        """Files identical to what their stored force-month was made from (skipped)."""
        return sum(1 for f in self.files if f.status == "unchanged")

    @property
    def rows_unchanged(self) -> int:
        """Rows held by the force-months of the unchanged files (not counted in rows_accepted)."""
        return sum(f.rows_accepted for f in self.files if f.status == "unchanged")

    @property
    def files_failed(self) -> int:
        """Files refused as a whole (store unchanged for them)."""
        return sum(1 for f in self.files if f.status == "failed")

    @property
    def exit_code(self) -> int:
        """0 when every file imported (rows may have been rejected), 1 when any file failed."""
        return 1 if self.files_failed else 0

    @property
    def rows_per_second(self) -> float:
        """Accepted rows per second of wall time."""
        return self.rows_accepted / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, object]:
        """A JSON-serialisable dictionary (all fields plus the derived counts)."""
        result = asdict(self)
        result["files"] = [asdict(f) for f in self.files]
        result["files_total"] = len(self.files)
        result["files_imported"] = self.files_imported
        result["files_unchanged"] = self.files_unchanged
        result["rows_unchanged"] = self.rows_unchanged
        result["files_failed"] = self.files_failed
        result["rows_per_second"] = round(self.rows_per_second, 1)
        result["seconds"] = round(self.seconds, 3)
        result["exit_code"] = self.exit_code
        return result
