"""The static choropleth for documents, and the class breaks the web map shares with it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import shapely

from saferplaces_reports.maps import (
    RATE_COLOURS,
    choropleth_svg,
    class_labels,
    classify,
    quantile_breaks,
)

SVG = "{http://www.w3.org/2000/svg}"


def _squares() -> list[shapely.Geometry]:
    """A 3 × 2 grid of squares near Coalville, and one two-part area (a multipolygon)."""
    squares = [
        shapely.box(-1.40 + 0.01 * i, 52.70 + 0.01 * j, -1.39 + 0.01 * i, 52.71 + 0.01 * j)
        for i in range(3)
        for j in range(2)
    ]
    squares.append(
        shapely.MultiPolygon(
            [shapely.box(-1.36, 52.70, -1.355, 52.705), shapely.box(-1.35, 52.70, -1.345, 52.705)]
        )
    )
    return squares


def _area_groups(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [g for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("area-")]


def test_one_path_per_polygon_with_a_legend_in_text() -> None:
    svg = choropleth_svg(
        _squares(), [1, 2, 3, 4, 5, 6, None], "Crimes per 1,000, 2025", "Crimes per 1,000"
    )

    assert svg.startswith("<svg")
    groups = _area_groups(svg)
    assert len(groups) == 8  # six squares and the two parts of the multipolygon
    assert all(len(list(g.iter(f"{SVG}path"))) == 1 for g in groups)
    # Text stays text (searchable, readable in a PDF), not glyph outlines.
    assert "Crimes per 1,000, 2025" in svg
    assert "no value" in svg
    assert re.search(r">\s*under [\d.]+\s*<", svg)
    assert "<dc:date>" not in svg  # no date: the same map gives the same bytes


def test_feature_collection_with_values_by_code_skips_points() -> None:
    features = [
        {
            "type": "Feature",
            "geometry": shapely.geometry.mapping(square),
            "properties": {"code": f"E0100000{i}"},
        }
        for i, square in enumerate(_squares()[:6])
    ] + [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-1.38, 52.70]},
            "properties": {"kind": "repeat_location"},
        }
    ]
    values = {f"E0100000{i}": float(i) for i in range(6)}

    svg = choropleth_svg({"type": "FeatureCollection", "features": features}, values, "t", "l")

    assert len(_area_groups(svg)) == 6
    assert RATE_COLOURS[-1].upper() in svg.upper()  # the highest value gets the darkest class


def test_values_must_match_the_areas() -> None:
    with pytest.raises(ValueError, match="2 values for 7 areas"):
        choropleth_svg(_squares(), [1, 2], "t", "l")


def test_breaks_classes_and_labels_agree() -> None:
    values = [12.0, 15.5, 20.0, 31.2, 44.4, 58.0, 60.1, 75.0, 90.3, 120.0]

    breaks = quantile_breaks(values)

    assert breaks == sorted(breaks)
    assert len(breaks) == 4
    classes = [classify(v, breaks) for v in values]
    assert classes == sorted(classes)
    assert classes[0] == 0
    assert classes[-1] == 4
    # Two values in each fifth.
    assert [classes.count(c) for c in range(5)] == [2, 2, 2, 2, 2]
    labels = class_labels(breaks)
    assert labels[0] == f"under {breaks[0]:,.1f}"
    assert labels[-1] == f"{breaks[-1]:,.1f} and over"
    assert quantile_breaks([None, float("nan"), 5.0]) == []
