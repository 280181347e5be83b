"""The narrative sanitiser: the allow-list survives, everything else goes."""

from __future__ import annotations

import pytest

from saferplaces.assessments.narrative import narrative_as_text, narrative_clean


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Crime fell.", '<p class="govuk-body">Crime fell.</p>'),
        ("One.\n\nTwo.", '<p class="govuk-body">One.</p>\n<p class="govuk-body">Two.</p>'),
        ("Line one\nline two", '<p class="govuk-body">Line one<br>\nline two</p>'),
        (
            "<strong>Burglary</strong> and <em>robbery</em>",
            '<p class="govuk-body"><strong>Burglary</strong> and <em>robbery</em></p>',
        ),
        (
            "<ul><li>one</li><li>two</li></ul>",
            '<ul class="govuk-list govuk-list--bullet"><li>one</li><li>two</li></ul>',
        ),
        (
            "<ol><li>first</li></ol>",
            '<ol class="govuk-list govuk-list--number"><li>first</li></ol>',
        ),
    ],
)
def test_simple_rich_text_is_kept_with_govuk_classes(typed: str, kept: str) -> None:
    assert narrative_clean(typed) == kept


def test_links_keep_safe_addresses_only() -> None:
    html = narrative_clean(
        '<a href="https://www.police.uk/">police.uk</a> <a href="mailto:csp@example.org">us</a> '
        '<a href="javascript:alert(1)">bad</a> <a href="JaVaScRiPt:alert(1)">bad2</a> '
        '<a href="data:text/html,<script>alert(1)</script>">bad3</a>'
    )
    assert 'href="https://www.police.uk/"' in html
    assert 'href="mailto:csp@example.org"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "javascript" not in html.lower()
    assert "data:" not in html
    assert html.count("href=") == 2


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<p onclick="alert(1)">text</p>',
        '<a href="#" onmouseover="alert(1)">text</a>',
        '<iframe src="https://evil.example"></iframe>',
        "<style>body { display: none }</style>",
        '<svg onload="alert(1)"></svg>',
        "<!-- comment --><p>text</p>",
    ],
)
def test_scripts_event_attributes_and_other_tags_are_removed(attack: str) -> None:
    html = narrative_clean("Before. " + attack + " After.")
    for bad in ("<script", "alert", "onerror", "onclick", "onmouseover", "onload", "<img",
                "<iframe", "<style", "<svg", "<!--"):  # fmt: skip
        assert bad not in html, (attack, html)
    assert "Before." in html
    assert "After." in html


def test_white_space_only_is_empty() -> None:
    assert narrative_clean("  \n\n  ") == ""


def test_saved_html_goes_back_into_the_box_as_typed() -> None:
    typed = 'First paragraph with <strong>bold</strong>.\n\nSecond, with a <a href="https://x.org">link</a>.'
    html = narrative_clean(typed)
    assert narrative_as_text(html) == typed
    assert narrative_clean(narrative_as_text(html)) == html
