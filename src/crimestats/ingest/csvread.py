"""Read one police.uk CSV into an Arrow table of strings, with physical line numbers.

The fast path is pyarrow's multi-threaded CSV reader with an explicit dialect (never sniffing,
see data README §5 on the CRLF trap). Line numbers are then ``row index + 2``; that is only true
when every record is one physical line, so it is checked by counting newlines. Files where it is
not true (a field with a newline, blank lines, rows with the wrong number of fields, or bytes the
fast reader refuses) go through the standard ``csv`` module instead, which is slower but gives the
exact line of every record. Real police.uk files always take the fast path.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from crimestats.ingest.errors import InputFileError
from crimestats.ingest.schemas import HEADERS, RAW_COLUMNS

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class ParsedCsv:
    """Rows of one CSV as strings plus ``source_line``, and the rows that could not be split."""

    table: pa.Table
    bad_lines: tuple[int, ...]  # lines whose field count differs from the header's
    physical_lines: int


def _describe_header_difference(expected: tuple[str, ...], found: list[str]) -> str:
    differences = []
    for index in range(max(len(expected), len(found))):
        want = expected[index] if index < len(expected) else None
        got = found[index] if index < len(found) else None
        if want != got:
            differences.append(f"column {index + 1}: expected {want!r}, found {got!r}")
    shown = "; ".join(differences[:3]) + ("; …" if len(differences) > 3 else "")
    return (
        f"wrong header: expected {','.join(expected)!r} ({len(expected)} fields), "
        f"found {','.join(found)!r} ({len(found)} fields) — {shown}"
    )


def check_header(data: bytes, kind: str, display: str) -> int:
    """Check that ``data`` is a text CSV whose first line is the police.uk header for ``kind``.

    Parameters
    ----------
    data : bytes
        The whole file.
    kind : str
        ``street``, ``outcomes`` or ``stop_search``.
    display : str
        How errors name the file.

    Returns
    -------
    int
        The byte offset just after the header line.

    Raises
    ------
    InputFileError
        For an empty or binary file, text that is not UTF-8, or a header that differs.

    Examples
    --------
    >>> check_header(b"Crime ID,Month\\n", "street", "x.csv")
    Traceback (most recent call last):
    ...
    crimestats.ingest.errors.InputFileError: x.csv: line 1: wrong header: ...
    """
    if not data[:65536].strip() and not data.strip():  # look at the start before the whole
        raise InputFileError(display, None, "empty file: no header line, not a police.uk CSV")
    head = data[:8192]
    if head.startswith(b"PK\x03\x04") or b"\x00" in head:
        raise InputFileError(
            display, None, "not a CSV text file (binary content, e.g. a zip or spreadsheet)"
        )
    end = data.find(b"\n")
    end = len(data) if end < 0 else end + 1
    first = data[:end].removeprefix(_BOM).rstrip(b"\r\n")
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        raise InputFileError(display, 1, "header line is not UTF-8 text: not a CSV") from None
    found = next(csv.reader([text], delimiter=",", quotechar='"'), [])
    expected = HEADERS[kind]
    if tuple(found) != expected:
        raise InputFileError(display, 1, _describe_header_difference(expected, found))
    return end


def _physical_lines(data: bytes) -> int:
    # numpy counts about three times faster than bytes.count, mostly without holding the GIL
    # that the other import thread needs.
    count = int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == 10))
    return count if data.endswith(b"\n") else count + 1


def _fast_read(data: bytes, kind: str, blank_as_null: bool, physical: int) -> pa.Table | None:
    names = list(RAW_COLUMNS[kind])
    # Any row with the wrong number of fields makes the reader raise (no invalid-row handler,
    # which would cost a Python call per block); such files take the careful path instead.
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            # One block per file (police.uk files are a few MB): one chunk per column, and
            # the import's worker threads, not the reader, run files in parallel.
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=1, use_threads=False, block_size=len(data) + 1
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=",",
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=True,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[""],
                strings_can_be_null=blank_as_null,
                quoted_strings_can_be_null=blank_as_null,
                check_utf8=True,
            ),
        )
    except pa.ArrowInvalid:
        return None
    if table.num_rows != physical - 1:
        return None
    lines = pa.array(np.arange(2, table.num_rows + 2, dtype=np.int32))
    return table.append_column("source_line", lines)


def _careful_read(
    data: bytes, kind: str, display: str, blank_as_null: bool
) -> tuple[pa.Table, tuple[int, ...]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputFileError(display, line, "not UTF-8 text: not a police.uk CSV") from None
    names = RAW_COLUMNS[kind]
    # Lines end at LF only, as line numbers are counted everywhere else; a lone CR outside quotes
    # makes the csv module stop with an error, which is reported with its line.
    lines_in = io.StringIO(text, newline="\n")
    reader = csv.reader(lines_in, delimiter=",", quotechar='"', strict=False)
    rows: list[list[str]] = []
    lines: list[int] = []
    bad: list[int] = []
    previous_end = 0
    try:
        next(reader)
        previous_end = reader.line_num
        for fields in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not fields:
                continue  # a blank line holds no record
            if len(fields) != len(names):
                bad.append(start)
                continue
            rows.append(fields)
            lines.append(start)
    except csv.Error as error:
        raise InputFileError(display, previous_end + 1, f"unreadable CSV: {error}") from None
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    arrays = [pa.array(column, type=pa.string()) for column in columns]
    if blank_as_null:
        blank = pa.scalar(None, pa.string())
        arrays = [pc.if_else(pc.equal(a, ""), blank, a) if len(a) else a for a in arrays]
    table = pa.table(arrays, names=list(names))
    table = table.append_column("source_line", pa.array(lines, type=pa.int32()))
    return table, tuple(bad)


def read_police_csv(
    data: bytes, kind: str, display: str, *, blank_as_null: bool = False
) -> ParsedCsv:
    """Parse one police.uk CSV into strings, refusing files that are not police.uk CSVs.

    Parameters
    ----------
    data : bytes
        The whole file.
    kind : str
        ``street``, ``outcomes`` or ``stop_search`` (from the file name).
    display : str
        How errors name the file.
    blank_as_null : bool
        Give blank fields (``,,`` or ``,"",``) as NULL instead of ``""``.

    Returns
    -------
    ParsedCsv
        Every value as a string (``""`` or NULL when blank), the physical ``source_line`` of
        each record (header = 1), and the lines whose field count is wrong (rejected by the caller).

    Raises
    ------
    InputFileError
        When the whole file is unusable (see :func:`check_header`).

    Examples
    --------
    >>> from crimestats.ingest.schemas import STREET_HEADER
    >>> csv_bytes = (",".join(STREET_HEADER) + "\\n" + ",2025-01" + "," * 10 + "\\n").encode()
    >>> parsed = read_police_csv(csv_bytes, "street", "x.csv")
    >>> parsed.table.num_rows, parsed.table["source_line"][0].as_py()
    (1, 2)
    """
    check_header(data, kind, display)
    physical = _physical_lines(data)
    table = _fast_read(data, kind, blank_as_null, physical)
    if table is not None:
        return ParsedCsv(table, (), physical)
    table, bad = _careful_read(data, kind, display, blank_as_null)
    return ParsedCsv(table, bad, physical)


def line_texts(data: bytes, lines: list[int]) -> list[str]:
    """Return the text of the given physical lines (1-based), for the rejects file.

    Examples
    --------
    >>> line_texts(b"h\\r\\na,b\\r\\nc\\n", [2, 3])
    ['a,b', 'c']
    """
    if not lines:
        return []
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    starts = np.concatenate(([0], ends + 1))
    ends = np.concatenate((ends, [len(data)]))
    texts = []
    for line in lines:
        if 1 <= line <= len(starts):
            chunk = data[starts[line - 1] : ends[line - 1]]
            texts.append(chunk.rstrip(b"\r").decode("utf-8", errors="replace"))
        else:
            texts.append("")
    return texts
