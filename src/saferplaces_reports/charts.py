"""Charts as SVG, drawn by matplotlib on the server.

Why matplotlib and an ``<img>`` of a ``data:`` URL: the charts must read without JavaScript and
print into PDFs as vectors, and the site's Content-Security-Policy forbids inline styles, which
an SVG pasted into the page would need. An SVG shown as an image keeps its own styles, is
isolated from the page (no scripts), and WeasyPrint draws it as vectors in a PDF.

Every chart is a picture of numbers that the page also shows in a table (the accessible
alternative), so the functions take the same values the tables show.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display on a server; must precede pyplot

import matplotlib.dates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

# GOV.UK Frontend colours, so charts match the pages they sit on.
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
RED = "#d4351c"
GREEN = "#00703c"
GREY = "#505a5f"
LIGHT_GREY = "#b1b4b6"
ORANGE = "#f47738"
PURPLE = "#4c2c92"
PALETTE = (BLUE, ORANGE, GREEN, PURPLE, RED, GREY, DARK_BLUE, LIGHT_GREY)

_RC = {
    "svg.fonttype": "none",  # text stays text: selectable, searchable, readable by tools
    "svg.hashsalt": "saferplaces",  # stable element ids, so the same chart gives the same bytes
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
}


@dataclass(frozen=True)
class Chart:
    """An SVG chart and the one-sentence description a screen reader is given."""

    svg: str
    alt: str

    @property
    def data_url(self) -> str:
        """For ``<img src=…>``: the page's CSP allows ``data:`` images, not inline styles."""
        encoded = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"


def _to_svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    # Drop the XML prolog and DOCTYPE so the SVG may also be embedded in an HTML document.
    return text[text.index("<svg") :]


def _figure(width: float, height: float) -> tuple[Figure, plt.Axes]:
    with plt.rc_context(_RC):
        figure, axes = plt.subplots(figsize=(width, height), layout="constrained")
    return figure, axes


def _none_to_nan(values: Sequence[float | int | None]) -> list[float]:
    return [math.nan if value is None else float(value) for value in values]


def monthly_series(
    months: Sequence[date],
    values: Sequence[int | float | None],
    *,
    title: str,
    y_label: str = "Crimes",
    rolling: Sequence[float | None] | None = None,
    lower: Sequence[float | None] | None = None,
    upper: Sequence[float | None] | None = None,
    flags: Sequence[bool] | None = None,
    width: float = 7.5,
    height: float = 3.0,
) -> Chart:
    """Monthly counts as a line, a month with no data (``None``) shown as a gap, not a zero.

    ``rolling`` adds a second line (e.g. a 12-month average); ``lower``/``upper`` shade the
    control limits; ``flags`` marks the months outside them.
    """
    if len(values) != len(months):
        raise ValueError("months and values differ in length")
    with plt.rc_context(_RC):
        figure, axes = _figure(width, height)
        ys = _none_to_nan(values)
        if lower is not None and upper is not None:
            axes.fill_between(
                months, _none_to_nan(lower), _none_to_nan(upper),
                color=LIGHT_GREY, alpha=0.45, linewidth=0, label="Expected range (control limits)",
            )  # fmt: skip
        axes.plot(months, ys, color=BLUE, linewidth=2, marker="o", markersize=2.5, label=y_label)
        if rolling is not None:
            axes.plot(months, _none_to_nan(rolling), color=ORANGE, linewidth=1.6,
                      linestyle="--", label="12-month average")  # fmt: skip
        if flags is not None:
            marked = [(m, y) for m, y, f in zip(months, ys, flags, strict=True) if f]
            if marked:
                axes.scatter(*zip(*marked, strict=True), color=RED, zorder=3, s=28,
                             label="Outside the expected range")  # fmt: skip
        missing = [m for m, v in zip(months, values, strict=True) if v is None]
        if missing:
            axes.plot([], [], " ", label=f"{len(missing)} month(s) with no data: gaps")
        axes.set_title(title)
        axes.set_ylabel(y_label)
        axes.set_ylim(bottom=0)
        axes.grid(axis="y", color=LIGHT_GREY, linewidth=0.5)
        # Month labels stay horizontal (concise: "Jan", "Apr" … with the year once), so the
        # legend under the axis never sits on top of them.
        locator = matplotlib.dates.AutoDateLocator(minticks=4, maxticks=9)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))
        if months:
            axes.set_xlim(months[0], months[-1])  # leading or trailing gaps still show
        axes.legend(loc="upper left", bbox_to_anchor=(0, -0.16), ncols=3, frameon=False,
                    fontsize=8)  # fmt: skip
        svg = _to_svg(figure)
    shown = [v for v in values if v is not None]
    alt = (
        f"{title}: line chart of {len(months)} months"
        + (f", from {min(shown):,} to {max(shown):,}" if shown else ", no data")
        + (f"; {len(missing)} month(s) missing" if missing else "")
        + ". The numbers are in the table below the chart."
    )
    return Chart(svg, alt)


