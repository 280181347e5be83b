"""SaferPlaces benchmarks (issue #3): ``python -m benchmarks.run`` writes ``docs/benchmarks.md``.

Every contender runs in a fresh Python process (:mod:`benchmarks.child`) so that peak memory is
per contender and no run warms the next one's caches inside Python; the parent only orchestrates
and writes the report. See ``docs/adr/0008-benchmark-method.md`` for the method.
"""
