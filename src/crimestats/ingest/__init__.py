"""Import data.police.uk CSVs (street, outcomes, stop and search) into the Parquet store."""

from crimestats.ingest.errors import InputFileError
from crimestats.ingest.importer import ProgressCallback, import_paths
from crimestats.ingest.names import (
    KINDS,
    PoliceFileName,
    parse_file_name,
)
from crimestats.ingest.schemas import REJECT_REASONS, SCHEMAS
from crimestats.ingest.summary import FileResult, ImportSummary

__all__ = [
    "KINDS",
    "REJECT_REASONS",
    "SCHEMAS",
    "FileResult",
    "ImportSummary",
    "InputFileError",
    "PoliceFileName",
    "ProgressCallback",
    "import_paths",
    "parse_file_name",
]