def bars(
    labels: Sequence[str],
    values: Sequence[float | int | None],
    *,
    title: str,
    x_label: str,
    low: Sequence[float | None] | None = None,
    high: Sequence[float | None] | None = None,
    reference: float | None = None,
    reference_label: str = "",
    width: float = 7.5,
) -> Chart:
    """Horizontal bars, largest first as given, with 95% intervals when ``low``/``high`` are given.

    ``reference`` draws a vertical line (e.g. the force-area rate, or a ratio of 1).
    """
    if len(values) != len(labels):
        raise ValueError("labels and values differ in length")
    height = max(1.6, 0.32 * len(labels) + 0.9)
    with plt.rc_context(_RC):
        figure, axes = _figure(width, height)
        ys = list(range(len(labels)))[::-1]
        xs = [0.0 if v is None else float(v) for v in values]
        axes.barh(ys, xs, color=BLUE, height=0.65)
        if low is not None and high is not None:
            for y, lo, hi in zip(ys, low, high, strict=True):
                if lo is not None and hi is not None:
                    axes.plot([lo, hi], [y, y], color=DARK_BLUE, linewidth=1.2)
                    axes.plot([lo, lo], [y - 0.15, y + 0.15], color=DARK_BLUE, linewidth=1.2)
                    axes.plot([hi, hi], [y - 0.15, y + 0.15], color=DARK_BLUE, linewidth=1.2)
        if reference is not None:
            axes.axvline(reference, color=RED, linewidth=1.2, linestyle="--",
                         label=reference_label or None)  # fmt: skip
            if reference_label:
                axes.legend(loc="lower right", frameon=False, fontsize=8)
        axes.set_yticks(ys, labels)
        axes.set_xlabel(x_label)
        axes.set_title(title)
        axes.grid(axis="x", color=LIGHT_GREY, linewidth=0.5)
        svg = _to_svg(figure)
    alt = (
        f"{title}: bar chart of {len(labels)} items. The numbers are in the table below the chart."
    )
    return Chart(svg, alt)


def stacked_shares(
    labels: Sequence[str],
    shares: Sequence[float],
    *,
    title: str,
    width: float = 7.5,
) -> Chart:
    """One horizontal bar split into shares (e.g. the outcomes mix), shares summing to about 1."""
    with plt.rc_context(_RC):
        figure, axes = _figure(width, 1.9)
        left = 0.0
        for index, (label, share) in enumerate(zip(labels, shares, strict=True)):
            colour = PALETTE[index % len(PALETTE)]
            axes.barh([0], [share], left=left, color=colour, label=f"{label} ({share:.0%})")
            left += share
        axes.set_xlim(0, max(1.0, left))
        axes.set_yticks([])
        axes.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        axes.set_title(title)
        axes.legend(loc="upper left", bbox_to_anchor=(0, -0.35), ncols=2, frameon=False,
                    fontsize=8)  # fmt: skip
        svg = _to_svg(figure)
    alt = f"{title}: shares of {len(labels)} groups. The numbers are in the table below the chart."
    return Chart(svg, alt)


def scatter_quadrant(
    labels: Sequence[str],
    x: Sequence[float],
    y: Sequence[float],
    *,
    title: str,
    x_label: str,
    y_label: str,
    width: float = 6.5,
    height: float = 4.5,
) -> Chart:
    """Points with median lines splitting the plane in four (e.g. count versus harm)."""
    with plt.rc_context(_RC):
        figure, axes = _figure(width, height)
        axes.scatter(x, y, color=BLUE, s=22)
        for label, xi, yi in zip(labels, x, y, strict=True):
            axes.annotate(label, (xi, yi), textcoords="offset points", xytext=(4, 3), fontsize=7)
        if x and y:
            axes.axvline(sorted(x)[len(x) // 2], color=GREY, linewidth=0.8, linestyle=":")
            axes.axhline(sorted(y)[len(y) // 2], color=GREY, linewidth=0.8, linestyle=":")
        axes.set_xlabel(x_label)
        axes.set_ylabel(y_label)
        axes.set_title(title)
        svg = _to_svg(figure)
    alt = f"{title}: {len(labels)} points. The numbers are in the table below the chart."
    return Chart(svg, alt)
