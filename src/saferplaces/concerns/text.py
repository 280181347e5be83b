"""Residents' free text: stored as plain text, whatever markup was typed or pasted."""

from __future__ import annotations

import html

import nh3


def plain_text(value: str) -> str:
    """Strip every tag (and the content of script and style) and store plain text.

    nh3 escapes the characters it keeps (``<`` → ``&lt;``); unescaping gives back what the
    resident typed, and templates escape it again on output.
    """
    cleaned = nh3.clean(value or "", tags=set(), attributes={})
    return html.unescape(cleaned).replace("\r\n", "\n").strip()
