"""The 2011 → 2021 code mapping the importer uses, on a hand-made lookup."""

from __future__ import annotations

import pyarrow as pa

from crimestats.geography.resolver import LsoaResolver


def _resolver() -> LsoaResolver:
    lookup = pa.table(
        {
            "lsoa11_code": ["E01000001", "E01000002", "E01000003", "E01000004", "E01000004"],
            "lsoa21_code": ["E01000001", "E01033000", "E01033000", "E01033001", "E01033002"],
            "change_code": ["U", "M", "M", "S", "S"],
        }
    )
    codes21 = pa.array(["E01000001", "E01033000", "E01033001", "E01033002"])
    return LsoaResolver(codes21, lookup)


def test_map_codes_keeps_2021_maps_one_to_one_and_marks_splits() -> None:
    codes = pa.array(["E01033001", "E01000001", "E01000002", "E01000004", "W01999999", None])

    mapped, is_2011, is_split = _resolver().map_codes(codes)

    assert mapped.to_pylist() == ["E01033001", "E01000001", "E01033000", None, None, None]
    # E01000001 is a 2011 code unchanged in 2021: a 2021 code, so not counted as 2011.
    assert is_2011.tolist() == [False, False, True, True, False, False]
    assert is_split.tolist() == [False, False, False, True, False, False]


def test_map_codes_of_an_empty_geography_maps_nothing() -> None:
    mapped, is_2011, is_split = LsoaResolver.empty().map_codes(pa.array(["E01000001"]))

    assert mapped.to_pylist() == [None]
    assert not is_2011.any()
    assert not is_split.any()
