"""Wall-clock claims belong to ``make bench``, not to the unit suite (issue #12).

A speed assertion in a unit test fails at random on a shared machine and proves little; the
benchmarks measure the same claims with the machine and its load recorded (docs/benchmarks.md).
"""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_no_unit_test_times_itself() -> None:
    offenders = [
        str(path.relative_to(TESTS))
        for path in sorted(TESTS.rglob("*.py"))
        if path != Path(__file__).resolve()
        and any(clock in path.read_text(encoding="utf-8") for clock in ("perf_counter", "timeit"))
    ]
    assert offenders == []
