"""Maps for documents: class breaks, the map colours, and a static choropleth as SVG.

The web map (Leaflet, ``frontend/js/crime-map.js``) and a PDF page must colour a neighbourhood
the same way, so the class breaks and both palettes live here, free of Django and the database,
and the web app passes them to the browser with the GeoJSON.

Why quantile breaks written with numpy, not ``mapclassify``: mapclassify (Jenks, Fisher) is only
a development dependency (it comes with esda/libpysal for the reference tests), and quantiles
are what a reader expects from a five-class crime map ("the fifth of neighbourhoods with the
highest rates"). Breaks are rounded to the one decimal place the legend shows, and the classes
are assigned with the rounded breaks, so the legend and the colours never disagree.

Why matplotlib for the static map: it is already the charting library (SVG, vector, text kept
as text), and a map for a PDF needs no tiles: boundaries on a plain background.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede any figure

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch, PathPatch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

__all__ = [
    "GI_CLASSES",
    "NO_CLASS_COLOUR",
    "RATE_COLOURS",
    "choropleth_svg",
    "class_labels",
    "classify",
    "quantile_breaks",
]

# ColorBrewer OrRd, 5 classes (Brewer & Harrower): sequential, colour-blind safe and distinct in
# greyscale print. Red-blue is kept for the hot and cold spots, so the two layers never look alike.
RATE_COLOURS: tuple[str, ...] = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")
NO_CLASS_COLOUR = "#ffffff"  # no rate, or too few crimes to colour (methods reference §2.5)
OUTLINE_COLOUR = "#505a5f"
# White alone could pass for the palest class in print; a light hatch says "no value".
NO_VALUE_HATCH = "////"

# Gi* confidence bins (crimestats.methods.hotspots.BIN_LABELS) → key, legend text and colour
# (ColorBrewer RdBu, 7 classes, the usual hot-spot map colours).
GI_CLASSES: tuple[tuple[str, int | None, str, str], ...] = (
    ("hot-99", 3, "Hot spot, 99% confidence", "#b2182b"),
    ("hot-95", 2, "Hot spot, 95% confidence", "#ef8a62"),
    ("hot-90", 1, "Hot spot, 90% confidence", "#fddbc7"),
    ("not-significant", 0, "Not significant", "#f7f7f7"),
    ("cold-90", -1, "Cold spot, 90% confidence", "#d1e5f0"),
    ("cold-95", -2, "Cold spot, 95% confidence", "#67a9cf"),
    ("cold-99", -3, "Cold spot, 99% confidence", "#2166ac"),
    ("not-testable", None, "Not tested", NO_CLASS_COLOUR),
)


def quantile_breaks(values: Iterable[float | None], k: int = 5, places: int = 1) -> list[float]:
    """Upper-class breaks at the quantiles of ``values``, rounded for the legend.

    Parameters
    ----------
    values : iterable of float or None
        The values to classify; ``None`` and non-finite values are left out.
    k : int, default 5
        Classes wanted; fewer come back when the values have fewer distinct quantiles.
    places : int, default 1
        Decimal places of the breaks (the legend shows them as they are).

    Returns
    -------
    list of float
        ``k - 1`` (or fewer) increasing breaks: class ``i`` holds values from ``breaks[i-1]``
        up to, not including, ``breaks[i]``. Empty when there is nothing to split.

    Examples
    --------
    >>> quantile_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    [2.8, 4.6, 6.4, 8.2]
    >>> quantile_breaks([3.0, 3.0, 3.0])
    []
    """
    data = np.array([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    if data.size < 2 or k < 2:
        return []
    cuts = np.round(np.quantile(data, np.linspace(0, 1, k + 1)[1:-1]), places)
    low, high = data.min(), data.max()
    return sorted({float(c) for c in cuts if low < c <= high})


def classify(value: float | None, breaks: Sequence[float]) -> int | None:
    """The class (0 = lowest) of ``value`` under ``breaks``; ``None`` for no value.

    Examples
    --------
    >>> [classify(v, [2.8, 4.6]) for v in (1.0, 2.8, 5.0, None)]
    [0, 1, 2, None]
    """
    if value is None or not math.isfinite(value):
        return None
    return int(np.searchsorted(np.asarray(breaks, dtype=float), value, side="right"))


def _number(value: float, places: int) -> str:
    return f"{value:,.{places}f}"


def class_labels(breaks: Sequence[float], places: int = 1) -> list[str]:
    """Legend text for each class of ``breaks`` (one more label than breaks).

    Examples
    --------
    >>> class_labels([2.8, 4.6])
    ['under 2.8', '2.8 to under 4.6', '4.6 and over']
    >>> class_labels([])
    ['all neighbourhoods']
    """
    if not breaks:
        return ["all neighbourhoods"]
    labels = [f"under {_number(breaks[0], places)}"]
    labels += [
        f"{_number(low, places)} to under {_number(high, places)}"
        for low, high in zip(breaks[:-1], breaks[1:], strict=True)
    ]
    labels.append(f"{_number(breaks[-1], places)} and over")
    return labels


def class_colours(n_classes: int) -> list[str]:
    """``n_classes`` colours spread over :data:`RATE_COLOURS` (lightest to darkest)."""
    if n_classes <= 1:
        return [RATE_COLOURS[2]]
    positions = np.round(np.linspace(0, len(RATE_COLOURS) - 1, n_classes)).astype(int)
    return [RATE_COLOURS[i] for i in positions]


# -- the static choropleth -----------------------------------------------------------------------


def _polygons(source: Any) -> tuple[list[Any], list[str | None]]:
    """Shapely polygons and each one's code from a FeatureCollection or a list of geometries.

    Points (repeat locations) and other non-area features of a collection are skipped.
    """
    if isinstance(source, Mapping) and source.get("type") == "FeatureCollection":
        geometries, codes = [], []
        for feature in source.get("features", []):
            geometry = feature.get("geometry") or {}
            if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
                continue
            properties = feature.get("properties") or {}
            geometries.append(shapely.from_geojson(json.dumps(geometry)))
            codes.append(properties.get("code") or properties.get("lsoa21_code"))
        return geometries, codes
    geometries = [
        item if isinstance(item, shapely.Geometry) else shapely.from_geojson(json.dumps(item))
        for item in source
    ]
    return geometries, [None] * len(geometries)


def _values_for(codes: list[str | None], values: Any) -> list[float | None]:
    if isinstance(values, Mapping):
        found = [values.get(code) if code is not None else None for code in codes]
    else:
        found = list(values)
        if len(found) != len(codes):
            raise ValueError(f"{len(found)} values for {len(codes)} areas: give one per area")
    return [None if v is None or not math.isfinite(float(v)) else float(v) for v in found]


def _ring_path(polygon: Any) -> MplPath:
    """One compound path per polygon: its outer ring and its holes (even-odd filling)."""
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for ring in [polygon.exterior, *polygon.interiors]:
        xy = np.asarray(ring.coords, dtype=float)
        ring_codes = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
        ring_codes[0] = MplPath.MOVETO
        ring_codes[-1] = MplPath.CLOSEPOLY
        vertices.append(xy)
        codes.append(ring_codes)
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _parts(geometry: Any) -> list[Any]:
    if geometry.geom_type == "Polygon":
        return [geometry]
    if geometry.geom_type in {"MultiPolygon", "GeometryCollection"}:
        return [part for g in geometry.geoms for part in _parts(g)]
    return []


def choropleth_svg(
    geojson_dict_or_geometries: Any,
    values: Sequence[float | None] | Mapping[str, float | None],
    title: str,
    legend_title: str,
    *,
    k: int = 5,
    places: int = 1,
    width: float = 6.5,
) -> str:
    """A choropleth as SVG: the areas shaded by quantile class, with a legend.

    Parameters
    ----------
    geojson_dict_or_geometries : FeatureCollection dict or sequence of geometries
        Areas in longitude/latitude: a GeoJSON FeatureCollection (its Polygon and MultiPolygon
        features; other features such as points are ignored) or a list of shapely geometries or
        GeoJSON geometry dicts.
    values : sequence or mapping
        One value per area in order, or a mapping from a feature's ``code`` (or
        ``lsoa21_code``) property to its value. ``None`` leaves the area white ("no value").
    title, legend_title : str
        The figure's title and the legend's heading (say the measure and its unit).
    k, places, width
        Classes, decimal places of the breaks, figure width in inches.

    Returns
    -------
    str
        An ``<svg>`` document (no XML prolog): one ``<g id="area-N">`` holding one ``<path>``
        per polygon part, text kept as text, no date, so the same map gives the same bytes.
    """
    geometries, codes = _polygons(geojson_dict_or_geometries)
    if not geometries:
        raise ValueError("no polygon to draw: the map needs at least one area")
    shades = _values_for(codes, values)
    breaks = quantile_breaks(shades, k=k, places=places)
    colours = class_colours(len(breaks) + 1)

    minx, miny, maxx, maxy = shapely.total_bounds(np.array(geometries, dtype=object))
    # Plate carrée with the aspect of the mid latitude: right for an area the size of a county.
    aspect = 1 / math.cos(math.radians((miny + maxy) / 2))
    ratio = (maxy - miny) * aspect / max(maxx - minx, 1e-9)
    map_height = max(2.5, min(0.72 * width * ratio, 9.0))
    figure = Figure(figsize=(width, map_height / 0.9))
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "saferplaces-map"}):
        axes = figure.add_axes((0.0, 0.0, 0.72, 0.9))
        index = 0
        for geometry, value in zip(geometries, shades, strict=True):
            cls = classify(value, breaks)
            face = NO_CLASS_COLOUR if cls is None else colours[cls]
            for polygon in _parts(geometry):
                patch = PathPatch(
                    _ring_path(polygon),
                    facecolor=face,
                    edgecolor=OUTLINE_COLOUR,
                    linewidth=0.4,
                    hatch=NO_VALUE_HATCH if cls is None else None,
                )
                patch.set_gid(f"area-{index}")
                axes.add_patch(patch)
                index += 1
        axes.set_xlim(minx, maxx)
        axes.set_ylim(miny, maxy)
        axes.set_aspect(aspect)
        axes.set_axis_off()
        handles = [
            Patch(facecolor=colour, edgecolor=OUTLINE_COLOUR, label=label)
            for colour, label in zip(colours, class_labels(breaks, places), strict=True)
        ]
        if any(v is None for v in shades):
            handles.append(
                Patch(
                    facecolor=NO_CLASS_COLOUR,
                    edgecolor=OUTLINE_COLOUR,
                    hatch=NO_VALUE_HATCH,
                    label="no value",
                )
            )
        figure.legend(
            handles=handles,
            title=legend_title,
            # Below the map, never over it: a district's shape can fill any corner.
            loc="upper center",
            bbox_to_anchor=(0.5, 0.02),
            ncols=3,
            frameon=False,
            fontsize=9,
            title_fontsize=9,
            alignment="left",
        )
        figure.suptitle(title, x=0.02, ha="left", fontsize=11, fontweight="bold")
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    # Drop the XML prolog and DOCTYPE so the SVG may also be embedded in an HTML document.
    return text[text.index("<svg") :]
