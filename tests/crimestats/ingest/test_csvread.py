"""Reading one CSV: header checks, non-CSV input, line numbers, and fuzzed rows."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crimestats.ingest import InputFileError
from crimestats.ingest.csvread import line_texts, read_police_csv
from crimestats.ingest.schemas import STREET_HEADER

HEADER = ",".join(STREET_HEADER)
ROW = "id,2025-01,P,P,-1.5,52.6,On or near X,E01025913,NWL 012A,Burglary,Under investigation,"


def test_renamed_header_names_expected_and_found() -> None:
    data = (HEADER.replace("Reported by", "Reported By") + "\n" + ROW + "\n").encode()
    with pytest.raises(InputFileError) as caught:
        read_police_csv(data, "street", "x.csv")
    error = caught.value
    assert error.line == 1
    assert "expected 'Reported by', found 'Reported By'" in str(error)
    assert str(error).startswith("x.csv: line 1: wrong header")


def test_header_of_another_kind_is_refused() -> None:
    with pytest.raises(InputFileError, match="wrong header"):
        read_police_csv((HEADER + "\n").encode(), "outcomes", "x.csv")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"PK\x03\x04\x14\x00\x00\x00", "not a CSV text file"),
        (b"\x00\x01\x02binary", "not a CSV text file"),
        (b"\xff\xfe\xfdnot utf8\n", "not UTF-8"),
    ],
)
def test_not_a_csv_is_fatal(data: bytes, message: str) -> None:
    with pytest.raises(InputFileError, match=message):
        read_police_csv(data, "street", "x.csv")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_line_numbers_are_physical_lines(newline: str) -> None:
    data = newline.join([HEADER, ROW, ROW, ROW]) + newline
    parsed = read_police_csv(data.encode(), "street", "x.csv")
    assert parsed.table["source_line"].to_pylist() == [2, 3, 4]
    assert parsed.table["lsoa_code"].to_pylist() == ["E01025913"] * 3


def test_bom_and_no_final_newline() -> None:
    data = b"\xef\xbb\xbf" + (HEADER + "\n" + ROW).encode()
    assert read_police_csv(data, "street", "x.csv").table.num_rows == 1


def test_newline_inside_a_field_keeps_later_lines_right() -> None:
    two_line = ROW.replace("On or near X", '"On or near\nX"')
    data = "\n".join([HEADER, two_line, "", ROW, "short,row"]) + "\n"
    parsed = read_police_csv(data.encode(), "street", "x.csv")
    assert parsed.table["source_line"].to_pylist() == [2, 5]
    assert parsed.bad_lines == (6,)
    assert parsed.table["location"][0].as_py() == "On or near\nX"


def test_line_texts_slices_physical_lines() -> None:
    data = (HEADER + "\r\n" + ROW + "\r\nlast").encode()
    assert line_texts(data, [2, 3]) == [ROW, "last"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=80), max_size=8))
def test_any_rows_parse_or_are_refused_cleanly(rows: list[str]) -> None:
    # Arbitrary text: the reader refuses the file with InputFileError or accounts for it; any
    # other exception fails. (Such text almost never makes a valid row: the test below does.)
    data = (HEADER + "\n" + "\n".join(rows) + "\n").encode()
    refused: InputFileError | None = None
    try:
        parsed = read_police_csv(data, "street", "fuzz.csv")
    except InputFileError as error:
        refused = error
    if refused is not None:
        assert refused.file == "fuzz.csv"
        return
    assert parsed.table.num_rows + len(parsed.bad_lines) <= max(1, data.count(b"\n"))
    lines = parsed.table["source_line"].to_pylist()
    assert lines == sorted(lines)
    assert all(line >= 2 for line in lines)


# One field of plain text: no delimiter, quote, line break or NUL, so each row is one line.
_FIELD = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters=',"\r\n\x00'), max_size=12
)
# A row of exactly 12 fields is a record; any other count (but not a blank line) is a bad line.
_GOOD = st.lists(_FIELD, min_size=12, max_size=12).map(lambda fields: (True, fields))
_BAD = (
    st.lists(_FIELD, min_size=1, max_size=16)
    .filter(lambda fields: len(fields) != 12 and fields != [""])
    .map(lambda fields: (False, fields))
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_GOOD, _BAD), min_size=1, max_size=8))
def test_each_row_is_kept_or_named_as_bad_by_its_line(rows: list[tuple[bool, list[str]]]) -> None:
    data = (HEADER + "\n" + "\n".join(",".join(fields) for _, fields in rows) + "\n").encode()

    parsed = read_police_csv(data, "street", "fuzz.csv")

    kept = [fields for good, fields in rows if good]
    assert parsed.table["source_line"].to_pylist() == [
        line for line, (good, _) in enumerate(rows, start=2) if good
    ]
    assert list(parsed.bad_lines) == [
        line for line, (good, _) in enumerate(rows, start=2) if not good
    ]
    # Fields are kept exactly as written (no trimming), first and last column alike.
    assert parsed.table["crime_id"].to_pylist() == [fields[0] for fields in kept]
    assert parsed.table["context"].to_pylist() == [fields[11] for fields in kept]
