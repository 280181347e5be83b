"""Geography: ONS quirks, population loaders, contiguity and the real Leicestershire tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely
from tests.shared_data import require_shared_data

from crimestats.geography import load_geography, read_census_population, read_mid_year_estimates
from crimestats.geography.boundaries import Boundaries, queen_neighbours
from crimestats.geography.ons import read_ons_csv, to_number
from crimestats.store import Store

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shared = require_shared_data("ons", "boundaries")
    data_dir = tmp_path_factory.mktemp("geo")
    load_geography(shared, data_dir)
    return data_dir


def test_ons_csv_with_bom_crlf_and_thousands(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(
        b'\xef\xbb\xbfFID,LSOA code (2011),Rank\r\n1,E01000001,"1,928"\r\n2,E01000002,7\r\n'
    )
    table = read_ons_csv(path)
    assert table.column_names == ["FID", "LSOA code (2011)", "Rank"]
    assert to_number(table["Rank"]).to_pylist() == [1928, 7]


def test_mid_year_estimates_in_ons_layout(tmp_path: Path) -> None:
    path = tmp_path / "sapelsoasyoa20222024-mid-2022.csv"
    path.write_text(
        "Mid-2022 LSOA 2021 population estimates,,,,,,\n"
        "Source: Office for National Statistics,,,,,,\n"
        ",,,,,,\n"
        "LAD 2021 Code,LAD 2021 Name,LSOA 2021 Code,LSOA 2021 Name,Total,F0,M0\n"
        'E07000134,North West Leicestershire,E01025913,NWL 012A,"1,604",8,9\n'
        "E07000134,North West Leicestershire,E01035098,NWL 001F,1500,7,6\n",
        encoding="utf-8",
    )
    table = read_mid_year_estimates(path)
    assert table.to_pylist() == [
        {
            "lsoa21_code": "E01025913",
            "year": 2022,
            "population": 1604,
            "source": "ONS mid-2022 population estimate",
        },
        {
            "lsoa21_code": "E01035098",
            "year": 2022,
            "population": 1500,
            "source": "ONS mid-2022 population estimate",
        },
    ]


def test_mid_year_estimates_without_header_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="LSOA 2021 Code"):
        read_mid_year_estimates(path)


def test_queen_neighbours_attach_islands() -> None:
    squares = [shapely.box(0, 0, 1, 1), shapely.box(1, 1, 2, 2), shapely.box(5, 0, 6, 1)]
    boundaries = Boundaries(
        codes=np.array(["A", "B", "C"], dtype=object),
        names=np.array(["a", "b", "c"], dtype=object),
        lad_codes=np.array(["L", "L", "L"], dtype=object),
        geometries=np.array(squares, dtype=object),
    )
    neighbours, islands = queen_neighbours(boundaries)
    pairs = set(
        zip(
            neighbours["lsoa21_code"].to_pylist(),
            neighbours["neighbour_code"].to_pylist(),
            strict=True,
        )
    )
    assert pairs == {("A", "B"), ("B", "A"), ("C", "B"), ("B", "C")}  # corner touch = queen
    assert islands["lsoa21_code"].to_pylist() == ["C"]
    assert islands["attached_to"].to_pylist() == ["B"]


@pytest.mark.realdata
def test_lsoa_table_from_real_lookups(loaded: Path) -> None:
    con = Store(loaded).connect()
    assert con.sql("SELECT count(*), count(DISTINCT lad_code) FROM lsoa").fetchall() == [(634, 9)]
    nwl = con.sql(
        "SELECT DISTINCT lad_name, csp_code, pfa_code FROM lsoa WHERE lad_code = 'E07000134'"
    ).fetchall()
    assert nwl == [("North West Leicestershire", "E22000170", "E23000021")]
    # Merged 2011 LSOAs take the mean rank of their parents; split ones their parent's rank.
    ranks = dict(
        con.sql(
            "SELECT lsoa21_code, imd_rank FROM lsoa WHERE lsoa21_code IN "
            "('E01034020', 'E01035098', 'E01035099')"
        ).fetchall()
    )
    parents = dict(con.sql("SELECT lsoa21_code, lsoa11_code FROM lsoa11_to_21").fetchall())
    assert ranks["E01035098"] == ranks["E01035099"]
    assert parents["E01035098"] == "E01025925"
    assert con.sql(
        "SELECT count(*) FROM lsoa WHERE imd_decile NOT BETWEEN 1 AND 10"
    ).fetchall() == [(0,)]


@pytest.mark.realdata
def test_population_and_lookup(loaded: Path) -> None:
    con = Store(loaded).connect()
    nwl = con.sql(
        "SELECT sum(population), min(year), min(source) FROM population JOIN lsoa USING "
        "(lsoa21_code) WHERE lad_code = 'E07000134'"
    ).fetchall()
    assert nwl == [(104_713, 2021, "Census 2021 usual residents")]
    changes = dict(con.sql("SELECT change_code, count(*) FROM lsoa11_to_21 GROUP BY 1").fetchall())
    assert changes == {"U": 587, "S": 46, "M": 2}
    total = con.sql("SELECT sum(population) FROM population").fetchall()
    assert total == [(1_121_954,)]


@pytest.mark.realdata
def test_census_reader_sums_age_groups() -> None:
    name = "ons/census21_pop_lsoa21_leicestershire.csv"
    path = require_shared_data(name) / name
    table = read_census_population(path)
    assert table.num_rows == 634


@pytest.mark.realdata
def test_neighbours_symmetric_and_match_libpysal(loaded: Path) -> None:
    con = Store(loaded).connect()
    asymmetric = con.sql(
        "SELECT count(*) FROM lsoa_neighbours a LEFT JOIN lsoa_neighbours b "
        "ON a.lsoa21_code = b.neighbour_code AND a.neighbour_code = b.lsoa21_code "
        "WHERE b.lsoa21_code IS NULL"
    ).fetchall()
    assert asymmetric == [(0,)]
    assert con.sql("SELECT count(DISTINCT lsoa21_code) FROM lsoa_neighbours").fetchall() == [(634,)]
    import libpysal

    geometry = con.sql("SELECT lsoa21_code, geojson FROM lsoa_geometry ORDER BY 1").fetchall()
    polygons = shapely.from_geojson([g for _, g in geometry])
    weights = libpysal.weights.Queen.from_iterable(polygons)
    codes = [c for c, _ in geometry]
    theirs = {(codes[i], codes[j]) for i, ns in weights.neighbors.items() for j in ns}
    ours = set(con.sql("SELECT lsoa21_code, neighbour_code FROM lsoa_neighbours").fetchall())
    # Shared vertices (libpysal) vs intersects (ours): allow a few generalisation slivers.
    assert len(ours ^ theirs) <= 0.02 * len(theirs)
