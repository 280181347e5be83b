"""Tests for crimestats.jsonable: the one JSON conversion, with a reason for every null."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from crimestats.jsonable import to_jsonable
from crimestats.methods.rates import rate_per_1000


@dataclass(frozen=True)
class _Inner:
    upper: float
    z: tuple[float, ...]


@dataclass(frozen=True)
class _Outer:
    inner: _Inner
    table: pa.Table
    when: datetime
    month: date
    counts: np.ndarray


def test_nested_values_become_plain_and_every_null_says_why_by_its_path() -> None:
    value = _Outer(
        inner=_Inner(upper=float("inf"), z=(1.0, float("nan"))),
        table=pa.table({"x": [1.5, None], "y": ["a", "b"]}),
        when=datetime(2025, 1, 2, 3, 4, 5),
        month=date(2025, 1, 1),
        counts=np.array([np.int64(2), np.int64(3)]),
    )
    reasons: dict[str, str] = {}

    plain = to_jsonable(value, "", reasons)

    assert plain == {
        "inner": {"upper": None, "z": [1.0, None]},
        "table": [{"x": 1.5, "y": "a"}, {"x": None, "y": "b"}],
        "when": "2025-01-02T03:04:05",
        "month": "2025-01-01",
        "counts": [2, 3],
    }
    assert reasons == {
        "inner.upper": "unbounded (+infinity)",
        "inner.z[1]": "undefined (not a number)",
    }


def test_an_unknown_type_is_refused_rather_than_written_as_text() -> None:
    with pytest.raises(TypeError, match=r"cannot convert PosixPath at 'where'"):
        to_jsonable({"where": Path("/tmp")}, "", {})


def test_a_method_result_uses_the_same_conversion() -> None:
    result = rate_per_1000(3, 0)

    as_dict = result.to_dict()

    reasons: dict[str, str] = {}
    expected = to_jsonable(result, "", reasons)
    assert as_dict == {**expected, "null_reasons": reasons}


def test_both_doors_give_the_same_json_for_a_nested_result() -> None:
    from crimestats.methods import two_period_test
    from crimestats.serialise import to_dict

    result = two_period_test(0, 0, 4, 4)  # untested: several fields are null with a reason

    assert to_dict(result) == result.to_dict()
    assert to_dict({"inner": result})["inner"] == {
        k: v for k, v in result.to_dict().items() if k != "null_reasons"
    }
