"""Tests for crimestats.synthetic: structure, labelling, determinism and the store contract."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from crimestats.ingest.schemas import STREET_SCHEMA
from crimestats.profile import csp_profile
from crimestats.query import Query
from crimestats.store import GEOGRAPHY_COLUMNS, Store
from crimestats.synthetic import (
    CATEGORY_WEIGHTS,
    DEMO,
    DEMO_CSP_CODE,
    DEMO_LAD_CODE,
    MARKER_FILE,
    NATIONAL,
    SyntheticSpec,
    generate_demo_dataset,
    generate_store,
    is_synthetic,
    is_synthetic_force,
    store_is_synthetic,
    synthetic_geography,
)

TINY = SyntheticSpec(
    "tiny", grid=6, lad_block=3, n_forces=2, first_month=date(2024, 11, 1), n_months=3,
    rows_per_month=600, seed=7,
)  # fmt: skip
SYNTHETIC_CODE = re.compile(r"E(01|05|07|22|23)9\d{5}")


def _rows(data_dir: Path) -> list[tuple]:
    con = Store(data_dir).connect()
    return con.execute("SELECT * EXCLUDE (crime_id), crime_id FROM street ORDER BY ALL").fetchall()


def test_tiny_store_is_readable_by_the_store_reader(tmp_path: Path) -> None:
    summary = generate_store(tmp_path, TINY)

    store = Store(tmp_path)
    con = store.connect()
    assert con.execute("SELECT count(*) FROM street").fetchone() == (summary.rows,)
    assert len(store.partitions("street")) == summary.files == TINY.n_forces * TINY.n_months
    described = con.execute("SELECT * FROM street LIMIT 0").description
    assert [d[0] for d in described] == STREET_SCHEMA.names
    months = con.execute("SELECT DISTINCT month FROM street ORDER BY 1").fetchall()
    assert [m for (m,) in months] == TINY.months
    assert store.geography_loaded()


def test_every_row_and_area_is_labelled_synthetic(tmp_path: Path) -> None:
    generate_store(tmp_path, TINY)

    con = Store(tmp_path).connect()
    forces = {f for (f,) in con.execute("SELECT DISTINCT force FROM street").fetchall()}
    assert forces == {"synthetic-01", "synthetic-02"}
    files = con.execute("SELECT bool_and(source_file LIKE 'synthetic/%') FROM street").fetchone()
    assert files == (True,)
    codes = con.execute(
        "SELECT lsoa21_code, ward_code, lad_code, csp_code, pfa_code FROM lsoa"
    ).fetchall()
    assert all(SYNTHETIC_CODE.fullmatch(code) for row in codes for code in row)
    names = con.execute("SELECT bool_and(lsoa21_name LIKE 'Synthetic %') FROM lsoa").fetchone()
    assert names == (True,)
    street_codes = con.execute(
        "SELECT DISTINCT lsoa21_code FROM street WHERE lsoa21_code IS NOT NULL"
    ).fetchall()
    assert all(SYNTHETIC_CODE.fullmatch(code) for (code,) in street_codes)


def test_same_seed_gives_the_same_rows_and_another_seed_does_not(tmp_path: Path) -> None:
    generate_store(tmp_path / "a", TINY)
    generate_store(tmp_path / "b", TINY)
    other = SyntheticSpec(**{**{f: getattr(TINY, f) for f in TINY.__slots__}, "seed": 8})
    generate_store(tmp_path / "c", other)

    assert _rows(tmp_path / "a") == _rows(tmp_path / "b")
    assert _rows(tmp_path / "a") != _rows(tmp_path / "c")


def test_generating_again_replaces_the_force_months(tmp_path: Path) -> None:
    first = generate_store(tmp_path, TINY)
    second = generate_store(tmp_path, TINY)

    store = Store(tmp_path)
    assert store.connect().execute("SELECT count(*) FROM street").fetchone() == (first.rows,)
    assert second.rows == first.rows
    on_disk = list((tmp_path / "store" / "street").glob("force=*/month=*/*.parquet"))
    assert len(on_disk) == len(store.partitions("street"))


def test_geography_tables_have_the_store_columns() -> None:
    tables = synthetic_geography(TINY)

    for name, columns in GEOGRAPHY_COLUMNS.items():
        assert tables[name].column_names == [c for c, _ in columns], name
    assert tables["lsoa"].num_rows == TINY.grid**2
    assert tables["population"]["population"].to_pylist()[0] > 0


def test_neighbours_are_queen_contiguity_on_the_lattice() -> None:
    pairs = synthetic_geography(TINY)["lsoa_neighbours"].to_pylist()
    degree: dict[str, int] = {}
    for pair in pairs:
        degree[pair["lsoa21_code"]] = degree.get(pair["lsoa21_code"], 0) + 1
    as_set = {(p["lsoa21_code"], p["neighbour_code"]) for p in pairs}

    assert all((b, a) in as_set for a, b in as_set)
    assert degree["E01900001"] == 3  # corner
    assert degree["E01900002"] == 5  # edge
    assert degree["E01900008"] == 8  # interior (row 1, column 1 of a 6 x 6 lattice)
    assert len(pairs) == 2 * (2 * 6 * 5 + 2 * 5 * 5)  # rook + diagonal edges, both directions


def test_category_mix_follows_the_leicestershire_shares(tmp_path: Path) -> None:
    spec = SyntheticSpec(
        "mix", grid=10, lad_block=5, n_forces=1, first_month=date(2025, 1, 1), n_months=6,
        rows_per_month=8_000,
    )  # fmt: skip
    summary = generate_store(tmp_path, spec)

    con = Store(tmp_path).connect()
    shares = dict(con.execute("SELECT crime_type, count(*) FROM street GROUP BY 1").fetchall())
    total = sum(CATEGORY_WEIGHTS.values())
    for slug, weight in CATEGORY_WEIGHTS.items():
        # binomial sd of a share over ~48,000 rows is at most 0.0023; allow 4 sd
        assert shares[slug] / summary.rows == pytest.approx(weight / total, abs=0.01), slug
    asb_ids = con.execute(
        "SELECT count(crime_id) FROM street WHERE crime_type = 'anti-social-behaviour'"
    ).fetchone()
    assert asb_ids == (0,)


def test_presets_have_the_documented_sizes() -> None:
    assert NATIONAL.grid**2 == 35_721
    assert NATIONAL.n_months * NATIONAL.rows_per_month >= 60_000_000
    assert NATIONAL.n_forces == 43
    assert DEMO.n_forces == 1
    assert DEMO.force_slug(0) == "synthetic-demo"


def test_demo_parquet_is_zstd_compressed(tmp_path: Path) -> None:
    summary = generate_store(tmp_path, TINY)

    path = Store(tmp_path).files("street")[0]
    codecs = duckdb.sql(f"SELECT DISTINCT compression FROM parquet_metadata('{path}')").fetchall()
    assert codecs == [("ZSTD",)]
    assert summary.bytes_on_disk > 0


def test_generate_store_writes_the_synthetic_marker(tmp_path: Path) -> None:
    assert not is_synthetic(tmp_path)

    generate_store(tmp_path, TINY)

    assert is_synthetic(tmp_path)
    marker = json.loads((tmp_path / MARKER_FILE).read_text(encoding="utf-8"))
    assert marker["synthetic"] is True
    assert marker["spec"]["name"] == "tiny"
    assert marker["forces"] == ["synthetic-01", "synthetic-02"]


def test_every_generated_force_passes_the_one_synthetic_check() -> None:
    slugs = [spec.force_slug(i) for spec in (DEMO, NATIONAL, TINY) for i in range(spec.n_forces)]

    assert all(is_synthetic_force(slug) for slug in slugs)
    assert not any(is_synthetic_force(f) for f in ("leicestershire", "metropolitan", "synth"))


def test_a_store_is_synthetic_by_its_marker_or_any_generated_force(tmp_path: Path) -> None:
    assert not store_is_synthetic(tmp_path, ["leicestershire", "derbyshire"])
    assert not store_is_synthetic(tmp_path, [])
    # Real and generated rows together: labelled generated (the old check wanted all of them).
    assert store_is_synthetic(tmp_path, ["leicestershire", "synthetic-demo"])

    generate_store(tmp_path, TINY)

    assert store_is_synthetic(tmp_path, [])
    assert store_is_synthetic(tmp_path, ["leicestershire"])


def test_demo_dataset_is_a_labelled_partnership_with_three_years(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"  # the folder need not exist yet, as for a first `make run`

    generate_demo_dataset(data_dir)

    assert is_synthetic(data_dir)
    con = Store(data_dir).connect()
    forces = con.execute("SELECT DISTINCT force, falls_within FROM street").fetchall()
    assert forces == [("synthetic-demo", "Synthetic Demo Police (synthetic)")]
    first, last, rows = con.execute(
        "SELECT min(month), max(month), count(*) FROM street"
    ).fetchone()
    assert (first, last) == (date(2023, 1, 1), date(2025, 12, 1))
    assert 80_000 < rows < 95_000  # DEMO: about 2,400 rows a month
    csp = con.execute(
        "SELECT DISTINCT csp_name, lad_code FROM lsoa WHERE csp_code = ?", [DEMO_CSP_CODE]
    ).fetchall()
    assert csp == [("Synthetic CSP 001", DEMO_LAD_CODE)]
    assert SYNTHETIC_CODE.fullmatch(DEMO_CSP_CODE)
    assert SYNTHETIC_CODE.fullmatch(DEMO_LAD_CODE)
    # The product's own profile runs on it: this is what `make run` shows without real data.
    profile = csp_profile(Store(data_dir), Query.from_strings(DEMO_CSP_CODE, months=36))
    assert profile.area.label == "Synthetic CSP 001"
    assert profile.provenance.forces == ("synthetic-demo",)
    assert len(profile.provenance.months_used) == 36
    assert not profile.provenance.months_missing


def test_demo_dataset_twice_replaces_rather_than_adds(tmp_path: Path) -> None:
    generate_demo_dataset(tmp_path)
    first = Store(tmp_path).connect().execute("SELECT count(*) FROM street").fetchone()

    generate_demo_dataset(tmp_path)

    store = Store(tmp_path)
    assert store.connect().execute("SELECT count(*) FROM street").fetchone() == first
    assert len(store.partitions("street")) == DEMO.n_months
