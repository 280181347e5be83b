"""Readers for ONS and MHCLG lookup CSVs as they are published.

They cope with the quirks of the real files (data README §3): a UTF-8 byte-order mark, CRLF line
endings, numbers written with thousands separators inside quotes (``"1,928"``), and an ``FID``
column that moves between editions. Columns are found by name patterns rather than position, so
the R-package renamings (``lsoa21_code``) and the ONS originals (``LSOA21CD``) both work.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv


def read_ons_csv(path: Path) -> pa.Table:
    """Read an ONS CSV with every column as text.

    Parameters
    ----------
    path : Path
        The CSV file (UTF-8, with or without BOM, LF or CRLF).

    Returns
    -------
    pyarrow.Table
        Columns named as in the header; blank cells are empty strings.
    """
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    first_line = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    header = next(csv.reader([first_line]))
    return pacsv.read_csv(
        pa.BufferReader(data),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False
        ),
    )


def find_column(table: pa.Table, patterns: list[str], what: str, path: Path) -> pa.ChunkedArray:
    """Return the first column whose name matches one of ``patterns`` (case-insensitive regex).

    Raises
    ------
    ValueError
        Naming the file, what was looked for and the columns found.
    """
    for pattern in patterns:
        for name in table.column_names:
            if re.fullmatch(pattern, name.strip(), flags=re.IGNORECASE):
                return table[name]
    raise ValueError(
        f"{path}: no column for {what} (looked for {patterns}); found {table.column_names}"
    )


def to_number(column: pa.ChunkedArray | pa.Array, type_: pa.DataType | None = None) -> pa.Array:
    """Cast text numbers such as ``"2,001"`` to numbers; blank becomes null.

    Examples
    --------
    >>> to_number(pa.array(["1,928", "", "7"])).to_pylist()
    [1928, None, 7]
    """
    cleaned = pc.replace_substring(pc.utf8_trim_whitespace(column), ",", "")
    cleaned = pc.if_else(pc.equal(cleaned, ""), pa.scalar(None, pa.string()), cleaned)
    return pc.cast(cleaned, type_ or pa.int64())
