"""The narrative an analyst writes: simple rich text, sanitised to an allow-list with nh3.

An analyst types paragraphs separated by a blank line, and may use a few HTML tags for bold,
italic, lists and links (the hint on the form lists them). Whatever is typed or pasted is
cleaned to that allow-list before it is saved: scripts and their content go, event attributes
(``onerror``) go, and links keep only http, https and mailto addresses (no ``javascript:``).
The cleaned HTML gets GOV.UK Frontend classes, so it looks like the rest of the page.
"""

from __future__ import annotations

import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a"}
# Removed with everything inside them, not just unwrapped (the text of a script is not prose).
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
GOVUK_CLASSES = {
    "p": {"class": "govuk-body"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
    "a": {"class": "govuk-link"},
}
MAX_LENGTH = 20_000  # characters of cleaned HTML per section: about six pages of prose

_BLOCK_START = re.compile(r"^\s*<(p|ul|ol)[\s>]", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")
_EMPTY_PARAGRAPH = re.compile(r'<p class="govuk-body">\s*</p>\n?')


def _paragraphs(text: str) -> str:
    """Blank-line separated blocks become paragraphs; a line break inside one becomes <br>.

    A block that already starts with a paragraph or a list tag is left as typed.
    """
    blocks = [block.strip() for block in _BLANK_LINES.split(text.replace("\r\n", "\n"))]
    html = []
    for block in blocks:
        if not block:
            continue
        if _BLOCK_START.match(block):
            html.append(block)
        else:
            html.append("<p>" + block.replace("\n", "<br>\n") + "</p>")
    return "\n".join(html)


def narrative_clean(text: str) -> str:
    """The analyst's text as safe HTML (empty string for nothing but white space)."""
    if not text or not text.strip():
        return ""
    cleaned = nh3.clean(
        _paragraphs(text),
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        set_tag_attribute_values=GOVUK_CLASSES,
        strip_comments=True,
    )
    # Wrapping a block that held only a removed script leaves an empty paragraph behind.
    return _EMPTY_PARAGRAPH.sub("", cleaned).strip()


def narrative_as_text(html: str) -> str:
    """What the textarea shows for saved HTML: the same tags, without the GOV.UK classes."""
    text = re.sub(r'\s+class="[^"]*"', "", html or "")
    text = re.sub(r'\s+rel="noopener noreferrer"', "", text)
    # A paragraph per block, as the analyst typed it (lists stay as tags).
    text = re.sub(r"\s*<p>", "\n\n", text)
    text = re.sub(r"</p>\s*", "\n\n", text)
    text = re.sub(r"<br>\n?", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
