"""HTML to PDF with WeasyPrint (ADR 0012): A4, page numbers, vectors kept as vectors.

The HTML is the same document a page shows, given a print stylesheet; fonts come from the
system (no network: WeasyPrint's fetcher may open local files and ``data:`` URLs only).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
    font-size: 8pt; color: #505a5f; }
  @bottom-left { content: string(doctitle); font-size: 8pt; color: #505a5f; } }
html { font-family: "Liberation Sans", Arial, Helvetica, sans-serif;
  font-size: 10pt; color: #0b0c0c; }
h1 { string-set: doctitle content(); font-size: 20pt; margin: 0 0 6mm; }
h2 { font-size: 14pt; margin: 8mm 0 3mm; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 8.5pt; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 1.2mm 1.5mm; text-align: left;
  vertical-align: top; }
th { background: #f3f2f1; }
thead { display: table-header-group; }
tr, img, figure { break-inside: avoid; }
td.num, th.num { text-align: right; }
img { max-width: 100%; }
.chapter { break-before: page; }
.caption, .provenance { color: #505a5f; font-size: 8pt; }
"""


def local_fetcher() -> Any:
    """WeasyPrint's fetcher limited to ``data:`` and ``file:`` URLs: a document never reaches
    the network (an image URL typed into a narrative cannot make the server fetch it)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data", "file"}, fail_on_errors=True)


def html_to_pdf(html: str, *, base_dir: Path | None = None, extra_css: str = "") -> bytes:
    """Render an HTML document to PDF bytes with the print stylesheet above."""
    from weasyprint import CSS, HTML  # imported on use: it loads Pango

    document = HTML(
        string=html,
        base_url=str(base_dir) if base_dir else None,
        url_fetcher=local_fetcher(),
    )
    stylesheets = [CSS(string=PRINT_CSS + extra_css)]
    pdf: bytes = document.write_pdf(stylesheets=stylesheets)
    return pdf
