"""Reading zip members directly (one zlib call per member, checked like ``ZipFile.read``)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from crimestats.ingest.sources import read_zip_member

GOOD = Path(__file__).resolve().parents[2] / "fixtures" / "policeuk" / "good"


@pytest.mark.parametrize(
    "method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
)
def test_every_member_reads_as_zipfile_reads_it(tmp_path: Path, method: int) -> None:
    path = tmp_path / "a.zip"
    members = {
        "2025-01/2025-01-testforce-street.csv": (
            GOOD / "2025-01-testforce-street.csv"
        ).read_bytes(),
        "2025-01/empty.csv": b"",
        "big.csv": b"Crime ID,Month\n" + b"x,2025-01\n" * 200_000,
    }
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        # A member written through a stream carries a data descriptor after its data.
        with archive.open("streamed.csv", "w") as handle:
            handle.write(b"a,b\n1,2\n" * 1000)
    with zipfile.ZipFile(path) as archive:
        expected = {name: archive.read(name) for name in archive.namelist()}
    assert {name: read_zip_member(path, name) for name in expected} == expected


def test_a_corrupt_member_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.zip"
    data = b"Crime ID,Month\n" + b"x,2025-01\n" * 1000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("m.csv", data)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("m.csv")
    # Flip a byte inside the compressed data: inflate fails or the CRC-32 no longer matches.
    offset = info.header_offset + 30 + len("m.csv") + info.compress_size // 2
    raw[offset] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(zipfile.BadZipFile):
        read_zip_member(path, "m.csv")
