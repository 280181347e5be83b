"""Check that two data folders hold the same imported rows: ``python -m benchmarks.compare_stores``.

Made to show that a faster importer changes no result: import the same files with the old code
and the new (e.g. ``git archive`` an older commit's ``src`` and put it first on ``PYTHONPATH``),
then compare the two folders. For every (kind, force, month) of the catalogues it checks

- the catalogue rows: counts of rows, refused, unlocated, outside the geography, repeated Crime
  IDs, 2011 codes, checksums and import rules (not the file names, times or import ids);
- the Parquet files: the same columns with the same types, the same rows in the same order with
  the same values (pyarrow ``equals``), and the same min/max/null statistics per column and row
  group (what DuckDB uses to skip files and row groups);
- all rows of each kind at once with DuckDB, both ways round (``EXCEPT ALL``);
- the rejects files: the same refused lines with the same reasons and text.

Exit status 0 when everything matches, 1 with the differences listed otherwise.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

#: Catalogue columns that must match (the rest name files, times and import runs).
_SAME = (
    "rows",
    "source_file",
    "source_sha256",
    "archive",
    "rejected_rows",
    "unlocated_rows",
    "outside_geography_rows",
    "repeated_crime_id_rows",
    "lsoa2011_rows",
    "geography_sha256",
    "importer_version",
)


def _catalogue(data_dir: Path) -> dict[tuple[str, str, str], dict[str, Any]]:
    con = sqlite3.connect(data_dir / "store" / "catalogue.sqlite")
    con.row_factory = sqlite3.Row
    try:
        rows = con.execute("SELECT * FROM partitions").fetchall()
    finally:
        con.close()
    return {(r["kind"], r["force"], r["month"]): dict(r) for r in rows}


def _statistics(path: Path) -> list[tuple[object, ...]]:
    meta = pq.ParquetFile(path).metadata
    out: list[tuple[object, ...]] = []
    for group in range(meta.num_row_groups):
        row_group = meta.row_group(group)
        for index in range(row_group.num_columns):
            column = row_group.column(index)
            stats = column.statistics
            if stats is None:
                out.append((group, column.path_in_schema, None))
                continue
            minmax = (stats.min, stats.max) if stats.has_min_max else None
            out.append((group, column.path_in_schema, stats.null_count, minmax))
    return out


def _rejects(data_dir: Path) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for path in sorted((data_dir / "rejects").glob("*.csv")):
        options = pacsv.ConvertOptions(strings_can_be_null=False)
        table = pacsv.read_csv(path, convert_options=options)
        rows.extend(zip(*(table[c].to_pylist() for c in table.column_names), strict=True))
    return sorted(rows, key=repr)


def compare(a: Path, b: Path) -> list[str]:
    """The differences between the stores of data folders ``a`` and ``b`` (empty: the same)."""
    problems: list[str] = []
    left, right = _catalogue(a), _catalogue(b)
    if set(left) != set(right):
        only_a, only_b = sorted(set(left) - set(right)), sorted(set(right) - set(left))
        problems.append(f"partitions only in {a}: {only_a[:5]}; only in {b}: {only_b[:5]}")
    for key in sorted(set(left) & set(right)):
        one, two = left[key], right[key]
        for field in _SAME:
            if one[field] != two[field]:
                problems.append(f"{key}: catalogue {field} {one[field]!r} != {two[field]!r}")
        path_a, path_b = a / "store" / one["path"], b / "store" / two["path"]
        table_a, table_b = pq.read_table(path_a), pq.read_table(path_b)
        if table_a.schema != table_b.schema:
            problems.append(f"{key}: schema {table_a.schema} != {table_b.schema}")
        elif not table_a.equals(table_b):
            problems.append(f"{key}: rows differ (values or order)")
        if _statistics(path_a) != _statistics(path_b):
            problems.append(f"{key}: Parquet statistics differ")
    con = duckdb.connect()
    for kind in sorted({key[0] for key in left}):
        files_a = [str(a / "store" / e["path"]) for k, e in left.items() if k[0] == kind]
        files_b = [str(b / "store" / e["path"]) for k, e in right.items() if k[0] == kind]
        if not files_a or not files_b:
            continue
        for x, y in ((files_a, files_b), (files_b, files_a)):
            extra = con.execute(
                "SELECT count(*) FROM (SELECT * FROM read_parquet($x) EXCEPT ALL "
                "SELECT * FROM read_parquet($y))",
                {"x": x, "y": y},
            ).fetchone()
            if extra is None or extra[0]:
                problems.append(f"{kind}: {extra} rows of one store are not in the other")
    if _rejects(a) != _rejects(b):
        problems.append("the rejects files differ")
    return problems


def summary(data_dir: Path) -> str:
    """Partitions and rows per kind of a data folder, for the report."""
    cat = _catalogue(data_dir)
    kinds: dict[str, list[int]] = {}
    for (kind, _, _), entry in cat.items():
        counts = kinds.setdefault(kind, [0, 0, 0])
        counts[0] += 1
        counts[1] += entry["rows"]
        counts[2] += entry["rejected_rows"]
    return "; ".join(
        f"{kind}: {n} partitions, {rows:,} rows, {rejected:,} refused"
        for kind, (n, rows, rejected) in sorted(kinds.items())
    )


def main(argv: list[str] | None = None) -> int:
    """Compare two data folders; print the differences."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    problems = compare(args.a, args.b)
    lines = [f"{args.a}: {summary(args.a)}", f"{args.b}: {summary(args.b)}", *problems]
    lines.append("same" if not problems else f"{len(problems)} differences")
    sys.stdout.write("\n".join(lines) + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    pa.set_cpu_count(1)
    sys.exit(main())
