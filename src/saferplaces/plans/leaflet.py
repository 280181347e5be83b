"""The public summary as a two-page A4 leaflet.

The leaflet is the public page's words with a tighter print stylesheet. Two pages is the
brief (a folded A4 sheet), so the text shrinks a step at a time until it fits; a plan too
long for two pages at the smallest size still prints, on more pages.
"""

from __future__ import annotations

import re

from saferplaces_reports.pdf import html_to_pdf

MAX_PAGES = 2
# Body font sizes tried in turn (points).
SIZES = (10.0, 9.0, 8.0, 7.2)

LEAFLET_CSS = """
@page {{ size: A4; margin: 12mm 12mm 14mm 12mm; }}
html {{ font-size: {size}pt; line-height: 1.3; }}
h1 {{ font-size: {h1}pt; margin: 0 0 3mm; color: #1d70b8; }}
h2 {{ font-size: {h2}pt; margin: 4mm 0 1.5mm; }}
h3 {{ font-size: {h3}pt; margin: 3mm 0 1mm; }}
p, li {{ margin: 0 0 1.2mm; }}
ul {{ margin: 0 0 1.5mm; padding-left: 5mm; }}
.leaflet-partnership {{ color: #505a5f; margin: 0; }}
.leaflet-lead {{ font-size: {lead}pt; }}
.app-public-owner {{ color: #505a5f; }}
section {{ break-inside: avoid; }}
"""


def _css(size: float) -> str:
    return LEAFLET_CSS.format(
        size=size, h1=size * 2.0, h2=size * 1.4, h3=size * 1.15, lead=size * 1.15
    )


def page_count(pdf: bytes) -> int:
    """Pages in a PDF WeasyPrint wrote: one ``/Type /Page`` object each (the tree is ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def leaflet_pdf(html: str) -> bytes:
    pdf = b""
    for size in SIZES:
        pdf = html_to_pdf(html, extra_css=_css(size))
        if page_count(pdf) <= MAX_PAGES:
            return pdf
    return pdf
