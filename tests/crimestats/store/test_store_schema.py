"""The store's own vocabulary: reading the store never loads the importer (issue #12)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crimestats.ingest import KINDS as INGEST_KINDS
from crimestats.ingest import SCHEMAS as INGEST_SCHEMAS
from crimestats.store import schema
from crimestats.store.schema import KINDS, SCHEMAS

SRC = Path(__file__).resolve().parents[3] / "src"


@pytest.mark.parametrize("module", ["crimestats.store", "crimestats.engines"])
def test_reading_the_store_does_not_load_the_importer_or_shapely(module: str) -> None:
    code = (
        f"import json, sys; import {module}; "
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.startswith('crimestats.ingest') or m.split('.')[0] == 'shapely')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC)},
    )
    assert json.loads(done.stdout) == []


def test_the_importer_uses_the_store_vocabulary() -> None:
    # One definition, re-exported: the importer cannot drift from what the reader expects.
    assert INGEST_KINDS is KINDS
    assert INGEST_SCHEMAS is SCHEMAS
    # Month labels: one module below both (crimestats.months), no copy in either.
    import crimestats.ingest.names as names
    import crimestats.store.reader as reader
    from crimestats import months

    assert names.parse_month is reader.parse_month is months.parse_month
    assert names.month_label is months.month_label
    assert not hasattr(schema, "parse_month")
    assert not hasattr(schema, "format_month")
